// Request and response schemas of every endpoint. The endpoints validate with these and the OpenAPI
// document is generated from these, so the two cannot drift apart.
import {
  freeText,
  Id,
  IsoUtc,
  Label,
  METRIC_CODES,
  Month,
  UsedCarTransactionRecordedData,
} from '@recycling/contracts';
import { z } from 'zod';
import { decodeCursor, MAX_LIST_MONTHS } from '../app/list-used-cars';
import { MAX_OWNER_COUNT_DIMENSIONS, MAX_OWNER_COUNT_MONTHS } from '../app/reconciliation';
import { countedByDistrict, DISTRICT_METRICS } from '../domain/districts';
import { addMonths } from '../domain/months';
import { Metrics } from '../domain/record-rules';

// ---- Requests ------------------------------------------------------------------------------------

export const UsedCarBody = z
  .strictObject(UsedCarTransactionRecordedData.omit({ marketId: true, occurredAt: true }).shape)
  .meta({
    id: 'UsedCarTransactionInput',
    description: 'A used-car sale documented by the market (no buyer or seller)',
  });

export const UsedCarListQuery = z
  .strictObject({
    marketId: Id.optional().describe('Required of administrators; a market always sees its own'),
    from: Month.optional().describe('First month of sale; default 11 months before `to`'),
    to: Month.optional().describe('Last month of sale; default the current month in the city time zone'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .max(400)
      .refine((c) => decodeCursor(c) !== undefined, { message: 'not a cursor of this list' })
      .optional()
      .describe('`nextCursor` of the previous page'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => !q.from || !q.to || addMonths(q.from, MAX_LIST_MONTHS - 1) >= q.to, {
    path: ['from'],
    message: `at most ${MAX_LIST_MONTHS} months at a time`,
  });

export const RebuildBody = z
  .object({
    reason: freeText({ max: 200 })
      .optional()
      .describe('Why the rollups are rebuilt (kept with the generation)'),
  })
  // Rather than strict (one error at the root): an unknown key is an error on that key, so the 400
  // names it; the document still says no other property is allowed.
  .catchall(z.unknown().refine(() => false, { message: 'not a field of a rebuild request' }))
  .meta({
    id: 'RebuildInput',
    description: 'An empty object starts a rebuild',
    override: { additionalProperties: false },
  });

export const MetricParams = z.strictObject({ metric: z.enum(METRIC_CODES) });

export const TargetBody = z
  .strictObject({
    baseline: z.int().min(0).describe('Value in the baseline year'),
    baselineAssumed: z.boolean().describe('true while no official baseline is published'),
    baselineYear: z.int().min(2000).max(2100),
    targetYear: z.int().min(2000).max(2100),
    growthBp: z
      .int()
      .min(-10_000)
      .max(100_000)
      .describe('Growth by the target year in basis points (+40% = 4000)'),
  })
  .refine((t) => t.targetYear > t.baselineYear, {
    path: ['targetYear'],
    message: 'must be after baselineYear',
  })
  .meta({ id: 'TargetInput' });

/** The earliest month any report is read for (the plan's counts begin long after). */
export const EARLIEST_MONTH = '2000-01';

const AsOf = Month.refine((m) => m >= EARLIEST_MONTH, { message: `must not be before ${EARLIEST_MONTH}` })
  .optional()
  .describe(
    `Last month counted (YYYY-MM, the city's time zone): the report covers January to this month of its year. From ${EARLIEST_MONTH} to the current month (a later month is 400 naming asOf); default the current month`,
  );

/** A district of the city profile (the schema lists them), as a query parameter. */
const districtParam = (districts: readonly string[], what: string) =>
  (districts.length > 0 ? z.enum(districts as [string, ...string[]]) : z.never()).optional().describe(what);

/** `asOf` and `district` of the progress reports; `districts` are the city profile's codes. */
export const asOfQuery = (districts: readonly string[]) =>
  z.strictObject({
    asOf: AsOf,
    district: districtParam(
      districts,
      "One district's progress against its share of the city's target (its share of what the city counted in the baseline year, else of the last 12 months); no breakdowns by district or category",
    ),
  });

const ROLLUP_METRICS = Object.values(Metrics) as [string, ...string[]];

/** The rollups' range of months and, for the metrics counted by district, one district. */
export const rollupQuery = (districts: readonly string[]) =>
  z
    .strictObject({
      metric: z.enum(ROLLUP_METRICS),
      dim: z
        .string()
        .regex(/^[a-zA-Z]{1,40}$/)
        .default('all')
        .describe(
          'all, or a dimension of the metric: district, category, vehicleType, fuelType, ...; disposals: district, kind (appliances or equipment), category, mode; remanufacturing: line, source, remanufacturer',
        ),
      from: Month.refine((m) => m >= EARLIEST_MONTH, { message: `must not be before ${EARLIEST_MONTH}` }),
      to: Month,
      district: districtParam(
        districts,
        `Only this district's cells, of the metrics counted by district (${DISTRICT_METRICS.join(', ')}); dim must then be all or district (dimensions are not crossed)`,
      ),
    })
    .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
    .refine((q) => Number(q.to.slice(0, 4)) - Number(q.from.slice(0, 4)) <= 20, {
      path: ['from'],
      message: 'at most 20 years at a time',
    })
    .refine((q) => q.district === undefined || countedByDistrict(q.metric), {
      path: ['district'],
      message: `this metric is not counted by district (only ${DISTRICT_METRICS.join(', ')})`,
    })
    .refine((q) => q.district === undefined || q.dim === 'all' || q.dim === 'district', {
      path: ['dim'],
      message: 'with a district, dim must be all or district (dimensions are not crossed)',
    });

/** The trade-in subsidies' range of months, and one district. */
export const subsidiesQuery = (districts: readonly string[]) =>
  z
    .strictObject({
      from: Month.refine((m) => m >= EARLIEST_MONTH, { message: `must not be before ${EARLIEST_MONTH}` }),
      to: Month,
      district: districtParam(districts, "One district's totals (the programmes are city-wide only)"),
    })
    .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
    .refine((q) => addMonths(q.from, MAX_SUBSIDY_MONTHS - 1) >= q.to, {
      path: ['to'],
      message: `at most ${MAX_SUBSIDY_MONTHS} months after from`,
    });

/** The two channels' range of months (at most as many as the subsidies summary), and one district. */
export const channelsQuery = (districts: readonly string[]) =>
  z
    .strictObject({
      from: Month.refine((m) => m >= EARLIEST_MONTH, { message: `must not be before ${EARLIEST_MONTH}` }),
      to: Month,
      district: districtParam(
        districts,
        "One district's disposals totals (remanufacturing names no district, and is then absent)",
      ),
    })
    .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
    .refine((q) => addMonths(q.from, MAX_SUBSIDY_MONTHS - 1) >= q.to, {
      path: ['to'],
      message: `at most ${MAX_SUBSIDY_MONTHS} months after from`,
    });

/** Months one subsidies summary covers at most. */
export const MAX_SUBSIDY_MONTHS = 36;

export const GenerationParams = z.strictObject({
  generation: z.coerce.number().int().min(1),
});

export const ReconciliationQuery = z.strictObject({
  generation: z.coerce.number().int().min(1).describe('The rebuild to compare with the active rollups'),
});

export const OwnerCountsBody = z
  .strictObject({
    owner: freeText({ max: 100 }).describe('Whose records these are, e.g. sorting or dismantling'),
    counts: z
      .array(
        z.strictObject({
          metric: z.enum(ROLLUP_METRICS),
          month: Month.refine((m) => m >= EARLIEST_MONTH, {
            message: `must not be before ${EARLIEST_MONTH}`,
          }),
          dim: z
            .string()
            .regex(/^[a-zA-Z]{1,40}$/)
            .default('all'),
          value: freeText({ max: 64 }).default('all'),
          field: z.string().regex(/^[a-zA-Z]{1,40}$/),
          count: z.int(),
        }),
      )
      .min(1)
      .max(10_000)
      .describe(
        `At most ${MAX_OWNER_COUNT_MONTHS} months from the earliest month to the latest, and at most ${MAX_OWNER_COUNT_DIMENSIONS} metric and dimension pairs: a count beyond is 400 naming its month (or dim); post a longer history in parts`,
      ),
  })
  .superRefine((body, ctx) => {
    // Reported once per offending count, the first ten: enough to say what to split.
    const months = body.counts.map((c) => c.month).sort();
    const first = months[0];
    if (!first) return;
    const last = addMonths(first, MAX_OWNER_COUNT_MONTHS - 1);
    let reported = 0;
    body.counts.forEach((c, i) => {
      if (c.month > last && reported++ < 10) {
        ctx.addIssue({
          code: 'custom',
          path: ['counts', i, 'month'],
          message: `more than ${MAX_OWNER_COUNT_MONTHS} months after the earliest month of the counts (${first}, so at most ${last}): post at most ${MAX_OWNER_COUNT_MONTHS} months at a time`,
        });
      }
    });
    const pairs = new Set<string>();
    body.counts.forEach((c, i) => {
      pairs.add(`${c.metric}|${c.dim}`);
      if (pairs.size > MAX_OWNER_COUNT_DIMENSIONS && reported++ < 10) {
        pairs.delete(`${c.metric}|${c.dim}`);
        ctx.addIssue({
          code: 'custom',
          path: ['counts', i, 'dim'],
          message: `more than ${MAX_OWNER_COUNT_DIMENSIONS} metric and dimension pairs in one request: post them in parts`,
        });
      }
    });
  })
  .meta({
    id: 'OwnerCounts',
    description: `Counts from an owner's own records, to compare with the rollups (at most ${MAX_OWNER_COUNT_MONTHS} months, earliest to latest)`,
  });

export const DiscardBody = z
  .object({
    reason: freeText({ max: 200 })
      .optional()
      .describe('Why the rebuild is discarded (kept with the generation)'),
  })
  .catchall(z.unknown().refine(() => false, { message: 'not a field of a discard request' }))
  .meta({
    id: 'DiscardInput',
    description: 'An empty object discards the rebuild',
    override: { additionalProperties: false },
  });

// ---- Responses -----------------------------------------------------------------------------------

export const UsedCarTransactionView = UsedCarTransactionRecordedData.omit({ occurredAt: true })
  .extend({ recordedAt: IsoUtc.describe('When the market recorded it') })
  .meta({ id: 'UsedCarTransaction', description: 'A used-car sale as recorded (no buyer or seller)' });

export const UsedCarTransactionPage = z
  .object({
    marketId: Id,
    from: Month,
    to: Month,
    items: z.array(UsedCarTransactionView).describe('Newest sale first'),
    nextCursor: z.string().optional().describe('Pass as `cursor` for the next page; absent on the last'),
  })
  .meta({ id: 'UsedCarTransactionPage' });

export const TargetView = z
  .object({
    metric: z.enum(METRIC_CODES),
    name: Label,
    unit: Label,
    baseline: z.int(),
    baselineAssumed: z.boolean(),
    baselineYear: z.int(),
    targetYear: z.int(),
    growthBp: z.int(),
    source: z.string().describe('city-profile (seeded) or administrator'),
    updatedAt: IsoUtc,
    updatedBy: z.string(),
  })
  .meta({ id: 'Target' });

const BreakdownRowView = z.object({
  value: z.string().describe('District code or category'),
  yearToDate: z.number(),
  baselineSamePeriod: z.number(),
  growthVsBaseline: z.number().nullable(),
  lagging: z.boolean().nullable().describe('Below the growth the whole city needs by now'),
});

export const ProgressView = z
  .object({
    metric: z.enum(METRIC_CODES),
    name: Label,
    unit: Label,
    baselineAssumed: z.boolean(),
    asOf: Month,
    year: z.int(),
    target: z.object({
      baseline: z.number(),
      baselineYear: z.int(),
      targetYear: z.int(),
      growthBp: z.int(),
      targetValue: z.number(),
      requiredAnnualGrowth: z.number(),
    }),
    yearToDate: z.number(),
    baselineSamePeriod: z.number(),
    baselineSamePeriodSource: z.enum(['counted-baseline-year', 'pro-rata']),
    growthVsBaseline: z.number().nullable(),
    requiredYearToDate: z.number(),
    requiredForYear: z.number(),
    aheadOfTrajectory: z.boolean(),
    last12Months: z.number(),
    previous12Months: z.number(),
    trendGrowth: z.number().nullable(),
    projectedCurrentYear: z.number(),
    projectedTargetYear: z.number(),
    onTrack: z.boolean(),
    byMonth: z.array(
      z.object({
        month: Month,
        actual: z.number(),
        baselineYearSameMonth: z.number(),
        required: z.number(),
      }),
    ),
    byDistrict: z
      .array(BreakdownRowView)
      .optional()
      .describe('Only in the report of one target for the whole city'),
    byCategory: z
      .array(BreakdownRowView)
      .optional()
      .describe('Only in the report of one target for the whole city'),
    district: z
      .object({
        code: z.string(),
        share: z.number().describe("The district's part of the city's target (0..1)"),
        source: z
          .enum(['counted-baseline-year', 'last-12-months', 'none'])
          .describe(
            "What the share was taken from: the city's counts in the baseline year, else its last 12 months; none when the city counted nothing",
          ),
      })
      .optional()
      .describe("Only in a district's report: the target is the city's times the share"),
  })
  .meta({ id: 'Progress' });

export const ProgressList = z
  .object({
    asOf: Month,
    generation: z.int(),
    district: z.string().optional(),
    targets: z.array(ProgressView),
  })
  .meta({ id: 'ProgressList' });

export const RollupTableView = z
  .object({
    generation: z.int(),
    metric: z.string(),
    dim: z.string(),
    district: z.string().optional().describe('The district asked for; rows are its cells'),
    rows: z.array(
      z.object({
        month: Month,
        value: z.string(),
        fields: z.record(z.string(), z.number()).describe('Counter fields and their sums'),
      }),
    ),
  })
  .meta({ id: 'RollupTable' });

const OffsetsByPartition = z.record(z.string(), z.string()).describe('Offset per `topic~partition`');

export const RebuildSummary = z
  .object({
    generation: z.int(),
    status: z.enum(['active', 'building', 'retired', 'discarded']),
    createdAt: IsoUtc,
    reason: z.string().optional(),
    requestedBy: z.string().optional(),
    caughtUp: z.boolean(),
    remaining: z.int().describe('Events left to the high watermarks noted at the start'),
  })
  .meta({ id: 'RebuildSummary' });

export const RebuildStatus = RebuildSummary.extend({
  endOffsets: OffsetsByPartition.describe('High watermark per `topic~partition` when the rebuild started'),
  position: OffsetsByPartition.describe("The group's committed offset per `topic~partition`"),
}).meta({ id: 'RebuildStatus' });

export const PromotionView = z.object({ active: z.int().describe('The generation that answers reads') });

const Difference = z
  .object({
    metric: z.string(),
    month: Month,
    dim: z.string(),
    value: z.string(),
    field: z.string(),
    expected: z.number(),
    actual: z.number(),
  })
  .meta({ id: 'CountDifference' });

export const RebuildReconciliationView = z
  .object({
    active: z.int(),
    rebuild: z.int(),
    rebuildCaughtUp: z.boolean(),
    comparable: z.boolean().describe('Both groups read exactly the same offsets'),
    cellsCompared: z.int(),
    matches: z.boolean(),
    differences: z.array(Difference).describe('The first 1,000'),
    differenceCount: z.int(),
    positions: z.object({ active: OffsetsByPartition, rebuild: OffsetsByPartition }),
  })
  .meta({ id: 'RebuildReconciliation' });

export const OwnerReconciliationView = z
  .object({
    owner: z.string(),
    generation: z.int(),
    matches: z.boolean(),
    differences: z.array(Difference),
  })
  .meta({ id: 'OwnerReconciliation' });

const SubsidyFiguresView = {
  claims: z.int().describe('Claims submitted (a counter sale is one)'),
  counterSales: z.int(),
  requestedFen: z.int(),
  rejected: z.int(),
  approved: z.int(),
  approvedFen: z.int(),
  paid: z.int(),
  paidFen: z.int().describe('Money paid out, fen'),
  reversed: z.int(),
  reversedFen: z.int(),
};

export const SubsidySummaryView = z
  .object({
    generation: z.int(),
    from: Month,
    to: Month,
    district: z.string().optional(),
    runsSubsidies: z.boolean().describe('The city profile has trade-in programmes'),
    total: z.object(SubsidyFiguresView),
    programmes: z
      .array(z.object({ code: z.string(), kind: z.string(), name: Label, ...SubsidyFiguresView }))
      .optional()
      .describe('Per programme of the city profile, city-wide only (absent for a district)'),
  })
  .meta({ id: 'SubsidySummary' });

const DisposalFiguresView = z.object({
  registered: z.int().describe('Assets registered for disposal (taken back when the batch is withdrawn)'),
  originalValueFen: z.int().describe('Their original book value, fen'),
  batches: z.int().describe('Batches received at a station'),
  received: z.int().describe('Assets received at a station'),
  receivedGrams: z.int(),
  handedOver: z.int().describe('Assets handed to a licensed receiver'),
  handedOverGrams: z.int(),
});

const RemanufacturingFiguresView = {
  cores: z.int().describe('Cores received from lawful sources'),
  coresRejected: z.int().describe('Of which rejected at the intake check'),
  started: z.int().describe('Products started'),
  released: z.int().describe('Products released with the 再制造 mark'),
};

export const ChannelSummaryView = z
  .object({
    generation: z.int(),
    from: Month,
    to: Month,
    district: z.string().optional(),
    publicInstitutions: z.object({
      runsDisposals: z.boolean().describe('The city profile has the public institutions’ section'),
      total: DisposalFiguresView,
      byKind: z
        .object({
          appliances: DisposalFiguresView.describe('Assets of a catalogue appliance category'),
          equipment: DisposalFiguresView.describe(
            'Office equipment without one (servers, furniture) and production equipment',
          ),
        })
        .optional()
        .describe('City-wide only (absent for a district)'),
    }),
    remanufacturing: z
      .object({
        runsRemanufacturing: z.boolean().describe('The city profile has product lines'),
        total: z.object(RemanufacturingFiguresView),
        lines: z
          .array(z.object({ code: z.string(), name: Label, ...RemanufacturingFiguresView }))
          .describe('Per product line of the city profile'),
      })
      .optional()
      .describe('City-wide only (absent for a district: its events name none)'),
  })
  .meta({ id: 'ChannelSummary' });
