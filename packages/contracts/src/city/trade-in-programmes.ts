import { z } from 'zod';
import { Label } from '../labels';
import { ApplianceCategory } from '../reference/appliance-catalogue';
import { EmissionStandard } from '../reference/emission-standards';
import { VehicleType } from '../reference/vehicle-types';
import { BasisPoints, Fen, LocalDate } from '../scalars';
import { checkUnique } from '../validation';

// The trade-in subsidy programmes (以旧换新, plan section 4; domain.md section 9) as dated data of the
// city profile: every amount, rate, cut-off date, category, limit, budget and deadline is written
// here, per programme and year, and the subsidies service only reads it. A new year, a raised
// amount or a new kind of counter sale (furniture, gas hoses) is an edit of this data, never code.
//
// Shape: a programme (car scrap-and-buy, car sell-and-buy, or a counter sale at a retailer) has
// years; a year has its validity dates, budget, deadlines and resubmission cap, and one or more
// rules, each in force from its `effectiveFrom` until the next one (a rule raised mid-year is a
// second rule). The rule for a purchase is the one in force on the purchase's date.

/** Programme and category codes: lower-case, stable, part of claim keys and events. */
export const ProgrammeCode = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,47}$/, 'lower-case letters, digits and -, 2-48 characters')
  .describe('Programme or category code, e.g. car-scrap, appliance-trade-in, air-conditioner');

export const TRADE_IN_KINDS = ['car-scrap', 'car-replace', 'counter-sale'] as const;
export const TradeInKind = z
  .enum(TRADE_IN_KINDS)
  .describe(
    'car-scrap = 报废更新 (old car scrapped at a dismantler), car-replace = 置换更新 (old car sold as a used car), counter-sale = discount at a retailer’s counter',
  );
export type TradeInKind = z.infer<typeof TradeInKind>;

const Provenance = {
  assumed: z.boolean().describe('true when the values are placeholders, not official figures'),
  source: z.string().min(1).describe('Where the values come from'),
};

/** A subsidy amount: a fixed sum, or a rate of the price with a cap. */
export const SubsidyAmount = z
  .union([
    z.strictObject({ fixedFen: Fen.describe('Fixed subsidy in fen') }),
    z.strictObject({
      rateBp: BasisPoints.describe('Share of the price, basis points (12% = 1200)'),
      capFen: Fen.describe('At most this many fen'),
    }),
  ])
  .describe('Either { fixedFen } or { rateBp, capFen }');
export type SubsidyAmount = z.infer<typeof SubsidyAmount>;

const RankedEmissionStandard = EmissionStandard.exclude(['unknown']);

export const CarRule = z.strictObject({
  effectiveFrom: LocalDate.describe('First day this rule applies (purchase date of the new car)'),
  oldCar: z.strictObject({
    vehicleTypes: z.array(VehicleType).min(1).describe('Types the old car may be'),
    registeredOnOrBefore: z
      .strictObject({
        gasoline: LocalDate.describe('Petrol cars (and non plug-in hybrids, LPG/CNG, other fuels)'),
        diesel: LocalDate,
        newEnergy: LocalDate.describe('Battery-electric, plug-in hybrid, fuel cell'),
      })
      .optional()
      .describe(
        'Latest first registration (初次登记) date of the old car, by fuel; absent: any date (sell-and-buy)',
      ),
    fuelCarQualifiesAtOrOlderThan: RankedEmissionStandard.optional().describe(
      'A fuel car at this emission standard or older also qualifies whatever its registration date',
    ),
    ownedSinceBefore: LocalDate.optional().describe(
      'The old car must have been in the applicant’s name since before this day',
    ),
  }),
  newCar: z.strictObject({
    vehicleTypes: z.array(VehicleType).min(1),
    fuelMaxDisplacementMl: z
      .int()
      .min(1)
      .optional()
      .describe('A new fuel car must have at most this displacement (2.0 L = 2000)'),
    boughtInCity: z.boolean().describe('The new car must be bought from a dealer in the city'),
  }),
  amounts: z.strictObject({
    newEnergy: SubsidyAmount.describe('New car is a new-energy vehicle'),
    fuel: SubsidyAmount.describe('New car is a fuel car'),
  }),
  perPersonPerYear: z
    .int()
    .min(1)
    .max(10)
    .describe('Claims of this programme one person may have in a programme year'),
});
export type CarRule = z.infer<typeof CarRule>;

