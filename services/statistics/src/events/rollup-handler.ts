// Consumes every counted topic into one generation of rollups, a run of consecutive events of one
// partition at a time (the consumer runner's batch handling; a single event is a run of one).
// Exactly-once counting on at-least-once delivery rests on two markers:
// - each counter document carries its partition's offset watermark, so a redelivered offset (crash,
//   rebalance, replay of the group, a run cut differently) changes no document twice, even if the
//   run had changed only some documents;
// - each record lists the event ids it applied, so the same event published again at another offset
//   (an outbox relay that crashed after sending) is recognised.
//
// A run is applied with a few bulk operations: the records it names are read once (by `_id`), each
// event's counter deltas are computed from them with the pure rules, in offset order, and summed per
// counter document in memory; every document touched is then read once and written once
// (`CounterStore.applyRun`), and the records are saved last, each once. A crash before the records
// are saved leaves the offsets uncommitted: the redelivery reads the same records, recomputes the
// same deltas, which the watermarks make a no-op where they were written, and saves the records.
import type { BatchHandler, BatchHandling, ConsumedEvent, EventHandler } from '@recycling/messaging';
import { factDelta, type Fields } from '../domain/facts';
import { allFacts, emptyRecord, recordRules, type RecordState } from '../domain/record-rules';
import { partitionOf, type CounterStore } from '../store/counters';
import { RecordStore, type RecordDoc } from '../store/records';
import { RecordCache } from './record-cache';

/** Enough to recognise a republished event; a record sees only a handful of events in its life. */
const APPLIED_EVENTS_KEPT = 64;

/**
 * Most events in one run. A fetched batch of one partition is at most a megabyte (the consumer's
 * default), a few thousand events: it is applied as one run, so its counter documents are written
 * once and a record its events change twice is saved once.
 */
export const ROLLUP_RUN_MAX_EVENTS = 5_000;

export interface RollupHandlerDeps {
  gen: number;
  counters: CounterStore;
  records: RecordStore;
  timeZone: string;
  /** The records of the partitions being applied, so that runs read only those they have not seen. */
  cache?: RecordCache;
}

/** What applying a run did, for tests and logs. */
export interface RunOutcome {
  events: number;
  /** Events that changed a record's facts (the others were repeats or changed nothing). */
  counted: number;
  records: number;
  counterDocuments: { read: number; written: number };
}

interface RecordInRun {
  found: RecordDoc | undefined;
  state: RecordState | undefined;
  appliedEvents: string[];
  changed: boolean;
}

/**
 * Applies a run of events of one partition, in offset order (events of several partitions are applied
 * partition by partition). Idempotent: applying it again, whole or in part, changes nothing.
 */
export async function applyRollupRun(
  deps: RollupHandlerDeps,
  events: readonly ConsumedEvent[],
): Promise<RunOutcome> {
  const outcome: RunOutcome = {
    events: 0,
    counted: 0,
    records: 0,
    counterDocuments: { read: 0, written: 0 },
  };
  const byPartition = new Map<string, ConsumedEvent[]>();
  for (const e of events) {
    if (!recordRules[e.event.type]) continue;
    const part = partitionOf(e.position);
    const list = byPartition.get(part) ?? [];
    list.push(e);
    byPartition.set(part, list);
  }
  for (const [part, run] of byPartition) {
    const one = await applyPartitionRun(deps, part, run);
    outcome.events += one.events;
    outcome.counted += one.counted;
    outcome.records += one.records;
    outcome.counterDocuments.read += one.counterDocuments.read;
    outcome.counterDocuments.written += one.counterDocuments.written;
  }
  return outcome;
}

