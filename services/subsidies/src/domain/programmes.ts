import {
  DomainError,
  type CarProgramme,
  type CarProgrammeYear,
  type CarRule,
  type CounterSaleProgramme,
  type CounterSaleProgrammeYear,
  type CounterSaleRule,
  type TradeInProgramme,
  type TradeInSubsidies,
} from '@recycling/contracts';

// Which programme, year and rule apply: all of it is data of the city profile. A purchase belongs
// to the programme year whose validity covers its date, and within that year to the latest rule
// whose `effectiveFrom` is on or before it (a rule raised mid-year applies from its first day).

export type ProgrammeYear = CarProgrammeYear | CounterSaleProgrammeYear;

export interface RuleInForce<P extends TradeInProgramme, Y extends ProgrammeYear, R> {
  programme: P;
  year: Y;
  rule: R;
}

export type CarRuleInForce = RuleInForce<CarProgramme, CarProgrammeYear, CarRule>;
export type CounterSaleRuleInForce = RuleInForce<
  CounterSaleProgramme,
  CounterSaleProgrammeYear,
  CounterSaleRule
>;

export const programmeNotFound = (code: string, field = 'programmeCode') =>
  DomainError.invalid(
    'unknown-programme',
    field,
    `没有代码为 ${code} 的以旧换新项目 / No trade-in programme with code ${code}.`,
  );

export function findProgramme(tradeIn: TradeInSubsidies, code: string): TradeInProgramme | undefined {
  return tradeIn.programmes.find((p) => p.code === code);
}

/** The year of a programme that covers `date` (YYYY-MM-DD), if any. */
export function yearOn<Y extends ProgrammeYear>(years: readonly Y[], date: string): Y | undefined {
  return years.find((y) => y.validFrom <= date && date <= y.validTo);
}

/** The year numbered `year`, if the programme has it. */
export function yearNumbered<Y extends ProgrammeYear>(years: readonly Y[], year: number): Y | undefined {
  return years.find((y) => y.year === year);
}

/** The rule of a year in force on `date`: the latest whose effectiveFrom is on or before it. */
export function ruleOn<R extends { effectiveFrom: string }>(
  rules: readonly R[],
  date: string,
): R | undefined {
  let found: R | undefined;
  for (const r of rules) if (r.effectiveFrom <= date) found = r;
  return found;
}

function notInForce(programme: TradeInProgramme, date: string, field: string): DomainError {
  const covered = programme.years.map((y) => `${y.validFrom}–${y.validTo}`).join(', ');
  return DomainError.invalid(
    'no-programme-in-force',
    field,
    `${date} 不在「${programme.name.zh}」的活动期内（${covered}）/ ${date} is outside every year of ${programme.name.en} (${covered}).`,
  );
}

/** The car programme `code` and its rule in force on the purchase date; refuses what does not fit. */
export function carRuleOn(
  tradeIn: TradeInSubsidies,
  code: string,
  date: string,
  field = 'newCar.purchaseDate',
): CarRuleInForce {
  const programme = findProgramme(tradeIn, code);
  if (!programme) throw programmeNotFound(code);
  if (programme.kind === 'counter-sale') {
    throw DomainError.invalid(
      'not-a-car-programme',
      'programmeCode',
      `「${programme.name.zh}」是柜台销售项目，不受理车辆申请 / ${programme.name.en} is a counter-sale programme.`,
    );
  }
  const year = yearOn(programme.years, date);
  const rule = year && ruleOn(year.rules, date);
  if (!year || !rule) throw notInForce(programme, date, field);
  return { programme, year, rule };
}

/** The counter-sale programme `code` and its rule in force on the sale date. */
export function counterSaleRuleOn(
  tradeIn: TradeInSubsidies,
  code: string,
  date: string,
  field = 'soldOn',
): CounterSaleRuleInForce {
  const programme = findProgramme(tradeIn, code);
  if (!programme) throw programmeNotFound(code);
  if (programme.kind !== 'counter-sale') {
    throw DomainError.invalid(
      'not-a-counter-sale-programme',
      'programmeCode',
      `「${programme.name.zh}」不是柜台销售项目 / ${programme.name.en} is not sold at a counter.`,
    );
  }
  const year = yearOn(programme.years, date);
  const rule = year && ruleOn(year.rules, date);
  if (!year || !rule) throw notInForce(programme, date, field);
  return { programme, year, rule };
}

/** A programme's year by number, or a not-found refusal. */
export function programmeYear(
  tradeIn: TradeInSubsidies,
  code: string,
  year: number,
): { programme: TradeInProgramme; year: ProgrammeYear } {
  const programme = findProgramme(tradeIn, code);
  if (!programme) throw programmeNotFound(code);
  const found = yearNumbered(programme.years as readonly ProgrammeYear[], year);
  if (!found) {
    throw DomainError.invalid(
      'unknown-programme-year',
      'year',
      `「${programme.name.zh}」没有 ${year} 年度 / ${programme.name.en} has no year ${year}.`,
    );
  }
  return { programme, year: found };
}

/** Every (programme, year) of the profile, in profile order. */
export const allProgrammeYears = (tradeIn: TradeInSubsidies) =>
  tradeIn.programmes.flatMap((programme) =>
    (programme.years as readonly ProgrammeYear[]).map((year) => ({ programme, year })),
  );
