// The rule table of every programme year shipped in Alar's profile: amounts, cut-off dates at their
// edges, caps, per-person limits, energy grades, and a purchase on the first day a new rule applies.
// Pure: the rules are data of the city profile, read here exactly as the service reads them.
import { alarProfile, DomainError, type CarRule, type TradeInSubsidies } from '@recycling/contracts';
import { carSubsidyFen, categoryOf, counterSaleSubsidyFen, shareOf } from '../src/domain/amounts';
import {
  assertCarsEligible,
  fuelGroupOf,
  type NewCarFacts,
  type OldCarFacts,
} from '../src/domain/car-eligibility';
import { carRuleOn, counterSaleRuleOn, programmeYear } from '../src/domain/programmes';

const tradeIn = alarProfile.subsidies.tradeIn as TradeInSubsidies;
const yuan = (n: number) => Math.round(n * 100);

const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};
const codesOf = (e: DomainError) => e.fields.map((f) => f.code);

const oldCar = (o: Partial<OldCarFacts> = {}): OldCarFacts => ({
  vehicleType: 'passenger-car',
  fuelType: 'gasoline',
  emissionStandard: 'china-4',
  registrationDate: '2010-05-01',
  ownedSince: '2015-03-01',
  ...o,
});
const newCar = (o: Partial<NewCarFacts> = {}): NewCarFacts => ({
  vehicleType: 'passenger-car',
  fuelType: 'bev',
  priceFen: yuan(150_000),
  purchaseDate: '2025-03-01',
  registrationDate: '2025-03-05',
  ...o,
});
const scrapRule = (date: string): CarRule => carRuleOn(tradeIn, 'car-scrap', date).rule;
const replaceRule = (date: string): CarRule => carRuleOn(tradeIn, 'car-replace', date).rule;

