import { z } from 'zod';
import { ReferenceCode } from '../city/public-institutions';
import { ApplianceCategory } from '../reference/appliance-catalogue';
import { MajorAssembly } from '../reference/major-assemblies';
import { ProductUse, SpecDirection } from '../reference/remanufacturing';
import { Id, Note, TaxpayerId, Vin } from '../scalars';
import { checkUnique } from '../validation';
import { OccurredAt } from './common';

// Topic recycling.remanufacturing.v1, written by the remanufacturing service (再制造, domain.md
// section 11): cores received from lawful sources, products made of them, their checks against the
// original new product's specification, their release with the permanent 再制造 mark, and where
// they went. Core events are keyed by core id, product events by product id; a product names its
// cores, and a core names the vehicle or intake it came from, so the chain can be followed both ways.

export const RemanufacturingEventTypes = {
  coreReceived: 'recycling.remanufacturing.core-received.v1',
  productStarted: 'recycling.remanufacturing.product-started.v1',
  productTested: 'recycling.remanufacturing.product-tested.v1',
  productReleased: 'recycling.remanufacturing.product-released.v1',
  productShipped: 'recycling.remanufacturing.product-shipped.v1',
} as const;

/** Where a core came from: the dismantler's coded assembly, or a station's intake line. */
export const CoreSource = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('vehicle-assembly'),
    remanufacturingCode: z.string().min(1).max(64).describe('The dismantler’s remanufacturing code'),
    assembly: MajorAssembly,
    vin: Vin,
    vehicleIntakeId: Id,
    certificateNo: z.string().min(1).max(40).describe('报废机动车回收证明 of the vehicle'),
    dismantlerId: Id,
    serialNo: z.string().min(1).max(64).optional().describe('As the dismantler read it'),
  }),
  z.object({
    kind: z.literal('intake'),
    intakeId: Id,
    lineId: Id,
    stationId: Id,
    category: ApplianceCategory,
  }),
]);
export type CoreSource = z.infer<typeof CoreSource>;

export const RemanufacturingCoreReceivedData = z
  .object({
    coreId: Id,
    remanufacturerId: Id,
    productLine: ReferenceCode,
    source: CoreSource,
    serialNo: z.string().min(1).max(64).optional().describe('Core serial as read at intake'),
    intakeCheck: z.object({
      passed: z.boolean().describe('false: the core is rejected and never used'),
      note: Note.optional(),
    }),
    occurredAt: OccurredAt,
  })
  .describe('A remanufacturer received a core from a lawful source and checked it (旧件入厂检测)');
export type RemanufacturingCoreReceivedData = z.infer<typeof RemanufacturingCoreReceivedData>;

const productFields = {
  productId: Id,
  remanufacturerId: Id,
  productLine: ReferenceCode,
  occurredAt: OccurredAt,
};

export const RemanufacturingProductStartedData = z
  .object({
    ...productFields,
    serialNo: z.string().min(1).max(64).describe('The product’s own serial number'),
    coreIds: z.array(Id).min(1).describe('The cores it is made of'),
  })
  .superRefine((d, ctx) => checkUnique(ctx, ['coreIds'], d.coreIds, (c) => c))
  .describe('Production of a remanufactured product started from checked cores');
export type RemanufacturingProductStartedData = z.infer<typeof RemanufacturingProductStartedData>;

export const TestResult = z.object({
  code: ReferenceCode.describe('Specification item of the product line'),
  value: z.int().describe('Measured, in the item’s unit'),
  original: z.int().describe('The original new product’s value'),
  better: SpecDirection,
  meets: z.boolean().describe('At or above the original in the item’s direction'),
});
export type TestResult = z.infer<typeof TestResult>;

export const RemanufacturingProductTestedData = z
  .object({
    ...productFields,
    checkNo: z.int().min(1).describe('1, 2, … per product'),
    stage: z.enum(['production', 'release']),
    results: z.array(TestResult).min(1),
    passed: z
      .boolean()
      .describe(
        'Every result meets the original (and, at release, every item of the specification was tested)',
      ),
    note: Note.optional(),
  })
  .superRefine((d, ctx) => checkUnique(ctx, ['results'], d.results, (r) => r.code, 'code'))
  .describe('A product was checked in production or tested for release against the original’s specification');
export type RemanufacturingProductTestedData = z.infer<typeof RemanufacturingProductTestedData>;

export const RemanufacturingProductReleasedData = z
  .object({
    ...productFields,
    serialNo: z.string().min(1).max(64),
    coreIds: z.array(Id).min(1),
    releaseCheckNo: z.int().min(1).describe('The passed release test it was released on'),
    mark: z.object({
      text: z.literal('再制造'),
      standard: z.string().min(1).max(40).describe('GB/T 27611-2011'),
      makerName: z.string().min(1).max(200),
      markNo: z.string().min(1).max(64).describe('The number the permanent mark carries'),
    }),
    warrantyMonths: z.int().min(1).max(240),
    originalWarrantyMonths: z.int().min(1).max(240),
    forbiddenUses: z.array(ProductUse).describe('Never handed over for these (new vehicles for assemblies)'),
  })
  .refine((d) => d.warrantyMonths >= d.originalWarrantyMonths, {
    message: 'the warranty is never shorter than the original’s',
    path: ['warrantyMonths'],
  })
  .describe('A product that met the original in every item was released with its 再制造 mark and warranty');
export type RemanufacturingProductReleasedData = z.infer<typeof RemanufacturingProductReleasedData>;

export const RemanufacturingProductShippedData = z
  .object({
    ...productFields,
    shipmentId: Id,
    use: ProductUse,
    buyer: z.object({
      name: z.string().min(1).max(200).describe('An enterprise or workshop: not a person’s name'),
      creditCode: TaxpayerId.optional(),
    }),
  })
  .describe('A released product left the remanufacturer for a permitted use');
export type RemanufacturingProductShippedData = z.infer<typeof RemanufacturingProductShippedData>;

export const remanufacturingEventSchemas = {
  [RemanufacturingEventTypes.coreReceived]: RemanufacturingCoreReceivedData,
  [RemanufacturingEventTypes.productStarted]: RemanufacturingProductStartedData,
  [RemanufacturingEventTypes.productTested]: RemanufacturingProductTestedData,
  [RemanufacturingEventTypes.productReleased]: RemanufacturingProductReleasedData,
  [RemanufacturingEventTypes.productShipped]: RemanufacturingProductShippedData,
} as const;