export const ENERGY_GRADES = [1, 2, 3, 4, 5] as const;
export const EnergyGrade = z
  .int()
  .min(1)
  .max(5)
  .describe('China energy label grade (能效等级), 1 is the best');

export const CounterSaleCategory = z.strictObject({
  code: ProgrammeCode,
  name: Label.describe('The everyday name a buyer uses, e.g. 空调 / Air conditioner'),
  catalogueCategory: ApplianceCategory.optional().describe(
    'The catalogue category an old item of this kind is counted under at a sorting station',
  ),
  energyGrades: z
    .array(EnergyGrade)
    .min(1)
    .optional()
    .describe('Energy grades that qualify; absent for goods without an energy label (furniture, hoses)'),
  rateBp: BasisPoints.describe('Share of the price subsidised'),
  grade1BonusBp: BasisPoints.describe('Added to the rate for energy grade 1 (0 for none)'),
  capFenPerItem: Fen.describe('At most this many fen per item'),
  perPersonPerYear: z
    .int()
    .min(1)
    .max(20)
    .describe('Items of this category one person may buy with a subsidy in a programme year'),
});
export type CounterSaleCategory = z.infer<typeof CounterSaleCategory>;

export const CounterSaleRule = z.strictObject({
  effectiveFrom: LocalDate.describe('First day this rule applies (date of sale)'),
  requiresOldItemIntake: z
    .boolean()
    .describe('The old item must be taken in at a sorting station naming the sale before reimbursement'),
  categories: z.array(CounterSaleCategory).min(1),
});
export type CounterSaleRule = z.infer<typeof CounterSaleRule>;

export const ProgrammeDeadlines = z.strictObject({
  acceptDays: z.int().min(1).max(60).describe('Calendar days to accept a complete claim (受理)'),
  reviewWorkingDays: z.int().min(1).max(90).describe('Working days to decide once accepted'),
  payDays: z.int().min(1).max(180).describe('Calendar days to pay once approved'),
});
export type ProgrammeDeadlines = z.infer<typeof ProgrammeDeadlines>;

const yearFields = {
  ...Provenance,
  year: z.int().min(2000).max(2100).describe('Programme year: budgets and per-person limits count per year'),
  validFrom: LocalDate.describe('First day of purchases this year’s programme covers'),
  validTo: LocalDate.describe('Last day of purchases this year’s programme covers'),
  budgetFen: Fen.describe('The year’s budget; approvals never commit more'),
  budgetAssumed: z.boolean().describe('true while the budget is a placeholder'),
  budgetSource: z.string().min(1),
  deadlines: ProgrammeDeadlines,
  resubmissionCap: z.int().min(0).max(20).describe('How often a rejected claim may be resubmitted'),
};

export const CarProgrammeYear = z.strictObject({ ...yearFields, rules: z.array(CarRule).min(1) });
export type CarProgrammeYear = z.infer<typeof CarProgrammeYear>;
export const CounterSaleProgrammeYear = z.strictObject({
  ...yearFields,
  rules: z.array(CounterSaleRule).min(1),
});
export type CounterSaleProgrammeYear = z.infer<typeof CounterSaleProgrammeYear>;

const programmeFields = { code: ProgrammeCode, name: Label };

export const TradeInProgramme = z.discriminatedUnion('kind', [
  z.strictObject({
    ...programmeFields,
    kind: z.literal('car-scrap'),
    years: z.array(CarProgrammeYear).min(1),
  }),
  z.strictObject({
    ...programmeFields,
    kind: z.literal('car-replace'),
    years: z.array(CarProgrammeYear).min(1),
  }),
  z.strictObject({
    ...programmeFields,
    kind: z.literal('counter-sale'),
    years: z.array(CounterSaleProgrammeYear).min(1),
  }),
]);
export type TradeInProgramme = z.infer<typeof TradeInProgramme>;
export type CarProgramme = Extract<TradeInProgramme, { kind: 'car-scrap' | 'car-replace' }>;
export type CounterSaleProgramme = Extract<TradeInProgramme, { kind: 'counter-sale' }>;

