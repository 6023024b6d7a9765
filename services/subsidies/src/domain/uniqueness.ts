import { DomainError } from '@recycling/contracts';
import { maskReference } from './references';

// What can be subsidised once (domain.md section 9), each claimed by inserting its key: an old VIN,
// a recycling certificate, a new car (across both car programmes), an invoice number, a product unit
// (GTIN and serial), and a person's seats per category (or car programme) and year. A refusal names
// the rule and the earlier claim, masked.

export const UNIQUENESS_RULES = {
  'old-vin': {
    code: 'old-car-already-claimed',
    zh: '该旧车已用于一笔以旧换新补贴申请',
    en: 'This old car already backs a trade-in claim',
  },
  certificate: {
    code: 'certificate-already-claimed',
    zh: '该报废机动车回收证明已用于一笔补贴申请',
    en: 'This recycling certificate already backs a claim',
  },
  'new-vin': {
    code: 'new-car-already-claimed',
    zh: '该新车已用于一笔汽车以旧换新补贴申请（报废更新与置换更新只能享受其一）',
    en: 'This new car already backs a claim (scrap-and-buy and sell-and-buy exclude each other)',
  },
  invoice: {
    code: 'invoice-already-claimed',
    zh: '该发票已用于一笔补贴申请',
    en: 'This invoice already backs a claim',
  },
  serial: {
    code: 'serial-already-sold',
    zh: '该商品（条码与序列号）已享受过补贴',
    en: 'This unit (GTIN and serial number) was already sold with a subsidy',
  },
  quota: {
    code: 'person-limit-reached',
    zh: '申请人本年度该品类的补贴名额已用完',
    en: "The person's subsidised items of this category this year are used up",
  },
} as const;
export type UniquenessRule = keyof typeof UNIQUENESS_RULES;

export const uniqueKeys = {
  oldVin: (vin: string) => `old-vin:${vin}`,
  certificate: (no: string) => `certificate:${no}`,
  newVin: (vin: string) => `new-vin:${vin}`,
  invoice: (no: string) => `invoice:${no}`,
  serial: (gtin: string, serial: string) => `serial:${gtin}:${serial}`,
  /** Seat n of a person's quota: `quota:<personKey>:<category or car programme>:<year>#<n>`. */
  quotaSeat: (personKey: string, category: string, year: number, n: number) =>
    `quota:${personKey}:${category}:${year}#${n}`,
};

export const normaliseSerial = (serial: string): string => serial.normalize('NFKC').trim().toUpperCase();

/** The refusal of a key already held by another claim. */
export function alreadyClaimed(
  rule: UniquenessRule,
  field: string,
  earlierClaimIds: readonly string[],
  extra: Record<string, unknown> = {},
): DomainError {
  const r = UNIQUENESS_RULES[rule];
  const masked = earlierClaimIds.map(maskReference);
  return DomainError.conflict(r.code, `${r.zh}（${masked.join('、')}）/ ${r.en} (${masked.join(', ')}).`, {
    title: { zh: r.zh, en: r.en },
    fields: [{ field, message: `${r.zh} / ${r.en}`, code: r.code }],
    details: { rule, earlierClaim: masked[0], earlierClaims: masked, ...extra },
  });
}
