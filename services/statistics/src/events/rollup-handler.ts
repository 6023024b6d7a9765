// Consumes every counted topic into one generation of rollups. Exactly-once counting on
// at-least-once delivery rests on two markers:
// - each counter cell carries its partition's offset watermark, so a redelivered offset (crash,
//   rebalance, replay of the group) changes no cell twice, even if it had changed only some;
// - each record lists the event ids it applied, so the same event published again at another offset
//   (an outbox relay that crashed after sending) is recognised.
// The record is saved after the counters: a crash in between leaves the offset uncommitted, and the
// redelivery recomputes the same delta, which the watermarks make a no-op, then saves the record.
import type { EventHandler } from '@recycling/messaging';
import { factDelta } from '../domain/facts';
import { allFacts, emptyRecord, recordRules, type RecordState } from '../domain/record-rules';
import type { CounterStore } from '../store/counters';
import { RecordStore } from '../store/records';

/** Enough to recognise a republished event; a record sees only a handful of events in its life. */
const APPLIED_EVENTS_KEPT = 64;

export interface RollupHandlerDeps {
  gen: number;
  counters: CounterStore;
  records: RecordStore;
  timeZone: string;
}

export function rollupHandlers(deps: RollupHandlerDeps): Record<string, EventHandler> {
  const handle: EventHandler = async (event, ctx) => {
    const rule = recordRules[event.type];
    if (!rule) return;
    const recordId = rule.recordId(event.data);
    const doc = await deps.records.find(deps.gen, recordId);
    if (doc?.appliedEvents.includes(event.id)) return;
    const prev: RecordState | undefined = doc
      ? { slots: doc.slots, attrs: doc.attrs, revision: doc.revision }
      : undefined;
    const next = rule.apply(prev, event.data, deps.timeZone, event.id) as RecordState | undefined;
    if (next)
      await deps.counters.applyDeltas(deps.gen, ctx.position, factDelta(allFacts(prev), allFacts(next)));
    const state = next ?? prev ?? emptyRecord();
    await deps.records.save({
      _id: RecordStore.idOf(deps.gen, recordId),
      gen: deps.gen,
      slots: state.slots,
      attrs: state.attrs,
      revision: state.revision,
      appliedEvents: [...(doc?.appliedEvents ?? []), event.id].slice(-APPLIED_EVENTS_KEPT),
    });
  };
  return Object.fromEntries(Object.keys(recordRules).map((type) => [type, handle]));
}
