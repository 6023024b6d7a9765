import { z } from 'zod';
import { Label } from '../labels';
import { ApplianceCategory, isEquipmentCategory } from '../reference/appliance-catalogue';
import { MajorAssembly } from '../reference/major-assemblies';
import { ProductUse, SpecDirection } from '../reference/remanufacturing';
import { checkUnique } from '../validation';
import { ReferenceCode } from './public-institutions';

// Remanufacturing (再制造, plan section 5; domain.md section 11) as data of the city profile: the
// product lines a remanufacturer may run, what cores each takes, the original new product's
// specification its release test is measured against, and the original's warranty. A product is
// released only when every result is at or above the original's (in the item's direction), with a
// warranty no shorter; a new line or a revised specification is an edit of this data, never code.

const Provenance = {
  assumed: z.boolean().describe('true when the values are placeholders, not official figures'),
  source: z.string().min(1).describe('Where the values come from'),
};

export const SpecificationItem = z.strictObject({
  code: ReferenceCode,
  name: Label,
  unit: z.string().min(1).max(20).describe('Unit the values are in, e.g. W, N·m, g/kWh, dB, ‱'),
  better: SpecDirection,
  original: z.int().describe('The original new product’s value, an integer in `unit`'),
});
export type SpecificationItem = z.infer<typeof SpecificationItem>;

export const ProductLine = z
  .strictObject({
    code: ReferenceCode,
    name: Label,
    cores: z
      .strictObject({
        assemblies: z
          .array(MajorAssembly)
          .optional()
          .describe('Major assemblies of scrapped vehicles this line takes as cores'),
        intakeCategories: z
          .array(ApplianceCategory)
          .optional()
          .describe('Equipment categories of station intakes this line takes as cores'),
      })
      .refine((c) => (c.assemblies?.length ?? 0) + (c.intakeCategories?.length ?? 0) > 0, {
        message: 'a line takes at least one kind of core',
      }),
    original: z.strictObject({
      description: Label.describe('The original new product the line is measured against'),
      warrantyMonths: z
        .int()
        .min(1)
        .max(240)
        .describe('The original’s warranty; a product’s is never shorter'),
    }),
    specification: z.array(SpecificationItem).min(1),
    forbiddenUses: z.array(ProductUse).describe('Uses a product of the line may never be handed over for'),
  })
  .superRefine((line, ctx) => {
    checkUnique(ctx, ['specification'], line.specification, (s) => s.code, 'code');
    // Decree 715: a vehicle's major assemblies may never go into building a vehicle.
    if ((line.cores.assemblies?.length ?? 0) > 0 && !line.forbiddenUses.includes('new-vehicle-assembly')) {
      ctx.addIssue({
        code: 'custom',
        path: ['forbiddenUses'],
        message: 'a line of vehicle assemblies must forbid new-vehicle-assembly',
      });
    }
    line.cores.intakeCategories?.forEach((c, i) => {
      if (!isEquipmentCategory(c)) {
        ctx.addIssue({
          code: 'custom',
          path: ['cores', 'intakeCategories', i],
          message: `${c} is a household appliance, not production equipment`,
        });
      }
    });
  });
export type ProductLine = z.infer<typeof ProductLine>;

export const RemanufacturingRules = z
  .strictObject({
    ...Provenance,
    mark: z
      .strictObject({
        text: z.literal('再制造').describe('The permanent mark every product carries'),
        standard: z.string().min(1).max(40).describe('e.g. GB/T 27611-2011'),
      })
      .describe('再制造 mark (GB/T 27611-2011), applied permanently at release'),
    productLines: z.array(ProductLine).min(1),
  })
  .superRefine((r, ctx) => checkUnique(ctx, ['productLines'], r.productLines, (l) => l.code, 'code'))
  .describe('Remanufacturing (再制造): product lines, their cores, specifications and warranties');
export type RemanufacturingRules = z.infer<typeof RemanufacturingRules>;
