import {
  AssemblyRecord,
  DistrictCode,
  EmissionStandard,
  Fen,
  FuelType,
  Id,
  IdDocumentType,
  IsoUtc,
  LocalDate,
  MATERIAL_CODES,
  maskPlate,
  Note,
  PositiveGrams,
  TaxpayerId,
  Units,
  validateResidentIdNumber,
  validateVin,
  VehicleType,
} from '@recycling/contracts';
import { z } from 'zod';
import 'zod-openapi';
import { MAX_DISMANTLER_ID_LENGTH } from '../domain/certificate-number';
import { DEREGISTRATION_STATES } from '../domain/vehicle-intake';
import { DISMANTLER_STATUSES } from '../domain/dismantler';

// Request bodies, queries and params of every route: the routes validate with these and the OpenAPI
// document is generated from these, so the two cannot drift apart.

export const DismantlerId = Id.max(MAX_DISMANTLER_ID_LENGTH).describe(
  'Dismantling site id (at most 24 characters: it prefixes certificate numbers)',
);

export const DismantlerParams = z.strictObject({ dismantlerId: DismantlerId });

export const PutDismantlerBody = z
  .strictObject({
    name: z.string().min(1).max(200).describe('Registered name of the site or enterprise'),
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
export type PutDismantlerBody = z.output<typeof PutDismantlerBody>;

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
    name: z.string().trim().min(1).max(100),
    idType: IdDocumentType,
    idNumber: z.string().trim().min(1).max(40),
  })
  .superRefine((o, ctx) => {
    if (o.idType !== 'resident-id-card') return;
    const check = validateResidentIdNumber(o.idNumber);
    if (!check.valid) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: check.message });
  });

const OrganisationOwner = z.strictObject({
  kind: z.literal('organisation'),
  organisationName: z.string().trim().min(1).max(200),
  taxpayerId: TaxpayerId.optional(),
});

export const OwnerInput = z.discriminatedUnion('kind', [PersonOwner, OrganisationOwner]);
export type OwnerInput = z.output<typeof OwnerInput>;

export const RecordIntakeBody = z
  .strictObject({
    dismantlerId: DismantlerId,
    pickupId: Id.optional().describe('The pickup that brought the vehicle; absent at the gate'),
    vin: VinInput,
    plate: z
      .string()
      .trim()
      .min(5)
      .max(16)
      .refine((p) => maskPlate(p).includes('*'), 'not a licence plate')
      .describe('Licence plate as on the registration certificate, e.g. 新N12345'),
    engineNo: z.string().trim().min(1).max(40).optional(),
    brandModel: z.string().trim().min(1).max(100).optional().describe('Brand and model, e.g. 桑塔纳 SVW7182'),
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
  .meta({ id: 'RecordVehicleIntake' });
export type RecordIntakeBody = z.output<typeof RecordIntakeBody>;

export const IntakeParams = z.strictObject({ vehicleIntakeId: Id });

export const VoidIntakeBody = z
  .strictObject({ reason: Note.describe('Why the intake is void; no personal data') })
  .meta({ id: 'VoidVehicleIntake' });

export const EmptyBody = z.strictObject({}).meta({ id: 'Empty' });

export const RequestDeregistrationBody = z
  .strictObject({
    trafficPoliceOffice: z.string().trim().min(1).max(200).optional().describe('车辆管理所 applied to'),
  })
  .meta({ id: 'RequestDeregistration' });

export const DeregistrationOutcomeBody = z
  .strictObject({
    state: z.enum(DEREGISTRATION_STATES).exclude(['requested']),
    deregistrationCertificateNo: z.string().trim().min(1).max(64).optional(),
    reason: Note.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.state === 'rejected' && !b.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a rejection needs its reason' });
    }
  })
  .meta({ id: 'DeregistrationOutcome' });

export const RecordDismantlingBody = z
  .strictObject({
    assemblies: z.array(AssemblyRecord).min(5).max(20).describe('Every one of the five major assemblies'),
    reusedParts: z
      .array(
        z.strictObject({ name: z.string().trim().min(1).max(100), count: Units, labelCode: Id.optional() }),
      )
      .max(200)
      .default([]),
    materials: z
      .array(z.strictObject({ material: z.enum(MATERIAL_CODES), weightGrams: PositiveGrams }))
      .max(MATERIAL_CODES.length)
      .refine((m) => new Set(m.map((x) => x.material)).size === m.length, 'one entry per material')
      .default([]),
    tractionBattery: z
      .strictObject({
        code: z.string().trim().min(1).max(64),
        destination: z.enum(['cascade-use', 'recycling', 'returned-to-producer']),
        recipient: z.string().trim().min(1).max(200).optional(),
        weightGrams: PositiveGrams.optional(),
      })
      .optional()
      .describe('New-energy vehicles only, and required for them'),
    photoIds: z.array(Id).max(50).default([]).describe('Photos after dismantling, by id'),
  })
  .meta({ id: 'RecordDismantling' });
export type RecordDismantlingBody = z.output<typeof RecordDismantlingBody>;

export const CertificateParams = z.strictObject({ certificateNo: z.string().min(1).max(40) });

export const ListIntakesQuery = z.strictObject({
  dismantlerId: DismantlerId,
  status: z.enum(['received', 'voided']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListIntakesQuery = z.output<typeof ListIntakesQuery>;

export const ExpectedVehiclesQuery = z.strictObject({ dismantlerId: DismantlerId });
