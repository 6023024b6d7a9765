import { z } from 'zod';
import type { Label } from '../labels';

// The 2014 edition of the national catalogue of waste electrical and electronic products
// (废弃电器电子产品处理目录, 2014年版) has 14 categories; statistics report against them.
//
// Laptops are not a 15th category: the catalogue's 微型计算机 covers desktops and portables alike.
// They get their own code anyway because a laptop weighs a sixth of a desktop and the default weight
// of a line is chosen per code. `catalogueCategory` folds laptop back into microcomputer for reports.
//
// Used production equipment that the plan (section 5) sends to remanufacturing, textile machinery
// and photovoltaic inverters, is taken in at a station like an appliance so that an intake line can
// carry it and a remanufacturer can name that line as the lawful source of a core. It is not in the
// catalogue and not a household appliance: no `catalogueCategory`, `householdAppliance: false`, so
// reports of household appliances (the 2027 target) leave it out.

export const APPLIANCE_CATEGORY_CODES = [
  'refrigerator',
  'air-conditioner',
  'range-hood',
  'washing-machine',
  'electric-water-heater',
  'gas-water-heater',
  'printer',
  'copier',
  'fax',
  'television',
  'monitor',
  'microcomputer',
  'laptop',
  'mobile-phone',
  'telephone',
  'textile-machinery',
  'pv-inverter',
] as const;

export const ApplianceCategory = z.enum(APPLIANCE_CATEGORY_CODES).describe('Appliance category code');
export type ApplianceCategory = z.infer<typeof ApplianceCategory>;

/** Codes of production equipment outside the catalogue (cores for remanufacturing). */
export const EQUIPMENT_CATEGORY_CODES = ['textile-machinery', 'pv-inverter'] as const;
export type EquipmentCategory = (typeof EQUIPMENT_CATEGORY_CODES)[number];

/** The 14 official categories, i.e. every code except the laptop refinement and equipment. */
export type CatalogueCategory = Exclude<ApplianceCategory, 'laptop' | EquipmentCategory>;

export interface ApplianceCategoryInfo {
  readonly code: ApplianceCategory;
  readonly name: Label;
  /** The official category this code is counted under; absent for equipment outside the catalogue. */
  readonly catalogueCategory?: CatalogueCategory;
  /** Part of the "four machines one computer" (四机一脑) core: TV, fridge, washer, AC, computer. */
  readonly fourMachinesOneComputer: boolean;
  /** A household appliance (counted towards appliances recovered); false for production equipment. */
  readonly householdAppliance: boolean;
}

const info = (
  code: ApplianceCategory,
  zh: string,
  en: string,
  fourMachinesOneComputer: boolean,
  catalogueCategory: CatalogueCategory = code as CatalogueCategory,
): ApplianceCategoryInfo => ({
  code,
  name: { zh, en },
  catalogueCategory,
  fourMachinesOneComputer,
  householdAppliance: true,
});

const equipment = (code: EquipmentCategory, zh: string, en: string): ApplianceCategoryInfo => ({
  code,
  name: { zh, en },
  fourMachinesOneComputer: false,
  householdAppliance: false,
});

export const applianceCategories: Readonly<Record<ApplianceCategory, ApplianceCategoryInfo>> = {
  refrigerator: info('refrigerator', '电冰箱', 'Refrigerator', true),
  'air-conditioner': info('air-conditioner', '空气调节器', 'Air conditioner', true),
  'range-hood': info('range-hood', '吸油烟机', 'Range hood', false),
  'washing-machine': info('washing-machine', '洗衣机', 'Washing machine', true),
  'electric-water-heater': info('electric-water-heater', '电热水器', 'Electric water heater', false),
  'gas-water-heater': info('gas-water-heater', '燃气热水器', 'Gas water heater', false),
  printer: info('printer', '打印机', 'Printer', false),
  copier: info('copier', '复印机', 'Copier', false),
  fax: info('fax', '传真机', 'Fax machine', false),
  television: info('television', '电视机', 'Television', true),
  monitor: info('monitor', '监视器', 'Monitor', false),
  microcomputer: info('microcomputer', '微型计算机', 'Microcomputer', true),
  laptop: info('laptop', '便携式微型计算机', 'Laptop computer', true, 'microcomputer'),
  'mobile-phone': info('mobile-phone', '移动通信手持机', 'Mobile phone', false),
  telephone: info('telephone', '电话单机', 'Telephone', false),
  'textile-machinery': equipment('textile-machinery', '纺织设备', 'Textile machinery'),
  'pv-inverter': equipment('pv-inverter', '光伏逆变器', 'Photovoltaic inverter'),
};

export const CATALOGUE_CATEGORY_CODES = APPLIANCE_CATEGORY_CODES.filter(
  (code): code is CatalogueCategory =>
    code !== 'laptop' && !(EQUIPMENT_CATEGORY_CODES as readonly string[]).includes(code),
);

/** Whether a category is production equipment (a remanufacturing core), not an appliance. */
export const isEquipmentCategory = (code: ApplianceCategory): code is EquipmentCategory =>
  (EQUIPMENT_CATEGORY_CODES as readonly string[]).includes(code);
