// The words residents use for what they hand over (冰箱, not 电冰箱 of the regulatory catalogue), in
// the order people look for them: the "four machines, one computer" first.
import type { Label } from './context';

export const EVERYDAY_CATEGORIES: ReadonlyArray<{ code: string; name: Label }> = [
  { code: 'refrigerator', name: { zh: '冰箱', en: 'Fridge' } },
  { code: 'air-conditioner', name: { zh: '空调', en: 'Air conditioner' } },
  { code: 'washing-machine', name: { zh: '洗衣机', en: 'Washing machine' } },
  { code: 'television', name: { zh: '电视', en: 'TV' } },
  { code: 'microcomputer', name: { zh: '台式电脑', en: 'Desktop computer' } },
  { code: 'laptop', name: { zh: '笔记本电脑', en: 'Laptop' } },
  { code: 'range-hood', name: { zh: '油烟机', en: 'Cooker hood' } },
  { code: 'electric-water-heater', name: { zh: '电热水器', en: 'Electric water heater' } },
  { code: 'gas-water-heater', name: { zh: '燃气热水器', en: 'Gas water heater' } },
  { code: 'monitor', name: { zh: '显示器', en: 'Monitor' } },
  { code: 'printer', name: { zh: '打印机', en: 'Printer' } },
  { code: 'copier', name: { zh: '复印机', en: 'Copier' } },
  { code: 'fax', name: { zh: '传真机', en: 'Fax machine' } },
  { code: 'mobile-phone', name: { zh: '手机', en: 'Mobile phone' } },
  { code: 'telephone', name: { zh: '座机电话', en: 'Landline phone' } },
];

const byCode = new Map(EVERYDAY_CATEGORIES.map((c) => [c.code, c.name]));

/** The everyday name of a category code, falling back to the given label. */
export const everydayName = (code: string, lang: 'zh' | 'en', fallback?: Label): string =>
  byCode.get(code)?.[lang] ?? fallback?.[lang] ?? code;