async function applyPartitionRun(
  deps: RollupHandlerDeps,
  part: string,
  run: readonly ConsumedEvent[],
): Promise<RunOutcome> {
  const idOf = (e: ConsumedEvent) =>
    RecordStore.idOf(deps.gen, recordRules[e.event.type]!.recordId(e.event.data));
  const offsets = run.map((e) => Number(e.position.offset));
  const ids = [...new Set(run.map(idOf))];
  const cached = deps.cache?.begin(part, offsets[0]!);
  // Taken at once: while this run waits on the store, another partition's run may make the cache
  // let go of some of these records.
  const known = new Map<string, RecordDoc>();
  for (const id of ids) {
    const doc = cached?.get(id);
    if (doc) known.set(id, doc);
  }
  // Only the records the cache cannot answer for are read: none when it is complete.
  const found = await deps.records.findMany(cached?.complete ? [] : ids.filter((id) => !known.has(id)));
  const records = new Map<string, RecordInRun>();
  const deltas: Array<{ offset: number; deltas: Map<string, Fields> }> = [];
  let counted = 0;
  for (const e of run) {
    const { event, position } = e;
    const id = idOf(e);
    let record = records.get(id);
    if (!record) {
      const doc = known.get(id) ?? found.get(id);
      record = {
        found: doc,
        state: doc ? { slots: doc.slots, attrs: doc.attrs, revision: doc.revision } : undefined,
        appliedEvents: doc?.appliedEvents ?? [],
        changed: false,
      };
      records.set(id, record);
    }
    if (record.appliedEvents.includes(event.id)) continue;
    const prev = record.state;
    const next = recordRules[event.type]!.apply(prev, event.data, deps.timeZone, event.id) as
      RecordState | undefined;
    if (next) {
      const delta = factDelta(allFacts(prev), allFacts(next));
      if (delta.size > 0) deltas.push({ offset: Number(position.offset), deltas: delta });
      counted += 1;
    }
    record.state = next ?? prev ?? emptyRecord();
    record.appliedEvents = [...record.appliedEvents, event.id].slice(-APPLIED_EVENTS_KEPT);
    record.changed = true;
  }
  const existing: RecordDoc[] = [];
  const created: RecordDoc[] = [];
  const held = new Map<string, RecordDoc>();
  for (const [_id, r] of records) {
    if (!r.changed) {
      if (r.found) held.set(_id, r.found);
      continue;
    }
    const state = r.state ?? emptyRecord();
    const doc: RecordDoc = {
      _id,
      gen: deps.gen,
      slots: state.slots,
      attrs: state.attrs,
      revision: state.revision,
      appliedEvents: r.appliedEvents,
    };
    (r.found ? existing : created).push(doc);
    held.set(_id, doc);
  }
  let counterDocuments: RunOutcome['counterDocuments'];
  try {
    // Counters first, records last: see the top of this file.
    counterDocuments = await deps.counters.applyRun(deps.gen, part, deltas);
    await deps.records.saveRun({ existing, created });
  } catch (error) {
    deps.cache?.drop(part); // what the store holds now is unknown
    throw error;
  }
  deps.cache?.commit(part, offsets.at(-1)!, held);
  return { events: run.length, counted, records: existing.length + created.length, counterDocuments };
}

/** The runner's batch handling of every counted event type: runs of up to `maxEvents`. */
export function rollupBatch(deps: RollupHandlerDeps, maxEvents = ROLLUP_RUN_MAX_EVENTS): BatchHandling {
  const withCache = { ...deps, cache: deps.cache ?? new RecordCache() };
  const handle: BatchHandler = async (events) => {
    await applyRollupRun(withCache, events);
  };
  return { types: Object.keys(recordRules), handle, maxEvents };
}

/** One event at a time, through the same code (a run of one), reading its record from the store. */
export function rollupHandlers(deps: RollupHandlerDeps): Record<string, EventHandler> {
  const handle: EventHandler = async (event, ctx) => {
    await applyRollupRun(deps, [{ event, position: ctx.position, key: ctx.key }]);
  };
  return Object.fromEntries(Object.keys(recordRules).map((type) => [type, handle]));
}
