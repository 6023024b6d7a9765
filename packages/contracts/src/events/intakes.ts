import { z } from 'zod';
import { ApplianceCategory } from '../reference/appliance-catalogue';
import { SortingOutcome } from '../reference/sorting-outcomes';
import { DistrictCode, Fen, Grams, Id, Note, PositiveGrams, Units } from '../scalars';
import { checkSum, checkUnique } from '../validation';
import { OccurredAt, PartyRef } from './common';

// Topic recycling.intakes.v1, written by the sorting service: what a station received, what it did
// with it and where it sent it. Amounts here are what the station paid; the tax view of the same
// sale is on the purchases topic.
//
// Keys: intake events are keyed by intakeId, batch events by batchId. A batch gathers lines of many
// intakes, so no single intake key fits it; a consumer therefore cannot rely on the order between a
// batch and the intakes it names, and the batch carries what statistics needs (category, units,
// weight) so that it can be counted on its own.

export const IntakeEventTypes = {
  recorded: 'recycling.intake.recorded.v1',
  corrected: 'recycling.intake.corrected.v1',
  itemsSorted: 'recycling.intake.items-sorted.v1',
  batchDispatched: 'recycling.intake.batch-dispatched.v1',
} as const;

export const IntakeSource = z
  .object({
    kind: z.enum(['pickup', 'walk-in', 'retailer-trade-in', 'public-institution', 'enterprise']),
    pickupId: Id.optional().describe('Set when kind is pickup'),
    counterSaleId: Id.optional().describe(
      'Kind retailer-trade-in only: the trade-in counter sale (subsidies) the old appliance was handed over for',
    ),
  })
  .refine((s) => (s.kind === 'pickup') === (s.pickupId !== undefined), {
    message: 'pickupId is required for, and only for, kind pickup',
    path: ['pickupId'],
  })
  .refine((s) => s.counterSaleId === undefined || s.kind === 'retailer-trade-in', {
    message: 'counterSaleId is for kind retailer-trade-in only',
    path: ['counterSaleId'],
  });
export type IntakeSource = z.infer<typeof IntakeSource>;

export const IntakeLineCondition = z
  .enum(['reusable', 'for-dismantling', 'hazardous-parts'])
  .describe('Assessment at the scale, before sorting');

export const IntakeLine = z.object({
  lineId: Id,
  category: ApplianceCategory,
  units: Units,
  weightGrams: PositiveGrams,
  weightEstimated: z.boolean().describe('true when weightGrams is the default weight x units, not weighed'),
  condition: IntakeLineCondition,
  priceFen: Fen.describe('Paid for the whole line'),
});
export type IntakeLine = z.infer<typeof IntakeLine>;

/** A complete statement of an intake's lines, so consumers can diff revisions without state. */
export const IntakeContents = z
  .object({
    lines: z.array(IntakeLine).describe('Empty only when a correction withdraws the whole intake'),
    totalFen: Fen.describe('Sum of priceFen over the lines'),
    totalWeightGrams: Grams.describe('Sum of weightGrams over the lines'),
  })
  .superRefine((c, ctx) => {
    checkUnique(ctx, ['lines'], c.lines, (l) => l.lineId);
    checkSum(
      ctx,
      ['totalFen'],
      c.totalFen,
      c.lines.map((l) => l.priceFen),
    );
    checkSum(
      ctx,
      ['totalWeightGrams'],
      c.totalWeightGrams,
      c.lines.map((l) => l.weightGrams),
    );
  });
export type IntakeContents = z.infer<typeof IntakeContents>;

export const IntakeRecordedData = z
  .object({
    intakeId: Id,
    stationId: Id,
    enterpriseId: Id.describe('Enterprise that operates the station and pays the seller'),
    districtCode: DistrictCode.describe(
      "Where the goods came from: the pickup's district, else the station's",
    ),
    source: IntakeSource,
    seller: PartyRef,
    contents: IntakeContents.refine((c) => c.lines.length > 0, {
      message: 'an intake has lines',
      path: ['lines'],
    }),
    revision: z.literal(1),
    occurredAt: OccurredAt.describe('When the goods were received and weighed'),
  })
  .describe('A station received, weighed and paid for appliances');
export type IntakeRecordedData = z.infer<typeof IntakeRecordedData>;

export const IntakeCorrectedData = z
  .object({
    intakeId: Id,
    stationId: Id,
    revision: z.int().min(2).describe('Previous revision + 1'),
    reason: Note,
    before: IntakeContents.describe('Contents at the previous revision'),
    after: IntakeContents.describe('Contents from now on; no lines withdraws the intake'),
    occurredAt: OccurredAt,
  })
  .describe('The lines of an intake were corrected; before and after are complete');
export type IntakeCorrectedData = z.infer<typeof IntakeCorrectedData>;

export const IntakeItemsSortedData = z
  .object({
    intakeId: Id,
    stationId: Id,
    outcomes: z
      .array(
        z.object({
          lineId: Id,
          outcome: SortingOutcome,
          units: Units.describe('A line may be split between outcomes'),
        }),
      )
      .min(1),
    occurredAt: OccurredAt,
  })
  .describe('A station decided where items of an intake go');
export type IntakeItemsSortedData = z.infer<typeof IntakeItemsSortedData>;

export const BatchItem = z.object({
  intakeId: Id,
  lineId: Id,
  category: ApplianceCategory,
  units: Units,
  weightGrams: PositiveGrams,
});
export type BatchItem = z.infer<typeof BatchItem>;

export const IntakeBatchDispatchedData = z
  .object({
    batchId: Id,
    stationId: Id,
    processor: z.object({
      name: z.string().min(1).max(200),
      licenceNo: z.string().min(1).max(64).describe('Processing qualification (处理资格) or permit number'),
    }),
    items: z.array(BatchItem).min(1),
    totalWeightGrams: PositiveGrams.describe('Sum of weightGrams over the items'),
    occurredAt: OccurredAt.describe('When the batch left the station'),
  })
  .superRefine((b, ctx) => {
    checkUnique(ctx, ['items'], b.items, (i) => `${i.intakeId}/${i.lineId}`);
    checkSum(
      ctx,
      ['totalWeightGrams'],
      b.totalWeightGrams,
      b.items.map((i) => i.weightGrams),
    );
  })
  .describe('A station sent a batch of sorted items to a licensed processor (keyed by batchId)');
export type IntakeBatchDispatchedData = z.infer<typeof IntakeBatchDispatchedData>;

export const intakeEventSchemas = {
  [IntakeEventTypes.recorded]: IntakeRecordedData,
  [IntakeEventTypes.corrected]: IntakeCorrectedData,
  [IntakeEventTypes.itemsSorted]: IntakeItemsSortedData,
  [IntakeEventTypes.batchDispatched]: IntakeBatchDispatchedData,
} as const;
