import {
  AssemblyRecord,
  DistrictCode,
  EmissionStandard,
  Fen,
  freeText,
  FuelType,
  Id,
  IdDocumentType,
  IsoUtc,
  LocalDate,
  maskPlate,
  MATERIAL_CODES,
  Note,
  PositiveGrams,
  TaxpayerId,
  Units,
  validateResidentIdNumber,
  validateVin,
  VehicleDismantledData,
  VehicleType,
} from '@recycling/contracts';
import { z } from 'zod';
import 'zod-openapi';
import { MAX_DISMANTLER_ID_LENGTH } from '../domain/certificate-number';
import { DEREGISTRATION_STATES } from '../domain/vehicle-intake';
import { DISMANTLER_STATUSES } from '../domain/dismantler';

// Request bodies, queries and params of every endpoint, and the bodies it answers: the kit validates
// with these and generates the OpenAPI document from these, so the two cannot drift apart.

export const DismantlerId = Id.max(MAX_DISMANTLER_ID_LENGTH).describe(
  'Dismantling site id (at most 24 characters: it prefixes certificate numbers)',
);

export const DismantlerParams = z.strictObject({ dismantlerId: DismantlerId });

export const PutDismantlerBody = z
  .strictObject({
    name: freeText({ max: 200 }).describe('Registered name of the site or enterprise'),
    enterpriseId: Id.describe('The qualified enterprise (as known to invoicing)'),
    qualificationCertificateNo: z
      .string()
      .min(1)
      .max(64)
      .describe('报废机动车回收拆解企业资质认定证书编号 (qualification certificate number)'),
    qualificationValidUntil: LocalDate.optional().describe('Last day the qualification is valid'),
    districtCode: DistrictCode,
    status: z.enum(DISMANTLER_STATUSES),
  })
  .meta({ id: 'PutDismantler' });

/** A VIN as typed at the gate: trimmed and upper-cased, then checked, with the reason when it fails. */
export const VinInput = z
  .string()
  .transform((s, ctx) => {
    const check = validateVin(s);
    if (check.valid) return check.vin;
    ctx.addIssue({ code: 'custom', message: `车架号无效 / Invalid VIN (${check.reason}): ${check.message}` });
    return z.NEVER;
  })
  .meta({ description: 'VIN (GB 16735), 17 characters, check digit enforced', override: { type: 'string' } });

const PersonOwner = z
  .strictObject({
    kind: z.literal('person'),
    name: freeText({ max: 100 }),
    idType: IdDocumentType,
    idNumber: freeText({ max: 40 }),
  })
  .superRefine((o, ctx) => {
    if (o.idType !== 'resident-id-card') return;
    const check = validateResidentIdNumber(o.idNumber);
    if (!check.valid) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: check.message });
  });

const OrganisationOwner = z.strictObject({
  kind: z.literal('organisation'),
  organisationName: freeText({ max: 200 }),
  taxpayerId: TaxpayerId.optional(),
});

export const OwnerInput = z.discriminatedUnion('kind', [PersonOwner, OrganisationOwner]);

export const RecordIntakeBody = z
  .strictObject({
    dismantlerId: DismantlerId,
    pickupId: Id.optional().describe('The pickup that brought the vehicle; absent at the gate'),
    vin: VinInput,
    plate: freeText({ min: 5, max: 16 })
      .refine((p) => maskPlate(p).includes('*'), 'not a licence plate')
      .describe('Licence plate as on the registration certificate, e.g. 新N12345'),
    engineNo: freeText({ max: 40 }).optional(),
    brandModel: freeText({ max: 100 }).optional().describe('Brand and model, e.g. 桑塔纳 SVW7182'),
    vehicleType: VehicleType,
    fuelType: FuelType,
    emissionStandard: EmissionStandard,
    registrationDate: LocalDate.describe('First registration date (初次登记日期)'),
    curbWeightGrams: PositiveGrams.optional(),
    weighedGrams: PositiveGrams.optional(),
    documentsReceived: z.strictObject({
      registrationCertificate: z.boolean().describe('机动车登记证书'),
      drivingLicence: z.boolean().describe('机动车行驶证'),
      plates: z.int().min(0).max(2).describe('Number of plates handed over'),
    }),
    photoIds: z.array(Id).max(50).default([]).describe('Photos taken at intake, by id'),
    priceFen: Fen.describe('Price paid to the owner, fen'),
    owner: OwnerInput,
    payment: z
      .strictObject({
        paidAt: IsoUtc,
        paymentRecordId: Id,
        consentRecordedAt: IsoUtc.describe('When the owner consented to reverse invoicing'),
      })
      .optional()
      .describe('Required when a natural person is paid: evidence for the reverse invoice'),
  })
  .superRefine((b, ctx) => {
    if (b.owner.kind === 'person' && b.priceFen > 0 && !b.payment) {
      ctx.addIssue({
        code: 'custom',
        path: ['payment'],
        message: '向自然人付款须登记付款记录与开票同意 / payment evidence is required when a person is paid',
      });
    }
  })
  .meta({
    id: 'RecordVehicleIntake',
    description:
      "Rules across fields: a person paid for the vehicle needs the payment evidence and the consent to reverse invoicing; a resident ID card number must have a valid check digit; the VIN's check digit must hold; `paidAt` may not be more than five minutes ahead of the server's clock (400 `paid-in-future`); a VIN already taken in (and not voided) is refused with 409.",
  });