export const FraudSignalSettings = z.strictObject({
  priceAboveRecentBp: BasisPoints.describe(
    'Flag a sale priced this far above the recent median price of the same GTIN (2000 = 20%)',
  ),
  recentPricesKept: z.int().min(1).max(200).describe('How many recent prices of a GTIN are compared'),
  itemsPerAddressPerYear: z.int().min(1).describe('Flag beyond this many subsidised items to one address'),
  itemsPerPhonePerYear: z.int().min(1).describe('Flag beyond this many subsidised items to one phone'),
  quickReturnDays: z.int().min(0).describe('A return within this many days of the sale is flagged'),
  recentReturnLookbackDays: z
    .int()
    .min(0)
    .describe("A buyer's quick returns in this many days before a sale flag the sale"),
  newCarResoldWithinDays: z
    .int()
    .min(0)
    .describe('A subsidised new car deregistered or resold within this many days of its registration'),
});
export type FraudSignalSettings = z.infer<typeof FraudSignalSettings>;

export const TradeInSubsidies = z
  .strictObject({
    programmes: z.array(TradeInProgramme).min(1),
    fraudSignals: FraudSignalSettings,
    nonWorkingDays: z
      .array(LocalDate)
      .describe('Public holidays on weekdays, for review deadlines in working days'),
    workingWeekendDays: z
      .array(LocalDate)
      .describe('Weekend days worked in lieu of holidays (调休), for review deadlines'),
  })
  .superRefine((t, ctx) => {
    checkUnique(ctx, ['programmes'], t.programmes, (p) => p.code, 'code');
    t.programmes.forEach((p, i) => {
      const at = ['programmes', i, 'years'];
      const all: ReadonlyArray<{ year: number; validFrom: string; validTo: string }> = p.years;
      checkUnique(ctx, at, all, (y) => String(y.year), 'year');
      const years = [...all].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
      years.forEach((y, k) => {
        const next = years[k + 1];
        if (next && next.validFrom <= y.validTo) {
          ctx.addIssue({
            code: 'custom',
            path: [...at, all.indexOf(next), 'validFrom'],
            message: `overlaps year ${y.year}`,
          });
        }
      });
      (p.years as ReadonlyArray<CarProgrammeYear | CounterSaleProgrammeYear>).forEach((y, j) => {
        const yearAt = [...at, j];
        if (y.validTo < y.validFrom) {
          ctx.addIssue({ code: 'custom', path: [...yearAt, 'validTo'], message: 'before validFrom' });
        }
        const rules = y.rules as ReadonlyArray<{ effectiveFrom: string }>;
        rules.forEach((r, k) => {
          if (k === 0 && r.effectiveFrom !== y.validFrom) {
            ctx.addIssue({
              code: 'custom',
              path: [...yearAt, 'rules', k, 'effectiveFrom'],
              message: 'the first rule must take effect on validFrom',
            });
          }
          if (k > 0 && r.effectiveFrom <= (rules[k - 1] as { effectiveFrom: string }).effectiveFrom) {
            ctx.addIssue({
              code: 'custom',
              path: [...yearAt, 'rules', k, 'effectiveFrom'],
              message: 'rules are in order of effectiveFrom, each later than the one before',
            });
          }
          if (r.effectiveFrom > y.validTo) {
            ctx.addIssue({
              code: 'custom',
              path: [...yearAt, 'rules', k, 'effectiveFrom'],
              message: 'after validTo',
            });
          }
        });
        if (p.kind === 'counter-sale') {
          (y as CounterSaleProgrammeYear).rules.forEach((r, k) => {
            checkUnique(ctx, [...yearAt, 'rules', k, 'categories'], r.categories, (c) => c.code, 'code');
            r.categories.forEach((c, m) => {
              if (c.grade1BonusBp > 0 && !c.energyGrades?.includes(1)) {
                ctx.addIssue({
                  code: 'custom',
                  path: [...yearAt, 'rules', k, 'categories', m, 'grade1BonusBp'],
                  message: 'a grade 1 bonus needs energy grade 1 among energyGrades',
                });
              }
              if (c.rateBp + c.grade1BonusBp > 10_000) {
                ctx.addIssue({
                  code: 'custom',
                  path: [...yearAt, 'rules', k, 'categories', m, 'grade1BonusBp'],
                  message: 'rate plus bonus cannot exceed 100%',
                });
              }
            });
          });
        }
      });
    });
  })
  .describe('Trade-in subsidy programmes (以旧换新) by year, fraud signal thresholds, the working calendar');
export type TradeInSubsidies = z.infer<typeof TradeInSubsidies>;