describe('car scrap-and-buy (报废更新)', () => {
  it('2024: 20,000 yuan for a new-energy car, 15,000 for a fuel car, for the whole year', () => {
    expect(carSubsidyFen(scrapRule('2024-04-24'), newCar({ fuelType: 'bev' }))).toBe(yuan(20_000));
    expect(carSubsidyFen(scrapRule('2024-12-31'), newCar({ fuelType: 'phev' }))).toBe(yuan(20_000));
    expect(
      carSubsidyFen(scrapRule('2024-08-30'), newCar({ fuelType: 'gasoline', displacementMl: 1500 })),
    ).toBe(yuan(15_000));
  });

  it('2024: registration cut-offs by fuel at their edges, or China III or older for fuel cars', () => {
    const rule = scrapRule('2024-09-01');
    const ok = (o: Partial<OldCarFacts>) => () =>
      assertCarsEligible(
        rule,
        oldCar(o),
        newCar({ purchaseDate: '2024-09-01', registrationDate: '2024-09-02' }),
      );
    expect(ok({ registrationDate: '2011-06-30' })).not.toThrow();
    expect(codesOf(refusal(ok({ registrationDate: '2011-07-01' })))).toEqual(['old-car-registered-too-late']);
    expect(ok({ registrationDate: '2011-07-01', emissionStandard: 'china-3' })).not.toThrow();
    expect(ok({ fuelType: 'diesel', registrationDate: '2013-06-30' })).not.toThrow();
    expect(refusal(ok({ fuelType: 'diesel', registrationDate: '2013-07-01' })).code).toBe(
      'old-car-registered-too-late',
    );
    expect(ok({ fuelType: 'bev', registrationDate: '2018-04-30', ownedSince: '2018-05-01' })).not.toThrow();
    // The emission standard never qualifies a new-energy car.
    expect(
      refusal(
        ok({
          fuelType: 'bev',
          emissionStandard: 'pre-china-1',
          registrationDate: '2018-05-01',
          ownedSince: '2018-06-01',
        }),
      ).code,
    ).toBe('old-car-registered-too-late');
  });

  it('2024: the old car in the applicant’s name since before 25 July 2024', () => {
    const rule = scrapRule('2024-09-01');
    const check = (ownedSince: string) => () =>
      assertCarsEligible(
        rule,
        oldCar({ ownedSince }),
        newCar({ purchaseDate: '2024-09-01', registrationDate: '2024-09-02' }),
      );
    expect(check('2024-07-24')).not.toThrow();
    expect(refusal(check('2024-07-25')).code).toBe('old-car-owned-too-recently');
  });

  it('2025: later cut-offs (petrol 2012-06-30, diesel 2014-06-30, NEV 2018-12-31), ownership before 2025-01-08', () => {
    const rule = scrapRule('2025-05-01');
    const check = (o: Partial<OldCarFacts>) => () => assertCarsEligible(rule, oldCar(o), newCar());
    expect(check({ registrationDate: '2012-06-30' })).not.toThrow();
    expect(refusal(check({ registrationDate: '2012-07-01' })).code).toBe('old-car-registered-too-late');
    // China III does not save a late petrol car in 2025: the rule has no emission alternative.
    expect(refusal(check({ registrationDate: '2012-07-01', emissionStandard: 'china-3' })).code).toBe(
      'old-car-registered-too-late',
    );
    expect(check({ fuelType: 'diesel', registrationDate: '2014-06-30' })).not.toThrow();
    expect(
      check({ fuelType: 'phev', registrationDate: '2018-12-31', ownedSince: '2019-01-02' }),
    ).not.toThrow();
    expect(
      refusal(check({ fuelType: 'phev', registrationDate: '2019-01-01', ownedSince: '2019-01-02' })).code,
    ).toBe('old-car-registered-too-late');
    expect(check({ ownedSince: '2025-01-07' })).not.toThrow();
    expect(refusal(check({ ownedSince: '2025-01-08' })).code).toBe('old-car-owned-too-recently');
    expect(carSubsidyFen(rule, newCar())).toBe(yuan(20_000));
    expect(carSubsidyFen(rule, newCar({ fuelType: 'hybrid', displacementMl: 2000 }))).toBe(yuan(15_000));
  });

  it('2026: 12% of the price up to 20,000 (NEV), 10% up to 15,000 (fuel), cut-offs 2013-06-30 / 2015-06-30 / 2019-12-31', () => {
    const rule = scrapRule('2026-02-01');
    expect(carSubsidyFen(rule, newCar({ priceFen: yuan(150_000) }))).toBe(yuan(18_000));
    expect(carSubsidyFen(rule, newCar({ priceFen: yuan(166_666.66) }))).toBe(yuan(19_999.99));
    expect(carSubsidyFen(rule, newCar({ priceFen: yuan(250_000) }))).toBe(yuan(20_000));
    expect(carSubsidyFen(rule, newCar({ fuelType: 'gasoline', priceFen: yuan(120_000) }))).toBe(yuan(12_000));
    expect(carSubsidyFen(rule, newCar({ fuelType: 'gasoline', priceFen: yuan(160_000) }))).toBe(yuan(15_000));
    const check = (o: Partial<OldCarFacts>) => () =>
      assertCarsEligible(
        rule,
        oldCar(o),
        newCar({ purchaseDate: '2026-02-01', registrationDate: '2026-02-03' }),
      );
    expect(check({ registrationDate: '2013-06-30' })).not.toThrow();
    expect(refusal(check({ registrationDate: '2013-07-01' })).code).toBe('old-car-registered-too-late');
    expect(
      check({ fuelType: 'diesel', registrationDate: '2015-06-30', ownedSince: '2015-07-01' }),
    ).not.toThrow();
    expect(
      check({ fuelType: 'fcev', registrationDate: '2019-12-31', ownedSince: '2020-01-01' }),
    ).not.toThrow();
    // No ownership date in 2026: a car owned since last month qualifies.
    expect(check({ ownedSince: '2026-01-15' })).not.toThrow();
  });

  it('a purchase on the first day of a new year takes the new rule', () => {
    expect(carSubsidyFen(scrapRule('2025-12-31'), newCar({ priceFen: yuan(100_000) }))).toBe(yuan(20_000));
    expect(carSubsidyFen(scrapRule('2026-01-01'), newCar({ priceFen: yuan(100_000) }))).toBe(yuan(12_000));
    expect(carRuleOn(tradeIn, 'car-scrap', '2026-01-01').year.year).toBe(2026);
    expect(refusal(() => carRuleOn(tradeIn, 'car-scrap', '2024-04-23'))).toMatchObject({
      code: 'no-programme-in-force',
      fields: [{ field: 'newCar.purchaseDate' }],
    });
  });

  it('a new fuel car at most 2.0 litres, registered after it was bought; every failure named at once', () => {
    const rule = scrapRule('2025-05-01');
    const fuel = (o: Partial<NewCarFacts>) => () =>
      assertCarsEligible(rule, oldCar(), newCar({ fuelType: 'gasoline', ...o }));
    expect(fuel({ displacementMl: 2000 })).not.toThrow();
    expect(refusal(fuel({ displacementMl: 2001 })).code).toBe('new-car-displacement-too-large');
    expect(refusal(fuel({})).code).toBe('displacement-required');
    const all = refusal(() =>
      assertCarsEligible(
        rule,
        oldCar({ vehicleType: 'truck', registrationDate: '2013-01-01', ownedSince: '2025-02-01' }),
        newCar({ fuelType: 'gasoline', displacementMl: 2400, registrationDate: '2025-02-01' }),
      ),
    );
    expect(codesOf(all)).toEqual([
      'old-car-type-not-eligible',
      'old-car-registered-too-late',
      'old-car-owned-too-recently',
      'new-car-displacement-too-large',
      'new-car-registered-before-purchase',
    ]);
    expect(all.fields.map((f) => f.field)).toEqual([
      'oldCar.vehicleType',
      'oldCar.registrationDate',
      'oldCar.ownedSince',
      'newCar.displacementMl',
      'newCar.registrationDate',
    ]);
  });

  it('counts hybrids, LPG and other fuels as petrol cars, plug-ins and fuel cells as new energy', () => {
    expect(['gasoline', 'hybrid', 'lpg-cng', 'other'].map((f) => fuelGroupOf(f as never))).toEqual(
      Array(4).fill('gasoline'),
    );
    expect(['bev', 'phev', 'fcev'].map((f) => fuelGroupOf(f as never))).toEqual(Array(3).fill('newEnergy'));
  });

  it('one claim per person and programme year', () => {
    for (const y of [2024, 2025, 2026]) expect(scrapRule(`${y}-06-01`).perPersonPerYear).toBe(1);
  });
});

