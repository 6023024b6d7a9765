import { IntakeEventTypes, type IntakeBatchDispatchedData } from '@recycling/contracts';
import { enqueue } from '@recycling/messaging';
import { checkDispatchable, partWeightGrams, type LineAvailability } from '../domain/dispatch';
import { newBatchId } from '../domain/intake-ids';
import { RuleError } from '../domain/rule-error';
import { sortedUnitsByLine } from '../domain/sorting';
import type { DispatchBatchBody } from '../http/schemas';
import type { BatchDoc, BatchItemDoc } from '../store/models';
import type { Actor, SortingContext } from './context';
import { activeStation } from './stations';

// A batch is its own document (with its outbox); what has left is read back from the batches, so
// no intake document is written and no two-document update can half-fail. Dispatches of one station
// take turns (station lock), which keeps two batches from taking the same units.

export const batchKey = (intakeId: string, lineId: string) => `${intakeId}/${lineId}`;

/** Units of each intake line that already left, from the batches that name the intakes. */
export async function dispatchedUnits(ctx: SortingContext, intakeIds: readonly string[]) {
  const batches = await ctx.models.Batch.find({ 'items.intakeId': { $in: [...intakeIds] } }).lean();
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

export async function dispatchBatch(
  ctx: SortingContext,
  actor: Actor,
  stationId: string,
  body: DispatchBatchBody,
) {
  actor.assertStation(stationId);
  await activeStation(ctx, stationId);
  const batch = await ctx.messaging.locks.withLock(`dispatch:${stationId}`, async () => {
    const intakeIds = [...new Set(body.items.map((i) => i.intakeId))];
    const intakes = await ctx.models.Intake.find({ _id: { $in: intakeIds }, stationId }).lean();
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
    const items: BatchItemDoc[] = body.items.map((request, i) => {
      const key = batchKey(request.intakeId, request.lineId);
      const line = availability.get(key);
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
      throw new RuleError('invalid', '发运重量须大于 0 / The part weighs nothing', `items.${zero}.units`);
    }

    const now = ctx.now();
    const dispatchedAt = body.dispatchedAt ? new Date(body.dispatchedAt) : now;
    const batchId = newBatchId(dispatchedAt, ctx.profile.timezone);
    const totalWeightGrams = items.reduce((s, i) => s + i.weightGrams, 0);
    const data: IntakeBatchDispatchedData = {
      batchId,
      stationId,
      processor: body.processor,
      items,
      totalWeightGrams,
      occurredAt: dispatchedAt.toISOString(),
    };
    const doc: BatchDoc = {
      _id: batchId,
      stationId,
      processor: body.processor,
      items,
      totalWeightGrams,
      dispatchedAt,
      dispatchedBy: actor.sub,
      outbox: [],
      outboxUpdatedAt: null,
    };
    const model = new ctx.models.Batch(doc);
    enqueue(model, [ctx.messaging.events(IntakeEventTypes.batchDispatched, data, { subject: batchId })]);
    await model.save();
    return model.toObject() as BatchDoc;
  });
  ctx.messaging.relay.nudge(ctx.models.Batch, [batch._id]);
  ctx.logger.info({ batchId: batch._id, stationId, items: batch.items.length }, 'batch dispatched');
  return batchView(batch);
}

export const batchView = (b: BatchDoc) => ({
  batchId: b._id,
  stationId: b.stationId,
  processor: b.processor,
  items: b.items,
  totalWeightGrams: b.totalWeightGrams,
  dispatchedAt: b.dispatchedAt.toISOString(),
  dispatchedBy: b.dispatchedBy,
});
