import { z } from 'zod';
import { AssemblyDisposition, MajorAssembly } from '../reference/major-assemblies';
import { DistrictCode, Fen, Id, Note, PlateMasked, PositiveGrams, Units, Vin } from '../scalars';
import { checkUnique } from '../validation';
import { OccurredAt, PartyRef, VehicleDescription } from './common';

// Topic recycling.vehicles.v1, written by the dismantling service, keyed by VIN so that everything
// that happens to one vehicle is read in order. Weights are grams like everywhere else; a car's curb
// weight of 1,450 kg is 1,450,000 g, well inside a safe integer.

export const VehicleEventTypes = {
  received: 'recycling.vehicle.received.v1',
  intakeVoided: 'recycling.vehicle.intake-voided.v1',
  certificateIssued: 'recycling.vehicle.certificate-issued.v1',
  deregistrationRequested: 'recycling.vehicle.deregistration-requested.v1',
  dismantled: 'recycling.vehicle.dismantled.v1',
} as const;

export const VehicleReceivedData = z
  .object({
    ...VehicleDescription.shape,
    vehicleIntakeId: Id,
    dismantlerId: Id.describe('The dismantling site'),
    enterpriseId: Id.describe('The qualified enterprise operating the site'),
    districtCode: DistrictCode.describe(
      "Where the vehicle came from: the pickup's district, else the site's",
    ),
    pickupId: Id.optional(),
    owner: PartyRef,
    engineNo: z.string().min(1).max(40).optional(),
    curbWeightGrams: PositiveGrams.optional().describe('Curb weight from the registration certificate'),
    weighedGrams: PositiveGrams.optional().describe('Weighed at intake'),
    documentsReceived: z.object({
      registrationCertificate: z.boolean().describe('机动车登记证书'),
      drivingLicence: z.boolean().describe('机动车行驶证'),
      plates: z.int().min(0).max(2).describe('Number of plates handed over'),
    }),
    priceFen: Fen.describe('Paid to the owner'),
    flags: z.object({
      earlyRetiredDieselTruck: z
        .boolean()
        .describe('Diesel truck of China III or older (the plan asks to retire them)'),
      tradeInSubsidyEligible: z.boolean().describe('Can back a vehicle trade-in subsidy claim'),
    }),
    occurredAt: OccurredAt.describe('When the dismantler took the vehicle in'),
  })
  .describe(
    'A qualified dismantler took a scrapped vehicle in; flags are decided from the city profile rules',
  );
export type VehicleReceivedData = z.infer<typeof VehicleReceivedData>;

export const VehicleIntakeVoidedData = z
  .object({
    vin: Vin,
    vehicleIntakeId: Id,
    dismantlerId: Id,
    reason: Note,
    occurredAt: OccurredAt,
  })
  .describe('An intake recorded in error is void; counts derived from it are taken back');
export type VehicleIntakeVoidedData = z.infer<typeof VehicleIntakeVoidedData>;

export const VehicleCertificateIssuedData = z
  .object({
    vin: Vin,
    vehicleIntakeId: Id,
    certificateNo: z.string().min(1).max(40).describe('报废机动车回收证明 number'),
    dismantlerId: Id,
    enterpriseId: Id,
    pickupId: Id.optional(),
    occurredAt: OccurredAt,
  })
  .describe('The dismantler issued the scrapped-vehicle recycling certificate');
export type VehicleCertificateIssuedData = z.infer<typeof VehicleCertificateIssuedData>;

export const VehicleDeregistrationRequestedData = z
  .object({
    vin: Vin,
    vehicleIntakeId: Id,
    dismantlerId: Id,
    certificateNo: z.string().min(1).max(40),
    plateMasked: PlateMasked,
    occurredAt: OccurredAt,
  })
  .describe('The dismantler applied to the traffic police for deregistration (注销登记)');
export type VehicleDeregistrationRequestedData = z.infer<typeof VehicleDeregistrationRequestedData>;

export const AssemblyRecord = z
  .object({
    assembly: MajorAssembly,
    disposition: AssemblyDisposition,
    remanufacturingCode: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('Required when sent to remanufacturing'),
    serialNo: z.string().min(1).max(64).optional().describe('Engine number, frame number, etc. when legible'),
  })
  .refine((a) => (a.disposition === 'remanufacturing') === (a.remanufacturingCode !== undefined), {
    message: 'remanufacturingCode is required for, and only for, remanufacturing',
    path: ['remanufacturingCode'],
  });
export type AssemblyRecord = z.infer<typeof AssemblyRecord>;

export const MATERIAL_CODES = [
  'ferrous',
  'non-ferrous',
  'plastic',
  'rubber',
  'glass',
  'hazardous',
  'other',
] as const;
export const Material = z
  .enum(MATERIAL_CODES)
  .describe('hazardous covers oils, refrigerant, lead-acid batteries');

export const VehicleDismantledData = z
  .object({
    vin: Vin,
    vehicleIntakeId: Id,
    dismantlerId: Id,
    assemblies: z
      .array(AssemblyRecord)
      .min(1)
      .describe('One entry per assembly; several axles give several entries'),
    reusedParts: z
      .array(z.object({ name: z.string().min(1).max(100), count: Units, labelCode: Id.optional() }))
      .describe('Parts resold labelled as reused parts (回用件)'),
    materials: z
      .array(z.object({ material: Material, weightGrams: PositiveGrams }))
      .describe('Recovered materials by weight, one entry per material'),
    tractionBattery: z
      .object({
        code: z.string().min(1).max(64).describe('Battery code traced on the national platform'),
        destination: z.enum(['cascade-use', 'recycling', 'returned-to-producer']),
        recipient: z.string().min(1).max(200).optional().describe('Enterprise that took the battery'),
        weightGrams: PositiveGrams.optional(),
      })
      .optional()
      .describe('New-energy vehicles only'),
    occurredAt: OccurredAt,
  })
  .superRefine((d, ctx) => checkUnique(ctx, ['materials'], d.materials, (m) => m.material))
  .describe('A vehicle was dismantled; major assemblies went to remanufacturing or scrap steel');
export type VehicleDismantledData = z.infer<typeof VehicleDismantledData>;

export const vehicleEventSchemas = {
  [VehicleEventTypes.received]: VehicleReceivedData,
  [VehicleEventTypes.intakeVoided]: VehicleIntakeVoidedData,
  [VehicleEventTypes.certificateIssued]: VehicleCertificateIssuedData,
  [VehicleEventTypes.deregistrationRequested]: VehicleDeregistrationRequestedData,
  [VehicleEventTypes.dismantled]: VehicleDismantledData,
} as const;