describe('car sell-and-buy (置换更新)', () => {
  it('2024 (set locally, placeholder): 10,000 / 8,000 from 21 August', () => {
    expect(refusal(() => replaceRule('2024-08-20')).code).toBe('no-programme-in-force');
    expect(carSubsidyFen(replaceRule('2024-08-21'), newCar())).toBe(yuan(10_000));
    expect(carSubsidyFen(replaceRule('2024-08-21'), newCar({ fuelType: 'diesel' }))).toBe(yuan(8_000));
  });

  it('2025: 15,000 (NEV) / 13,000 (fuel), once per person per year, any registration date', () => {
    const rule = replaceRule('2025-07-01');
    expect(carSubsidyFen(rule, newCar())).toBe(yuan(15_000));
    expect(carSubsidyFen(rule, newCar({ fuelType: 'gasoline' }))).toBe(yuan(13_000));
    expect(rule.perPersonPerYear).toBe(1);
    expect(() =>
      assertCarsEligible(
        rule,
        oldCar({ registrationDate: '2020-01-01', ownedSince: '2020-02-01' }),
        newCar(),
      ),
    ).not.toThrow();
  });

  it('2026: 8% up to 15,000 (NEV), 6% up to 13,000 (fuel)', () => {
    const rule = replaceRule('2026-01-01');
    expect(carSubsidyFen(rule, newCar({ priceFen: yuan(100_000) }))).toBe(yuan(8_000));
    expect(carSubsidyFen(rule, newCar({ priceFen: yuan(200_000) }))).toBe(yuan(15_000));
    expect(carSubsidyFen(rule, newCar({ fuelType: 'gasoline', priceFen: yuan(100_000) }))).toBe(yuan(6_000));
    expect(carSubsidyFen(rule, newCar({ fuelType: 'gasoline', priceFen: yuan(300_000) }))).toBe(yuan(13_000));
  });

  it('is not a counter-sale programme, nor the other way round', () => {
    expect(refusal(() => counterSaleRuleOn(tradeIn, 'car-replace', '2025-01-01')).code).toBe(
      'not-a-counter-sale-programme',
    );
    expect(refusal(() => carRuleOn(tradeIn, 'appliance-trade-in', '2025-01-01')).code).toBe(
      'not-a-car-programme',
    );
    expect(refusal(() => carRuleOn(tradeIn, 'moon-trade-in', '2025-01-01')).code).toBe('unknown-programme');
  });
});