export const IntakeParams = z.strictObject({ vehicleIntakeId: Id });

export const VoidIntakeBody = z
  .strictObject({ reason: Note.describe('Why the intake is void; no personal data') })
  .meta({ id: 'VoidVehicleIntake' });

export const EmptyBody = z.strictObject({}).meta({ id: 'Empty' });

export const RequestDeregistrationBody = z
  .strictObject({
    trafficPoliceOffice: freeText({ max: 200 }).optional().describe('车辆管理所 applied to'),
  })
  .meta({ id: 'RequestDeregistration' });

export const DeregistrationOutcomeBody = z
  .strictObject({
    state: z.enum(DEREGISTRATION_STATES).exclude(['requested']),
    deregistrationCertificateNo: freeText({ max: 64 })
      .optional()
      .describe('注销证明 number; required when completed'),
    deregisteredOn: LocalDate.optional().describe(
      'Date on the deregistration certificate (completed only); default the day it is recorded',
    ),
    reason: Note.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.state === 'rejected' && !b.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a rejection needs its reason' });
    }
    if (b.state === 'completed' && !b.deregistrationCertificateNo) {
      ctx.addIssue({
        code: 'custom',
        path: ['deregistrationCertificateNo'],
        message: '办结须登记注销证明编号 / a completed deregistration needs its certificate number',
      });
    }
    if (b.state === 'rejected' && b.deregisteredOn) {
      ctx.addIssue({
        code: 'custom',
        path: ['deregisteredOn'],
        message: 'only a completed deregistration has a date',
      });
    }
  })
  .meta({
    id: 'DeregistrationOutcome',
    description:
      'Rules across fields: a rejection needs its `reason`; a completed deregistration needs its certificate number; only a completed deregistration has a date.',
  });

export const RecordDismantlingBody = z
  .strictObject({
    assemblies: z.array(AssemblyRecord).min(5).max(20).describe('Every one of the five major assemblies'),
    reusedParts: z
      .array(z.strictObject({ name: freeText({ max: 100 }), count: Units, labelCode: Id.optional() }))
      .max(200)
      .default([]),
    materials: z
      .array(z.strictObject({ material: z.enum(MATERIAL_CODES), weightGrams: PositiveGrams }))
      .max(MATERIAL_CODES.length)
      .refine((m) => new Set(m.map((x) => x.material)).size === m.length, 'one entry per material')
      .default([]),
    tractionBattery: z
      .strictObject({
        code: freeText({ max: 64 }),
        destination: z.enum(['cascade-use', 'recycling', 'returned-to-producer']),
        recipient: freeText({ max: 200 }).optional(),
        weightGrams: PositiveGrams.optional(),
      })
      .optional()
      .describe('New-energy vehicles only, and required for them'),
    photoIds: z.array(Id).max(50).default([]).describe('Photos after dismantling, by id'),
  })
  .meta({ id: 'RecordDismantling' });

export const CertificateParams = z.strictObject({ certificateNo: freeText({ max: 40 }) });

