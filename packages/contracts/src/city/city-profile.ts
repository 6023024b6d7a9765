import { z } from 'zod';
import { Label } from '../labels';
import { BasisPoints, DistrictCode, Fen, LocalDate, PositiveGrams } from '../scalars';
import { ApplianceCategory } from '../reference/appliance-catalogue';
import { checkUnique } from '../validation';
import { EmissionStandard } from '../reference/emission-standards';
import { FuelType } from '../reference/fuel-types';
import { VehicleType } from '../reference/vehicle-types';
import { PublicInstitutionDisposals } from './public-institutions';
import { RemanufacturingRules } from './remanufacturing-lines';
import { TradeInSubsidies } from './trade-in-programmes';

// Everything that differs between cities, or that the law may change, lives in a city profile rather
// than in code, so a second city is a new JSON file and a changed rate is a reviewed data change.
// Sections whose numbers are not official for the city say so with `assumed`, so the dashboard and the
// administrator can show them as provisional.
//
// Objects are strict here, unlike in events (which must tolerate fields added by newer producers): a
// profile is written by hand, so an unknown key is a typo that would otherwise be silently ignored.

/** Why a number is what it is: `assumed` values are placeholders an administrator must confirm. */
const Provenance = {
  assumed: z.boolean().describe('true when the values are placeholders, not official figures'),
  source: z.string().min(1).describe('Where the values come from'),
};

const RankedEmissionStandard = EmissionStandard.exclude(['unknown']);

export const DISTRICT_KIND_CODES = ['town', 'street', 'township'] as const;
export const DistrictKind = z
  .enum(DISTRICT_KIND_CODES)
  .describe('town = 镇 (regiment town), street = 街道, township = 乡');
export type DistrictKind = z.infer<typeof DistrictKind>;

export const District = z.strictObject({
  code: DistrictCode,
  kind: DistrictKind,
  name: Label,
  /** XPCC regiment towns are also known by their regiment number (1团 is 金银川镇). */
  regiment: z.int().min(1).optional(),
});
export type District = z.infer<typeof District>;

export const METRIC_CODES = ['scrapped-vehicles', 'used-car-transactions', 'appliances-recovered'] as const;
export const MetricCode = z.enum(METRIC_CODES);
export type MetricCode = z.infer<typeof MetricCode>;

export const MetricTarget = z.strictObject({
  name: Label,
  unit: Label.describe('Counting unit, e.g. 辆 / vehicles'),
  baseline: z.int().min(0).describe('Value in the baseline year'),
  baselineAssumed: z.boolean().describe('true while no official baseline is published'),
  growthBp: z.int().min(-10_000).describe('Target growth by the target year, in basis points (+40% = 4000)'),
});
export type MetricTarget = z.infer<typeof MetricTarget>;

export const ReverseInvoicingTax = z.strictObject({
  ...Provenance,
  effectiveFrom: LocalDate.describe('Day the reverse-invoicing rules took effect'),
  rollingCapFen: Fen.describe(
    "Cap on a person's reverse-invoiced sales in any rolling window, excluding VAT",
  ),
  rollingCapMonths: z.int().min(1).describe('Length of the rolling window in months'),
  monthlyExemptionThresholdFen: Fen.describe('Monthly sales at or under this are VAT-exempt'),
  standardVatRateBp: BasisPoints.describe('Small-scale taxpayer levy rate'),
  reducedVatRateBp: BasisPoints.describe('Reduced levy rate above the exemption threshold'),
  reducedVatRateUntil: LocalDate.describe(
    'Last day the reduced rate applies; after it the standard rate does',
  ),
  incomeTaxPrepaymentRateBp: BasisPoints.describe(
    'Individual income tax prepaid on sales, withheld by the issuer',
  ),
  declarationDueDay: z
    .int()
    .min(1)
    .max(28)
    .describe(
      "Day of the following month (city time zone) whose end closes a month's filing period (申报期); a sale dated in a closed month is invoiced in the open month",
    ),
  lateSaleMaxMonths: z
    .int()
    .min(1)
    .max(24)
    .describe(
      'How many calendar months before the current one a sale may be dated; an older sale is refused',
    ),
});
export type ReverseInvoicingTax = z.infer<typeof ReverseInvoicingTax>;

