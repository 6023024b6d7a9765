import {
  DomainError,
  isNewEnergy,
  type CarRule,
  type CounterSaleCategory,
  type CounterSaleRule,
  type FuelType,
  type SubsidyAmount,
} from '@recycling/contracts';

// Money in integer fen, rates in basis points. A share of a price is rounded down to the fen (the
// fund never pays a fraction more than the rule gives), then capped.

/** `priceFen` x `rateBp` / 10000, rounded down to the fen, exactly (no float). */
export const shareOf = (priceFen: number, rateBp: number): number =>
  Number((BigInt(priceFen) * BigInt(rateBp)) / 10_000n);

export const amountOf = (amount: SubsidyAmount, priceFen: number): number =>
  'fixedFen' in amount ? amount.fixedFen : Math.min(shareOf(priceFen, amount.rateBp), amount.capFen);

/** The car subsidy: the rule's amount for a new-energy or a fuel new car. */
export const carSubsidyFen = (rule: CarRule, newCar: { fuelType: FuelType; priceFen: number }): number =>
  amountOf(isNewEnergy(newCar.fuelType) ? rule.amounts.newEnergy : rule.amounts.fuel, newCar.priceFen);

export interface CounterSaleItem {
  category: string;
  energyGrade?: number;
  priceFen: number;
}

export function categoryOf(rule: CounterSaleRule, code: string, field = 'category'): CounterSaleCategory {
  const category = rule.categories.find((c) => c.code === code);
  if (!category) {
    const known = rule.categories.map((c) => `${c.code}（${c.name.zh}）`).join('、');
    throw DomainError.invalid(
      'category-not-in-programme',
      field,
      `该品类不在本期补贴范围内，可选：${known} / ${code} is not subsidised by the rule in force; choose one of: ${rule.categories.map((c) => c.code).join(', ')}.`,
    );
  }
  return category;
}

/**
 * The counter-sale subsidy of one item: the category's rate (plus the grade 1 bonus) of the price,
 * rounded down, capped per item. Refuses an energy grade that does not qualify, or a missing one
 * where the category has an energy label.
 */
export function counterSaleSubsidyFen(rule: CounterSaleRule, item: CounterSaleItem): number {
  const category = categoryOf(rule, item.category);
  if (category.energyGrades) {
    if (item.energyGrade === undefined) {
      throw DomainError.invalid(
        'energy-grade-required',
        'energyGrade',
        `「${category.name.zh}」须登记能效等级 / ${category.name.en} needs its energy grade.`,
      );
    }
    if (!category.energyGrades.includes(item.energyGrade)) {
      throw DomainError.invalid(
        'energy-grade-not-eligible',
        'energyGrade',
        `「${category.name.zh}」须为 ${category.energyGrades.join('、')} 级能效，该商品为 ${item.energyGrade} 级 / ${category.name.en} must be of energy grade ${category.energyGrades.join(' or ')}; this product is grade ${item.energyGrade}.`,
      );
    }
  } else if (item.energyGrade !== undefined) {
    throw DomainError.invalid(
      'energy-grade-not-applicable',
      'energyGrade',
      `「${category.name.zh}」没有能效等级 / ${category.name.en} has no energy label.`,
    );
  }
  const rateBp = category.rateBp + (item.energyGrade === 1 ? category.grade1BonusBp : 0);
  return Math.min(shareOf(item.priceFen, rateBp), category.capFenPerItem);
}