export const ListIntakesQuery = z.strictObject({
  dismantlerId: DismantlerId,
  status: z.enum(['received', 'voided']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ExpectedVehiclesQuery = z.strictObject({ dismantlerId: DismantlerId });

export const WorkListQuery = z.strictObject({
  date: LocalDate.optional().describe('The local day (Asia/Shanghai for Alar); default today'),
});

// ---- responses --------------------------------------------------------------------------------

const Instant = z.iso.datetime();

export const DismantlerView = z
  .object({
    dismantlerId: Id,
    _id: Id.describe('The same as dismantlerId (the stored key)'),
    name: z.string(),
    enterpriseId: Id,
    qualificationCertificateNo: z.string(),
    qualificationValidUntil: LocalDate.optional(),
    districtCode: z.string(),
    status: z.enum(DISMANTLER_STATUSES),
    createdAt: Instant.optional(),
    updatedAt: Instant.optional(),
  })
  .meta({ id: 'Dismantler' });

export const ExpectedVehicleView = z
  .object({
    pickupId: Id,
    dismantlerId: Id,
    residentKey: z.string().describe("Keyed hash of the resident's account (no personal data)"),
    districtCode: z.string(),
    slot: z.object({ date: LocalDate, window: z.string() }),
    vehicle: z.record(z.string(), z.unknown()).describe('The vehicle as booked (masked plate)'),
    status: z.enum(['requested', 'scheduled', 'collected']),
    requestedAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'ExpectedVehicle' });

const dismantled = VehicleDismantledData.shape;
const DismantledFacts = z.object({
  assemblies: dismantled.assemblies,
  reusedParts: dismantled.reusedParts,
  materials: dismantled.materials,
  tractionBattery: dismantled.tractionBattery,
});

/** What a site sees of an intake: the owner appears by seller key only. */
export const VehicleIntakeView = z
  .object({
    vehicleIntakeId: Id,
    _id: Id.describe('The same as vehicleIntakeId (the stored key)'),
    vin: z.string(),
    dismantlerId: Id,
    enterpriseId: Id,
    districtCode: z.string(),
    pickupId: Id.optional(),
    residentKey: z.string().optional().describe("Keyed hash of the pickup's resident account"),
    status: z.enum(['received', 'voided']),
    owner: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('person'), sellerKey: z.string(), idType: z.string() }),
      z.object({
        kind: z.literal('organisation'),
        organisationName: z.string(),
        taxpayerId: z.string().optional(),
      }),
    ]),
    plate: z.string(),
    plateMasked: z.string(),
    engineNo: z.string().optional(),
    brandModel: z.string().optional(),
    vehicleType: z.string(),
    fuelType: z.string(),
    emissionStandard: z.string(),
    registrationDate: LocalDate,
    curbWeightGrams: z.int().optional(),
    weighedGrams: z.int().optional(),
    documentsReceived: z.object({
      registrationCertificate: z.boolean(),
      drivingLicence: z.boolean(),
      plates: z.int(),
    }),
    photoIds: z.array(z.string()),
    priceFen: z.int(),
    flags: z.object({ earlyRetiredDieselTruck: z.boolean(), tradeInSubsidyEligible: z.boolean() }),
    receivedAt: Instant,
    voided: z.object({ reason: z.string(), at: Instant }).nullish(),
    certificate: z.object({ certificateNo: z.string(), issuedAt: Instant }).nullish(),
    deregistration: z
      .object({
        state: z.enum(DEREGISTRATION_STATES),
        requestedAt: Instant,
        trafficPoliceOffice: z.string().optional(),
        outcomeAt: Instant.optional(),
        deregistrationCertificateNo: z.string().optional(),
        deregisteredOn: LocalDate.optional(),
        reason: z.string().optional(),
      })
      .nullish(),
    dismantling: DismantledFacts.extend({ dismantledAt: Instant, photoIds: z.array(z.string()) }).nullish(),
  })
  .meta({ id: 'VehicleIntake' });

export const CertificatePage = z
  .string()
  .describe('报废机动车回收证明（HTML，可打印）/ The printable certificate');

// ---- the dismantler's day ------------------------------------------------------------------------

const WorkPickup = z.object({
  pickupId: Id,
  status: z.enum(['requested', 'scheduled', 'collected']),
  districtCode: z.string(),
  slot: z.object({ date: LocalDate, window: z.string() }),
  vehicle: z
    .object({
      vin: z.string().optional(),
      plateMasked: z.string().optional(),
      vehicleType: z.string().optional(),
      fuelType: z.string().optional(),
      emissionStandard: z.string().optional(),
      registrationDate: z.string().optional(),
    })
    .describe('The vehicle as booked (masked plate; no owner)'),
  overdue: z.boolean().describe('Due on an earlier day and not taken in yet'),
});

const WorkIntake = z.object({
  vehicleIntakeId: Id,
  vin: z.string(),
  plateMasked: z.string(),
  vehicleType: z.string(),
  fuelType: z.string(),
  pickupId: Id.optional(),
  status: z.enum(['received', 'voided']),
  receivedAt: Instant,
  receivedOn: LocalDate.describe('The local day it was taken in'),
  priceFen: Fen,
  certificateNo: z.string().optional(),
  certifiedAt: Instant.optional(),
  deregistration: z
    .object({ state: z.enum(DEREGISTRATION_STATES), requestedAt: Instant, reason: z.string().optional() })
    .optional(),
  dismantledAt: Instant.optional(),
});

export const WorkListView = z
  .object({
    dismantlerId: Id,
    date: LocalDate,
    due: z.array(WorkPickup).describe('Vehicle pickups due on the day (and overdue ones) not taken in'),
    toTakeIn: z.array(WorkPickup).describe('Towed in by the crew, waiting at the gate: take them in'),
    upcoming: z.array(WorkPickup).describe('Vehicle pickups due in the next 7 days'),
    takenIn: z.array(WorkIntake).describe('Vehicles taken in on the day, newest first'),
    toCertify: z.array(WorkIntake).describe('Taken in, no recycling certificate yet (oldest first)'),
    toDismantle: z.array(WorkIntake).describe('Certified, dismantling not recorded yet'),
    toDeregister: z
      .array(WorkIntake)
      .describe('Certified, deregistration not requested yet (or refused: request it again)'),
    deregistrationAwaited: z
      .array(WorkIntake)
      .describe('Deregistration requested, the traffic police have not answered yet'),
    totals: z.object({
      due: z.int(),
      overdue: z.int(),
      toTakeIn: z.int(),
      upcoming: z.int(),
      takenIn: z.int(),
      paidFen: Fen.describe('Paid for the vehicles taken in on the day'),
      toCertify: z.int(),
      toDismantle: z.int(),
      toDeregister: z.int(),
      deregistrationAwaited: z.int(),
    }),
  })
  .meta({ id: 'DismantlerWorkList', description: "The dismantler's day, kept on the server" });