export const VehicleTradeInRule = z.strictObject({
  ...Provenance,
  vehicleTypes: z.array(VehicleType).min(1).describe('Vehicle types the subsidy applies to'),
  fuelCarMaxEmissionStandard: RankedEmissionStandard.describe(
    'A fuel car qualifies at this standard or older',
  ),
  newEnergyRegisteredOnOrBefore: LocalDate.describe(
    'A new-energy vehicle qualifies if registered by this day',
  ),
});
export type VehicleTradeInRule = z.infer<typeof VehicleTradeInRule>;

export const DieselTruckEarlyRetirementRule = z.strictObject({
  ...Provenance,
  vehicleTypes: z.array(VehicleType).min(1),
  fuelTypes: z.array(FuelType).min(1),
  maxEmissionStandard: RankedEmissionStandard.describe('Counts at this standard or older'),
});
export type DieselTruckEarlyRetirementRule = z.infer<typeof DieselTruckEarlyRetirementRule>;

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const CityProfile = z
  .object({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors'),
    profileVersion: z.literal(1).describe('Shape version of this file'),
    code: z
      .string()
      .regex(/^\d{6}$/)
      .describe('Administrative division code (GB/T 2260), e.g. 659002; appears in every ce_source'),
    slug: z.string().regex(/^[a-z][a-z0-9-]*$/),
    name: Label,
    timezone: z
      .string()
      .refine(isTimeZone, 'not an IANA time zone')
      .describe('Time zone of dates and months'),
    districts: z.array(District).min(1),
    appliances: z.strictObject({
      ...Provenance,
      // Exhaustive over the categories, so a category added to the catalogue fails every profile until
      // the profile gives it a default weight.
      defaultWeightGrams: z
        .record(ApplianceCategory, PositiveGrams)
        .describe('Weight assumed for one unit of each category when it is not weighed'),
    }),
    targets: z.strictObject({
      ...Provenance,
      baselineYear: z.int().min(2000),
      targetYear: z.int().min(2000),
      metrics: z.record(MetricCode, MetricTarget),
    }),
    tax: z.strictObject({ reverseInvoicing: ReverseInvoicingTax }),
    subsidies: z.strictObject({
      vehicleTradeIn: VehicleTradeInRule,
      dieselTruckEarlyRetirement: DieselTruckEarlyRetirementRule,
      tradeIn: TradeInSubsidies.optional().describe(
        'Trade-in subsidy programmes (以旧换新); a city without them runs no subsidies service',
      ),
    }),
    publicInstitutions: PublicInstitutionDisposals.optional().describe(
      'Public institutions’ asset disposals; a city without them runs no disposals service',
    ),
    remanufacturing: RemanufacturingRules.optional().describe(
      'Remanufacturing product lines; a city without them runs no remanufacturing service',
    ),
  })
  .superRefine((p, ctx) => {
    checkUnique(ctx, ['districts'], p.districts, (d) => d.code, 'code');
    if (p.targets.targetYear <= p.targets.baselineYear) {
      ctx.addIssue({
        code: 'custom',
        path: ['targets', 'targetYear'],
        message: 'must be after baselineYear',
      });
    }
    const tax = p.tax.reverseInvoicing;
    if (tax.monthlyExemptionThresholdFen > tax.rollingCapFen) {
      ctx.addIssue({
        code: 'custom',
        path: ['tax', 'reverseInvoicing', 'monthlyExemptionThresholdFen'],
        message: 'cannot exceed rollingCapFen',
      });
    }
    if (tax.reducedVatRateBp > tax.standardVatRateBp) {
      ctx.addIssue({
        code: 'custom',
        path: ['tax', 'reverseInvoicing', 'reducedVatRateBp'],
        message: 'cannot exceed standardVatRateBp',
      });
    }
  })
  .describe(
    'Everything that differs between cities: districts, default weights, targets, tax and subsidy rules',
  );
export type CityProfile = z.infer<typeof CityProfile>;

export const districtByCode = (profile: CityProfile, code: string): District | undefined =>
  profile.districts.find((d) => d.code === code);

/** The target-year value of a metric: baseline grown by growthBp, rounded to a whole unit. */
export const targetValue = (target: MetricTarget): number =>
  Math.round((target.baseline * (10_000 + target.growthBp)) / 10_000);