describe('appliance trade-in at the counter (家电以旧换新)', () => {
  const rule = (date: string) => counterSaleRuleOn(tradeIn, 'appliance-trade-in', date).rule;
  const subsidy = (date: string, category: string, price: number, energyGrade?: number) =>
    counterSaleSubsidyFen(rule(date), { category, priceFen: yuan(price), energyGrade });

  it('2024: 15% of the price, +5% for energy grade 1, at most 2,000 yuan; eight categories, one each', () => {
    expect(subsidy('2024-09-01', 'air-conditioner', 4_599, 1)).toBe(yuan(919.8));
    expect(subsidy('2024-09-01', 'air-conditioner', 4_599, 2)).toBe(yuan(689.85));
    expect(subsidy('2024-09-01', 'refrigerator', 9_999, 1)).toBe(yuan(1_999.8));
    expect(subsidy('2024-09-01', 'refrigerator', 10_001, 1)).toBe(yuan(2_000));
    expect(subsidy('2024-09-01', 'television', 20_000, 2)).toBe(yuan(2_000));
    const r = rule('2024-10-01');
    expect(r.categories.map((c) => c.code)).toHaveLength(8);
    expect(r.categories.every((c) => c.perPersonPerYear === 1)).toBe(true);
    expect(r.requiresOldItemIntake).toBe(true);
  });

  it('refuses energy grades that do not qualify, and a missing grade', () => {
    expect(refusal(() => subsidy('2024-09-01', 'washing-machine', 3_000, 3))).toMatchObject({
      code: 'energy-grade-not-eligible',
      fields: [{ field: 'energyGrade' }],
    });
    expect(refusal(() => subsidy('2024-09-01', 'washing-machine', 3_000)).code).toBe('energy-grade-required');
  });

  it('2025: twelve categories (microwave, water purifier, dishwasher, rice cooker added), three air conditioners', () => {
    expect(refusal(() => subsidy('2024-12-31', 'microwave', 800, 1))).toMatchObject({
      code: 'category-not-in-programme',
      fields: [{ field: 'category' }],
    });
    expect(subsidy('2025-01-01', 'microwave', 800, 1)).toBe(yuan(160));
    const r = rule('2025-06-01');
    expect(r.categories).toHaveLength(12);
    expect(categoryOf(r, 'air-conditioner').perPersonPerYear).toBe(3);
    expect(categoryOf(r, 'refrigerator').perPersonPerYear).toBe(1);
    expect(categoryOf(r, 'air-conditioner').name).toEqual({ zh: '空调', en: 'Air conditioner' });
  });

  it('2026: 15% up to 1,500 yuan, six categories, no grade 1 bonus; the first day of 2026 takes it', () => {
    expect(subsidy('2025-12-31', 'air-conditioner', 12_000, 1)).toBe(yuan(2_000));
    expect(subsidy('2026-01-01', 'air-conditioner', 12_000, 1)).toBe(yuan(1_500));
    expect(subsidy('2026-01-01', 'air-conditioner', 6_000, 1)).toBe(yuan(900));
    expect(subsidy('2025-12-31', 'dishwasher', 5_000, 1)).toBe(yuan(1_000));
    expect(refusal(() => subsidy('2026-01-01', 'dishwasher', 5_000, 1)).code).toBe(
      'category-not-in-programme',
    );
    expect(rule('2026-03-01').categories).toHaveLength(6);
  });

  it('rounds a share down to the fen, exactly', () => {
    expect(shareOf(333, 1_500)).toBe(49);
    expect(shareOf(9_007_199_254_740, 1_500)).toBe(1_351_079_888_211);
    expect(subsidy('2025-03-01', 'rice-cooker', 3.33, 2)).toBe(49);
  });
});

describe('furniture and gas hoses: counter sales in the same data', () => {
  it('furniture 2025: 15% up to 2,000, no energy label, no old item taken in', () => {
    const { rule } = counterSaleRuleOn(tradeIn, 'furniture-trade-in', '2025-05-01');
    expect(counterSaleSubsidyFen(rule, { category: 'sofa', priceFen: yuan(6_000) })).toBe(yuan(900));
    expect(counterSaleSubsidyFen(rule, { category: 'wardrobe', priceFen: yuan(30_000) })).toBe(yuan(2_000));
    expect(
      refusal(() => counterSaleSubsidyFen(rule, { category: 'sofa', priceFen: 100, energyGrade: 1 })).code,
    ).toBe('energy-grade-not-applicable');
    expect(rule.requiresOldItemIntake).toBe(false);
  });

  it('metal gas hoses 2025: half the price, at most 100 yuan, one per person', () => {
    const { rule, year } = counterSaleRuleOn(tradeIn, 'gas-hose-replacement', '2025-05-01');
    expect(counterSaleSubsidyFen(rule, { category: 'metal-gas-hose', priceFen: yuan(160) })).toBe(yuan(80));
    expect(counterSaleSubsidyFen(rule, { category: 'metal-gas-hose', priceFen: yuan(300) })).toBe(yuan(100));
    expect(categoryOf(rule, 'metal-gas-hose').perPersonPerYear).toBe(1);
    expect(year.resubmissionCap).toBe(0);
  });
});

describe('programme years', () => {
  it('every year ships its budget (assumed), the reported deadlines and the resubmission cap, with a source', () => {
    for (const p of tradeIn.programmes) {
      for (const y of p.years) {
        expect(y.budgetFen).toBeGreaterThan(0);
        expect(y.budgetAssumed).toBe(true);
        expect(y.assumed).toBe(true);
        expect(y.source.length).toBeGreaterThan(10);
        expect(y.deadlines).toEqual({ acceptDays: 3, reviewWorkingDays: 15, payDays: 30 });
      }
    }
    expect(programmeYear(tradeIn, 'car-scrap', 2025).year.resubmissionCap).toBe(6);
    expect(refusal(() => programmeYear(tradeIn, 'car-scrap', 2023)).code).toBe('unknown-programme-year');
  });
});
