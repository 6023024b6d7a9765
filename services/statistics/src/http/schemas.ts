// Request schemas of every route. The routes validate with these and the OpenAPI document is
// generated from these, so the two cannot drift apart.
import { Id, METRIC_CODES, Month, UsedCarTransactionRecordedData } from '@recycling/contracts';
import { idempotencyKeyHeader } from '@recycling/service-kit';
import { z } from 'zod';
import { decodeCursor } from '../app/list-used-cars';
import { addMonths } from '../domain/months';
import { Metrics } from '../domain/record-rules';

export const UsedCarBody = z
  .strictObject(UsedCarTransactionRecordedData.omit({ marketId: true, occurredAt: true }).shape)
  .meta({
    id: 'UsedCarTransactionInput',
    description: 'A used-car sale documented by the market (no buyer or seller)',
  });

/** A market lists at most five years of sales at a time (a page reads one document per month). */
const MAX_LIST_MONTHS = 60;

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
    reason: z
      .string()
      .trim()
      .min(1)
      .max(200)
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

export const RebuildIdempotencyHeader = idempotencyKeyHeader(
  'A retry with the same key gets the first answer again / 同一键重试返回首次结果',
);

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

export const AsOfQuery = z.strictObject({
  asOf: Month.optional().describe('Last month counted; default the current month in the city time zone'),
});

const ROLLUP_METRICS = Object.values(Metrics) as [string, ...string[]];

export const RollupQuery = z
  .strictObject({
    metric: z.enum(ROLLUP_METRICS),
    dim: z
      .string()
      .regex(/^[a-zA-Z]{1,40}$/)
      .default('all')
      .describe('all, or a dimension of the metric: district, category, vehicleType, fuelType, ...'),
    from: Month,
    to: Month,
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => Number(q.to.slice(0, 4)) - Number(q.from.slice(0, 4)) <= 20, {
    path: ['from'],
    message: 'at most 20 years at a time',
  });

export const GenerationParams = z.strictObject({
  generation: z.coerce.number().int().min(1),
});

export const ReconciliationQuery = z.strictObject({
  generation: z.coerce.number().int().min(1).describe('The rebuild to compare with the active rollups'),
});

export const OwnerCountsBody = z
  .strictObject({
    owner: z.string().min(1).max(100).describe('Whose records these are, e.g. sorting or dismantling'),
    counts: z
      .array(
        z.strictObject({
          metric: z.enum(ROLLUP_METRICS),
          month: Month,
          dim: z
            .string()
            .regex(/^[a-zA-Z]{1,40}$/)
            .default('all'),
          value: z.string().min(1).max(64).default('all'),
          field: z.string().regex(/^[a-zA-Z]{1,40}$/),
          count: z.int(),
        }),
      )
      .min(1)
      .max(10_000),
  })
  .meta({
    id: 'OwnerCounts',
    description: "Counts from an owner's own records, to compare with the rollups",
  });
