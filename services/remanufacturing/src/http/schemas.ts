import {
  CoreSource,
  Id,
  Label,
  LocalDate,
  MajorAssembly,
  Note,
  ProductUse,
  RemanufacturerQualification,
  SpecDirection,
  TaxpayerId,
  TestResult,
  Vin,
  freeText,
  type CityProfile,
} from '@recycling/contracts';
import { z } from 'zod';

// Request and response bodies. The routes validate with these schemas and the OpenAPI document is
// generated from the same objects, so the two cannot drift.

const Serial = freeText({ max: 64 }).regex(
  /^[A-Za-z0-9][A-Za-z0-9._/-]*$/,
  'letters, digits and . _ / - only',
);
const Month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
  .describe('City month YYYY-MM (default this month)');

export const RemanufacturerParams = z.object({
  remanufacturerId: Id.describe('Remanufacturer id, e.g. rm-alar-power'),
});
export const CoreParams = z.object({ coreId: Id.describe('Core id, e.g. core-20250320-5e6f7a8b') });
export const ProductParams = z.object({ productId: Id.describe('Product id, e.g. rp-20250325-9c0d1e2f') });
export const VinParams = z.object({ vin: Vin });
export const AssemblyParams = z.object({
  remanufacturingCode: freeText({ max: 64 }).describe('The dismantler’s remanufacturing code'),
});
export const DeskQuery = z.object({ month: Month.optional() });

export const ReceiveCoreBody = z.object({
  productLine: freeText({ max: 48 }).describe('Product line code of the city profile'),
  source: z
    .discriminatedUnion('kind', [
      z.object({
        kind: z.literal('vehicle-assembly'),
        remanufacturingCode: freeText({ max: 64 }).describe('The code the dismantler gave the assembly'),
        certificateNo: freeText({ max: 40 }).describe(
          'The vehicle’s recycling certificate (回收证明) number',
        ),
      }),
      z.object({
        kind: z.literal('intake'),
        intakeId: Id.describe('The station intake the equipment was taken in with'),
        lineId: Id,
      }),
    ])
    .describe(
      'A lawful source the network knows: a coded assembly of a dismantled vehicle, or a station intake line',
    ),
  serialNo: Serial.optional().describe('The core’s serial as read at intake'),
  intakeCheck: z
    .object({ passed: z.boolean(), note: Note.optional() })
    .describe('旧件入厂检测: a core that fails is recorded as rejected'),
});

export const StartProductBody = z.object({
  productLine: freeText({ max: 48 }),
  serialNo: Serial.describe('The product’s own serial number, unique for the remanufacturer'),
  coreIds: z.array(Id).min(1).max(20),
});

export const CheckBody = z.object({
  stage: z.enum(['production', 'release']).describe('production = 过程检验; release = 出厂检验 (every item)'),
  results: z
    .array(z.object({ code: freeText({ max: 48 }), value: z.int().describe('Measured, in the item’s unit') }))
    .min(1)
    .max(50),
  note: Note.optional(),
});

export const ReleaseBody = z.object({
  warrantyMonths: z.int().min(1).max(240).describe('No shorter than the original new product’s'),
});

export const ShipBody = z.object({
  use: ProductUse,
  buyer: z.object({
    name: freeText({ max: 200 }).describe('The enterprise or workshop taking the product'),
    creditCode: TaxpayerId.optional(),
  }),
});

export function httpSchemas(profile: CityProfile) {
  const codes = profile.districts.map((d) => d.code) as [string, ...string[]];
  const RemanufacturerBody = z.object({
    name: freeText({ max: 200 }),
    creditCode: TaxpayerId,
    districtCode: z.enum(codes),
    qualification: z.object({
      kind: RemanufacturerQualification,
      number: freeText({ max: 64 }),
      validUntil: LocalDate,
    }),
    productLines: z
      .array(freeText({ max: 48 }))
      .min(1)
      .max(20),
    active: z.boolean(),
  });
  return { RemanufacturerBody };
}

