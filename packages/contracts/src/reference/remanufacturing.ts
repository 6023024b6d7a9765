import { z } from 'zod';
import type { Label } from '../labels';

// Remanufacturing (再制造, domain.md section 11): where a core may come from, the three checks, and
// what a remanufactured product may be used for. Product lines, their specifications and warranties
// are data of the city profile (`remanufacturing`).

/** Lawful sources of a core: an assembly a dismantler marked for remanufacturing, or a station's intake line. */
export const CORE_SOURCE_KIND_CODES = ['vehicle-assembly', 'intake'] as const;
export const CoreSourceKind = z
  .enum(CORE_SOURCE_KIND_CODES)
  .describe(
    'vehicle-assembly = one of the five major assemblies marked for remanufacturing by a dismantler; intake = a line of a station intake (used textile machinery, PV inverters)',
  );
export type CoreSourceKind = z.infer<typeof CoreSourceKind>;

export const coreSourceKinds: Readonly<Record<CoreSourceKind, { readonly name: Label }>> = {
  'vehicle-assembly': { name: { zh: '报废机动车总成', en: 'Scrapped-vehicle assembly' } },
  intake: { name: { zh: '回收站入库设备', en: 'Equipment taken in at a station' } },
};

/** Checks at core intake, in production and at release (出厂检验). */
export const CHECK_STAGE_CODES = ['intake', 'production', 'release'] as const;
export const CheckStage = z.enum(CHECK_STAGE_CODES);
export type CheckStage = z.infer<typeof CheckStage>;

export const checkStages: Readonly<Record<CheckStage, { readonly name: Label }>> = {
  intake: { name: { zh: '旧件入厂检测', en: 'Core intake check' } },
  production: { name: { zh: '过程检验', en: 'In-production check' } },
  release: { name: { zh: '出厂检验', en: 'Release test' } },
};

/** Which way a specification item is better: a higher power, a lower fuel consumption. */
export const SPEC_DIRECTION_CODES = ['higher', 'lower'] as const;
export const SpecDirection = z
  .enum(SPEC_DIRECTION_CODES)
  .describe('higher = at or above the original value passes; lower = at or below it passes');
export type SpecDirection = z.infer<typeof SpecDirection>;

/** What a remanufactured product is handed over for. */
export const PRODUCT_USE_CODES = ['replacement', 'resale', 'new-vehicle-assembly'] as const;
export const ProductUse = z
  .enum(PRODUCT_USE_CODES)
  .describe(
    'replacement = 维修更换 (after-market repair), resale = 再销售, new-vehicle-assembly = 用于组装新车 (forbidden for vehicle assemblies)',
  );
export type ProductUse = z.infer<typeof ProductUse>;

export const productUses: Readonly<Record<ProductUse, { readonly name: Label }>> = {
  replacement: { name: { zh: '维修更换', en: 'Replacement in repair' } },
  resale: { name: { zh: '再销售', en: 'Resale' } },
  'new-vehicle-assembly': { name: { zh: '用于组装新车', en: 'Building a new vehicle' } },
};

/** The qualifications a remanufacturer may hold (recorded with its number and validity). */
export const REMANUFACTURER_QUALIFICATION_CODES = [
  'miit-remanufacturing-pilot',
  'remanufactured-product-certification',
  'dismantler-remanufacturing',
] as const;
export const RemanufacturerQualification = z
  .enum(REMANUFACTURER_QUALIFICATION_CODES)
  .describe(
    'miit-remanufacturing-pilot = 再制造试点企业, remanufactured-product-certification = 再制造产品认定, dismantler-remanufacturing = 报废机动车回收拆解企业（具备再制造条件）',
  );
export type RemanufacturerQualification = z.infer<typeof RemanufacturerQualification>;

export const remanufacturerQualifications: Readonly<
  Record<RemanufacturerQualification, { readonly name: Label }>
> = {
  'miit-remanufacturing-pilot': { name: { zh: '再制造试点企业', en: 'Remanufacturing pilot enterprise' } },
  'remanufactured-product-certification': {
    name: { zh: '再制造产品认定', en: 'Remanufactured product certification' },
  },
  'dismantler-remanufacturing': {
    name: { zh: '具备再制造条件的拆解企业', en: 'Dismantler qualified to remanufacture' },
  },
};
