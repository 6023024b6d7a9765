// The trade-in subsidies service's answers as the pages read them, and the programme rules of the
// city profile (GET /programmes) with what the pages compute from them: the rule in force on a day
// and the amount it gives. Amounts are integer fen; a share of a price is rounded down to the fen,
// then capped, exactly as the service does (services/subsidies/src/domain/amounts.ts; a unit test
// holds the two together).
import type { Label } from '../../lib/context';

export type Amount = { fixedFen: number } | { rateBp: number; capFen: number };

export interface CarRule {
  effectiveFrom: string;
  oldCar: {
    vehicleTypes: string[];
    registeredOnOrBefore?: { gasoline: string; diesel: string; newEnergy: string };
    fuelCarQualifiesAtOrOlderThan?: string;
    ownedSinceBefore?: string;
  };
  newCar: { vehicleTypes: string[]; fuelMaxDisplacementMl?: number; boughtInCity: boolean };
  amounts: { newEnergy: Amount; fuel: Amount };
  perPersonPerYear: number;
}

export interface SaleCategory {
  code: string;
  name: Label;
  catalogueCategory?: string;
  energyGrades?: number[];
  rateBp: number;
  grade1BonusBp: number;
  capFenPerItem: number;
  perPersonPerYear: number;
}

export interface SaleRule {
  effectiveFrom: string;
  requiresOldItemIntake: boolean;
  categories: SaleCategory[];
}

export interface ProgrammeYear<R> {
  year: number;
  validFrom: string;
  validTo: string;
  budgetFen: number;
  budgetAssumed: boolean;
  assumed: boolean;
  deadlines: { acceptDays: number; reviewWorkingDays: number; payDays: number };
  resubmissionCap: number;
  rules: R[];
}

export type Programme =
  | { code: string; name: Label; kind: 'car-scrap' | 'car-replace'; years: Array<ProgrammeYear<CarRule>> }
  | { code: string; name: Label; kind: 'counter-sale'; years: Array<ProgrammeYear<SaleRule>> };
export type CarProgramme = Extract<Programme, { kind: 'car-scrap' | 'car-replace' }>;
export type SaleProgramme = Extract<Programme, { kind: 'counter-sale' }>;

export type ClaimStatus =
  'awaiting-evidence' | 'ready' | 'in-review' | 'rejected' | 'approved' | 'paid' | 'reversed' | 'closed';

export interface EvidenceRef {
  kind: string;
  eventId: string;
  ref: string;
}

export interface HistoryEntry {
  at: string;
  action: string;
  by: { role: string; id?: string };
  note?: string;
  eventId?: string;
}

export interface Claim {
  claimId: string;
  kind: 'car-scrap' | 'car-replace' | 'counter-sale';
  programmeCode: string;
  programmeName: Label;
  programmeYear: number;
  status: ClaimStatus;
  statusName: string;
  amountFen: number;
  purchaseDate: string;
  districtCode: string;
  applicant?: {
    nameMasked: string;
    idNumberMasked: string;
    phoneMasked: string;
    bankCardMasked: string;
    bankName: string;
  };
  car?: {
    oldCar: {
      vin: string;
      vehicleType: string;
      fuelType: string;
      emissionStandard: string;
      registrationDate: string;
      ownedSince: string;
      certificateNo?: string;
      usedCarTransactionId?: string;
    };
    newCar: {
      vin: string;
      vehicleType: string;
      fuelType: string;
      displacementMl?: number;
      priceFen: number;
      invoiceNo: string;
      purchaseDate: string;
      registrationDate: string;
      registrationCertificateNo: string;
      dealer: { name: string; districtCode: string };
    };
  };
  sale?: {
    retailerId: string;
    category: string;
    categoryName: Label;
    gtin: string;
    model: string;
    energyGrade?: number;
    serialNo: string;
    priceFen: number;
    subsidyFen: number;
    buyerPaysFen: number;
    invoiceNo: string;
    soldOn: string;
    requiresOldItemIntake: boolean;
    buyer: { nameMasked?: string; phoneMasked: string; addressMasked: string };
    reimbursementId?: string;
  };
  evidence: { refs: EvidenceRef[]; waitingFor: string[]; matched?: boolean };
  flags: Array<{ code: string; note: string; at: string }>;
  overdue: Array<'overdue-accept' | 'overdue-review' | 'overdue-payment'>;
  deadlines: { acceptBy?: string; reviewBy?: string; payBy?: string };
  resubmissions: number;
  resubmissionsLeft: number;
  lastRejection?: { reasons: Array<{ code: string; note?: string }>; at: string };
  submittedAt: string;
  acceptedAt?: string;
  approvedAt?: string;
  paidAt?: string;
  reversedAt?: string;
  payment?: { paymentId: string; batchId: string };
  history: HistoryEntry[];
}

export interface FundRow {
  programmeCode: string;
  programmeName: Label;
  kind: Programme['kind'];
  year: number;
  validFrom: string;
  validTo: string;
  budgetFen: number;
  budgetAssumed: boolean;
  committedFen: number;
  paidFen: number;
  reversedFen: number;
  remainingFen: number;
}