export const RemanufacturerView = z
  .object({
    remanufacturerId: Id,
    name: z.string(),
    creditCode: z.string(),
    districtCode: z.string(),
    qualification: z.object({ kind: RemanufacturerQualification, number: z.string(), validUntil: LocalDate }),
    productLines: z.array(z.string()),
    active: z.boolean(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Remanufacturer' });

export const CoreView = z
  .object({
    coreId: Id,
    remanufacturerId: Id,
    productLine: z.string(),
    serialNo: z.string().optional(),
    status: z.enum(['accepted', 'rejected', 'used']),
    intakeCheck: z.object({ passed: z.boolean(), note: z.string().optional() }),
    source: CoreSource,
    receivedAt: z.string(),
    productId: Id.optional(),
  })
  .meta({ id: 'Core' });

const Mark = z.object({
  text: z.literal('再制造'),
  standard: z.string(),
  makerName: z.string(),
  markNo: z.string(),
});

export const ProductView = z
  .object({
    productId: Id,
    remanufacturerId: Id,
    productLine: z.string(),
    serialNo: z.string(),
    coreIds: z.array(Id),
    status: z.enum(['in-production', 'released', 'shipped']),
    checks: z.array(
      z.object({
        checkNo: z.int(),
        stage: z.enum(['production', 'release']),
        results: z.array(TestResult),
        passed: z.boolean(),
        note: z.string().optional(),
        at: z.string(),
      }),
    ),
    release: z
      .object({
        checkNo: z.int(),
        mark: Mark,
        warrantyMonths: z.int(),
        originalWarrantyMonths: z.int(),
        forbiddenUses: z.array(ProductUse),
        releasedOn: LocalDate,
        warrantyUntil: LocalDate.describe('Last day of the warranty (city date)'),
        at: z.string(),
      })
      .optional(),
    shipment: z
      .object({
        shipmentId: Id,
        use: ProductUse,
        buyer: z.object({ name: z.string(), creditCode: z.string().optional() }),
        at: z.string(),
      })
      .optional(),
    createdAt: z.string(),
  })
  .meta({ id: 'RemanufacturedProduct' });

const CoreLinkView = CoreView.omit({ productId: true });
const ProductLinkView = z.object({
  productId: Id,
  remanufacturerId: Id,
  productLine: z.string(),
  serialNo: z.string(),
  status: z.string(),
  coreIds: z.array(Id),
  markNo: z.string().optional(),
  warrantyUntil: LocalDate.optional(),
});
const Origin = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('vehicle'),
    vin: Vin,
    vehicleIntakeId: Id,
    certificateNo: z.string(),
    dismantlerId: Id,
    assembly: MajorAssembly,
    remanufacturingCode: z.string(),
  }),
  z.object({ kind: z.literal('intake'), intakeId: Id, lineId: Id, stationId: Id, category: z.string() }),
]);

export const ProductTraceView = z
  .object({ product: ProductLinkView, cores: z.array(CoreLinkView.extend({ origin: Origin })) })
  .meta({ id: 'ProductTrace' });

export const CoreTraceView = z
  .object({ core: CoreLinkView, origin: Origin, product: ProductLinkView.nullable() })
  .meta({ id: 'CoreTrace' });

export const AssemblyTraceView = z
  .object({
    remanufacturingCode: z.string(),
    assembly: MajorAssembly,
    vin: Vin,
    vehicleIntakeId: Id,
    certificateNo: z.string().optional(),
    dismantlerId: Id,
    core: z
      .object({ coreId: Id, remanufacturerId: Id, productLine: z.string(), status: z.string() })
      .nullable(),
    product: z
      .object({ productId: Id, serialNo: z.string(), status: z.string(), markNo: z.string().optional() })
      .nullable(),
  })
  .meta({ id: 'AssemblyTrace' });

export const VehicleTraceView = z
  .object({
    vin: Vin,
    vehicleIntakes: z.array(
      z.object({
        vehicleIntakeId: Id,
        dismantlerId: Id,
        certificateNo: z.string().optional(),
        voided: z.boolean(),
        dismantled: z.boolean(),
        assemblies: z.array(AssemblyTraceView),
      }),
    ),
  })
  .meta({ id: 'VehicleTrace' });

export const ProductLinesView = z
  .object({
    mark: z.object({ text: z.literal('再制造'), standard: z.string() }),
    assumed: z.boolean(),
    source: z.string(),
    productLines: z.array(
      z.object({
        code: z.string(),
        name: Label,
        cores: z.object({
          assemblies: z.array(MajorAssembly).optional(),
          intakeCategories: z.array(z.string()).optional(),
        }),
        original: z.object({ description: Label, warrantyMonths: z.int() }),
        specification: z.array(
          z.object({
            code: z.string(),
            name: Label,
            unit: z.string(),
            better: SpecDirection,
            original: z.int(),
          }),
        ),
        forbiddenUses: z.array(ProductUse),
      }),
    ),
  })
  .meta({ id: 'RemanufacturingLines' });
