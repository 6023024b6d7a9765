import {
  DomainError,
  IntakeEventTypes,
  type IntakeBatchDispatchedData,
  type Principal,
} from '@recycling/contracts';
import {
  checkDispatchable,
  partWeightGrams,
  type DispatchRequest,
  type LineAvailability,
} from '../domain/dispatch';
import { newBatchId } from '../domain/intake-ids';
import { assertStation } from '../domain/refusals';
import { sortedUnitsByLine } from '../domain/sorting';
import type { BatchDoc, BatchItemDoc } from '../store/models';
import type { SortingContext } from './context';
import { activeStation } from './stations';
import { noteDispatched } from './work-list';

// A batch is its own document (with its outbox); what has left is read back from the batches, so
// no intake document is written and no two-document update can half-fail. Dispatches of one station
// take turns (the batch repository holds the station's dispatch lock), which keeps two batches from
// taking the same units.

export interface DispatchBatchInput {
  processor: { name: string; licenceNo: string };
  items: DispatchRequest[];
  dispatchedAt?: string;
}

export const batchKey = (intakeId: string, lineId: string) => `${intakeId}/${lineId}`;

/** Units of each intake line that already left, from the batches that name the intakes. */
export async function dispatchedUnits(ctx: SortingContext, intakeIds: readonly string[]) {
  const batches = await ctx.batches.naming(intakeIds);
  const byLine = new Map<string, number>();
  const wanted = new Set(intakeIds);
  for (const b of batches) {
    for (const item of b.items) {
      if (!wanted.has(item.intakeId)) continue;
      const key = batchKey(item.intakeId, item.lineId);
      byLine.set(key, (byLine.get(key) ?? 0) + item.units);
    }
  }
  return { batches, byLine };
}

/** What each requested line of the station's intakes holds, has had sorted, and has sent away. */
async function availabilityAt(ctx: SortingContext, stationId: string, intakeIds: string[]) {
  const intakes = await ctx.intakes.atStation(intakeIds, stationId);
  const { byLine: dispatched } = await dispatchedUnits(ctx, intakeIds);
  const availability = new Map<string, LineAvailability>();
  for (const intake of intakes) {
    const sorted = sortedUnitsByLine(intake.sorted);
    for (const line of intake.contents.lines) {
      const key = batchKey(intake._id, line.lineId);
      availability.set(key, {
        line,
        sorted: sorted.get(line.lineId) ?? 0,
        dispatched: dispatched.get(key) ?? 0,
      });
    }
  }
  return availability;
}

/** Dispatches sorted units of the station's intakes to a licensed processor (the endpoint checks the station). */
export async function dispatchBatch(
  ctx: SortingContext,
  principal: Principal,
  stationId: string,
  body: DispatchBatchInput,
) {
  await activeStation(ctx, stationId);
  const batch = await ctx.batches.dispatch(stationId, async () => {
    const availability = await availabilityAt(ctx, stationId, [
      ...new Set(body.items.map((i) => i.intakeId)),
    ]);
    const items: BatchItemDoc[] = body.items.map((request, i) => {
      const line = availability.get(batchKey(request.intakeId, request.lineId));
      checkDispatchable(request, i, line, 0);
      return {
        intakeId: request.intakeId,
        lineId: request.lineId,
        category: line!.line.category,
        units: request.units,
        weightGrams: partWeightGrams(line!.line, line!.dispatched, request.units),
      };
    });
    const zero = items.findIndex((item) => item.weightGrams < 1);
    if (zero >= 0) {
      throw DomainError.invalid(
        'part-weighs-nothing',
        `items.${zero}.units`,
        '发运重量须大于 0 / The part weighs nothing',
      );
    }

    const dispatchedAt = body.dispatchedAt ? new Date(body.dispatchedAt) : ctx.now();
    const batchId = newBatchId(dispatchedAt, ctx.profile.timezone);
    const what = {
      stationId,
      processor: body.processor,
      items,
      totalWeightGrams: items.reduce((s, i) => s + i.weightGrams, 0),
    };
    const data: IntakeBatchDispatchedData = { batchId, ...what, occurredAt: dispatchedAt.toISOString() };
    return {
      batch: { _id: batchId, ...what, dispatchedAt, dispatchedBy: principal.sub },
      events: [ctx.events(IntakeEventTypes.batchDispatched, data, { subject: batchId })],
    };
  });
  await noteDispatched(ctx, stationId, batch._id, batch.items);
  ctx.logger.info({ batchId: batch._id, stationId, items: batch.items.length }, 'batch dispatched');
  return batchView(batch);
}

/** A batch the caller may see: 404 when there is none, 403 when it is another station's. */
export async function getBatch(ctx: SortingContext, principal: Principal, batchId: string) {
  const batch = await ctx.batches.get(batchId);
  assertStation(principal, batch.stationId);
  return batchView(batch);
}

/** A station's latest batches, newest first (the endpoint checks the caller's station). */
export const latestBatches = async (ctx: SortingContext, stationId: string, limit: number) =>
  (await ctx.batches.latestAt(stationId, limit)).map(batchView);

export const batchView = (b: BatchDoc) => ({
  batchId: b._id,
  stationId: b.stationId,
  processor: b.processor,
  items: b.items,
  totalWeightGrams: b.totalWeightGrams,
  dispatchedAt: b.dispatchedAt.toISOString(),
  dispatchedBy: b.dispatchedBy,
});