export interface PaymentBatch {
  batchId: string;
  programmeCode: string;
  programmeYear: number;
  paid: Array<{ claimId: string; paymentId: string; amountFen: number }>;
  skipped: Array<{ claimId: string; code: string }>;
  totalFen: number;
  releasedBy: string;
  releasedAt: string;
}

export interface Reimbursement {
  reimbursementId: string;
  retailerId: string;
  programmeCode: string;
  programmeYear: number;
  claims: Array<{ claimId: string; subsidyFen: number }>;
  refused: Array<{ claimId: string; code: string }>;
  totalFen: number;
  claimedAt: string;
}

export interface Retailer {
  retailerId: string;
  name: string;
  districtCode: string;
  programmeCodes: string[];
  active: boolean;
}

/** The programme year whose purchases include `date`, if any. */
export function yearOn<R>(
  years: ReadonlyArray<ProgrammeYear<R>>,
  date: string,
): ProgrammeYear<R> | undefined {
  return years.find((y) => y.validFrom <= date && date <= y.validTo);
}

/** The rule of a year in force on `date`: the latest one that took effect by then. */
export function ruleOn<R extends { effectiveFrom: string }>(
  year: ProgrammeYear<R>,
  date: string,
): R | undefined {
  return [...year.rules].reverse().find((r) => r.effectiveFrom <= date);
}

/** The year and rule in force on `date`, or (between years) the latest year and its last rule. */
export function inForceOrLatest<R extends { effectiveFrom: string }>(
  years: ReadonlyArray<ProgrammeYear<R>>,
  date: string,
): { year: ProgrammeYear<R>; rule: R; inForce: boolean } | undefined {
  const year = yearOn(years, date);
  const rule = year && ruleOn(year, date);
  if (year && rule) return { year, rule, inForce: true };
  const latest = [...years].sort((a, b) => a.validFrom.localeCompare(b.validFrom)).at(-1);
  const last = latest?.rules.at(-1);
  return latest && last ? { year: latest, rule: last, inForce: false } : undefined;
}

/** `priceFen` × `rateBp` / 10000 rounded down to the fen, exactly. */
export const shareOf = (priceFen: number, rateBp: number): number =>
  Number((BigInt(priceFen) * BigInt(rateBp)) / 10_000n);

export const amountOf = (amount: Amount, priceFen: number): number =>
  'fixedFen' in amount ? amount.fixedFen : Math.min(shareOf(priceFen, amount.rateBp), amount.capFen);

export const NEW_ENERGY_FUELS = ['bev', 'phev', 'fcev'];

export const carAmountFen = (rule: CarRule, fuelType: string, priceFen: number): number =>
  amountOf(NEW_ENERGY_FUELS.includes(fuelType) ? rule.amounts.newEnergy : rule.amounts.fuel, priceFen);

export type SaleQuote =
  | { ok: true; subsidyFen: number; rateBp: number; buyerPaysFen: number }
  | { ok: false; why: 'grade-required' | 'grade-not-eligible' | 'grade-not-applicable'; grades?: number[] };

/** The discount of one item at the counter, or why the item does not qualify. */
export function saleQuote(
  category: SaleCategory,
  energyGrade: number | undefined,
  priceFen: number,
): SaleQuote {
  if (category.energyGrades) {
    if (energyGrade === undefined) return { ok: false, why: 'grade-required', grades: category.energyGrades };
    if (!category.energyGrades.includes(energyGrade))
      return { ok: false, why: 'grade-not-eligible', grades: category.energyGrades };
  } else if (energyGrade !== undefined) {
    return { ok: false, why: 'grade-not-applicable' };
  }
  const rateBp = category.rateBp + (energyGrade === 1 ? category.grade1BonusBp : 0);
  const subsidyFen = Math.min(shareOf(priceFen, rateBp), category.capFenPerItem);
  return { ok: true, subsidyFen, rateBp, buyerPaysFen: priceFen - subsidyFen };
}

/** 1500 → '15%', 1250 → '12.5%'. */
export const percent = (bp: number): string =>
  `${(bp / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })}%`;

/** 2000000 fen → '20,000' (whole yuan, as rules are written); '20,000.50' otherwise. */
export const yuanOf = (fen: number): string => {
  const whole = Math.trunc(fen / 100);
  return fen % 100 === 0
    ? whole.toLocaleString('en-US')
    : `${whole.toLocaleString('en-US')}.${String(Math.abs(fen % 100)).padStart(2, '0')}`;
};

/** The check digit of the first 12 digits of a GTIN-13 (EAN-13). */
export function gtin13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/** Why a GTIN-13 as typed is wrong, or undefined when it is right. */
export function gtinProblem(gtin: string): 'digits' | 'check' | undefined {
  if (!/^\d{13}$/.test(gtin)) return 'digits';
  return gtin13CheckDigit(gtin.slice(0, 12)) === Number(gtin[12]) ? undefined : 'check';
}

/** Evidence keys a claim waits for (`certificate:<no>`, `deregistration:<vin>` …), by what they are. */
export const evidenceKind = (key: string): string => key.split(':')[0] ?? key;
