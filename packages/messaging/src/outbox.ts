// Transactional outbox without transactions.
//
// FerretDB (and MongoDB without a replica set) has no multi-document transactions, so the events a
// state change produces are stored in the SAME document, in the same write: both happen or neither
// does. The relay below publishes them and the writer prunes published ones on its next write.
//
// How the relay knows what is unpublished, without ever scanning an aggregate's collection: before
// a write that saves events, the writer records one small pending marker per event in
// `outbox_pending` (`expect(model, entries)`: a bulk insert, and it names the document). After the
// write it names the documents (`nudge(model, ids)`), and the relay reads exactly those by `_id`,
// publishes their events in one producer request per pass, and removes their markers. The pending
// collection therefore holds only what is in flight, a handful of documents, and the safety net
// (every `pollIntervalMs`) reads it whole: what a crashed writer saved but never announced is
// published from there. A marker whose event never reached its document (the writer died between
// marker and write) is dropped once it is older than `orphanAfterMs`.
//
// Before (decision 12), the safety net scanned every source collection by `outboxUpdatedAt`, which
// FerretDB answers by reading the whole collection: at 500,000 intakes that is seconds of work every
// ten seconds. On start, a relay still makes that scan once per source to publish what an older
// version left behind, then records that it did (`outbox_cursors`) and never scans again.
//
// The relay never writes the aggregate's document: FerretDB v1 does not serialise read-modify-write
// updates of one document (FerretDB#3040), so a relay popping events while a use case appends one
// could silently drop the new event. A crash between publishing and removing the markers publishes
// again on restart; consumers are idempotent by event id, so that is harmless.
import type { mongo } from 'mongoose';
import { Schema, type Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { PendingEvent } from './events';
import { findByIds, groupedWrites, type GroupedWrites } from '@recycling/store';
import type { EventPublisher } from './publisher';

export interface OutboxFields {
  outbox: PendingEvent[];
  /** When events were last appended: the relay scans documents by it. */
  outboxUpdatedAt: Date | null;
}

/** Where relays before pending markers recorded publication; read once at start (sweepLegacy). */
export const PUBLISHED_COLLECTION = 'outbox_published';
const CURSOR_COLLECTION = 'outbox_cursors';

const pendingEventSchema = new Schema<PendingEvent>(
  {
    id: { type: String, required: true },
    topic: { type: String, required: true },
    key: { type: String, required: true },
    type: { type: String, required: true },
    source: { type: String, required: true },
    time: { type: String, required: true },
    subject: String,
    data: { type: Schema.Types.Mixed, required: true },
    traceparent: String,
    tracestate: String,
  },
  { _id: false, minimize: false },
);

/** Mongoose plugin: adds the outbox fields (no index: the relay reads documents by `_id` only). */
export function outboxPlugin(schema: Schema): void {
  schema.add({
    outbox: { type: [pendingEventSchema], default: [] },
    outboxUpdatedAt: { type: Date, default: null },
  });
}

/** Update operators that append events to a document's outbox, for `updateOne`/`findOneAndUpdate`. */
export function outboxUpdate(events: readonly PendingEvent[], now = new Date()) {
  return {
    $push: { outbox: { $each: [...events] } },
    $set: { outboxUpdatedAt: now },
  };
}

// Writers append with `enqueue` from @recycling/store (its repositories do it for them).
export { enqueue } from '@recycling/store';

export interface OutboxSource {
  name: string;
  collection: mongo.Collection<mongo.Document>;
}

export interface OutboxRelayOptions {
  connection: Connection;
  sources: OutboxSource[];
  publisher: EventPublisher;
  logger: Logger;
  /** How often the safety net reads the pending markers (default 10 s). */
  pollIntervalMs?: number;
  /**
   * How old a marker must be before the safety net publishes from it (default 5 s), so that it does
   * not race a writer that is about to nudge.
   */
  settleMs?: number;
  /** How old a marker whose event is not in its document must be to be dropped (default 60 s). */
  orphanAfterMs?: number;
  /** Most documents read per pass (default 500). */
  batchSize?: number;
}

/** A model (or anything naming its collection) whose documents carry an outbox. */
export interface OutboxModelRef {
  modelName: string;
}

/** One event in flight: where its document is. */
interface PendingMarker {
  _id: string;
  source: string;
  docId: unknown;
  at: Date;
}

export const PENDING_COLLECTION = 'outbox_pending';
const DEFAULT_SCAN_INTERVAL_MS = 10_000;

export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = true;
  /** The safety net is due now (start, a failed pass, a nudge without ids)… */
  private scanDue = true;
  /** …or at this time: it runs on schedule even while nudges keep the relay busy. */
  private nextScanAt = 0;
  /** Documents named by writers since the last pass: source → (id as text → id as stored). */
  private readonly dirty = new Map<string, Map<string, unknown>>();
  /** Events writers handed over with their nudge: source → (id as text → the events saved). */
  private readonly ready = new Map<string, Map<string, PendingEvent[]>>();
  private readonly pending: mongo.Collection<PendingMarker>;
  /** Markers are inserted and deleted one `_id` each, in bulk writes shared with other writers. */
  private readonly pendingWrites: GroupedWrites<PendingMarker>;
  private readonly legacyMarkers: mongo.Collection<{ _id: string; at: Date }>;
  private readonly cursors: mongo.Collection<{ _id: string; at?: Date; done?: boolean }>;
  /** Ids this process published lately: a document not yet pruned by its writer is not sent again. */
  private readonly recentlyPublished = new Set<string>();
  private legacySwept = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.pending = options.connection.collection(PENDING_COLLECTION) as never;
    this.pendingWrites = groupedWrites(this.pending);
    this.legacyMarkers = options.connection.collection(PUBLISHED_COLLECTION) as never;
    this.cursors = options.connection.collection(CURSOR_COLLECTION) as never;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * Records that these documents are about to be saved with these events: call it before the
   * write (a crash after it leaves the markers for the safety net to follow).
   */
  async expect(
    model: OutboxModelRef,
    entries: ReadonlyArray<{ docId: unknown; eventIds: readonly string[] }>,
  ) {
    const at = new Date();
    const markers = entries.flatMap(({ docId, eventIds }) =>
      eventIds.map((_id) => ({ _id, source: model.modelName, docId, at })),
    );
    // Writers that save at the same moment have their markers inserted together (one bulk write).
    // A marker already there (a retry of the same write) is as good as a new one.
    if (markers.length > 0) await Promise.all(markers.map((m) => this.pendingWrites.insert(m)));
  }

  /** Removes the markers of events that were never saved (their document's id was taken). */
  async withdraw(eventIds: readonly string[]): Promise<void> {
    await Promise.all(eventIds.map((_id) => this.pendingWrites.deleteOne({ _id })));
  }

  /**
   * Publish now what these documents hold (call after saving events into them). A writer that
   * passes the events it just saved (`saved`) spares the relay reading those documents back; the
   * others are read by `_id`. Without arguments the next pass runs the safety net instead.
   */
  nudge(
    model?: OutboxModelRef,
    ids?: readonly unknown[],
    saved?: ReadonlyArray<{ docId: unknown; events: readonly PendingEvent[] }>,
  ): void {
    if (model && ids) {
      const source = this.options.sources.find((s) => s.name === model.modelName);
      if (source) {
        this.markDirty(source.name, ids);
        const ready = this.ready.get(source.name) ?? new Map<string, PendingEvent[]>();
        for (const { docId, events } of saved ?? []) {
          ready.set(String(docId), [...(ready.get(String(docId)) ?? []), ...events]);
        }
        if (ready.size > 0) this.ready.set(source.name, ready);
      } else if (this.options.sources.length > 0) {
        // A wiring mistake (the model is missing from outboxModels), never the caller's problem:
        // its write is saved, so say so loudly and let the safety net find it.
        this.options.logger.error(
          { model: model.modelName },
          'nudge for a model that is not an outbox source',
        );
        this.scanDue = true;
      }
    } else {
      this.scanDue = true;
    }
    if (this.stopped) return;
    if (!this.running) this.schedule(0);
  }

  /** Stops after publishing everything that is pending now. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    await this.flush();
  }

  /** Publishes until nothing is pending. Returns how many events were published. */
  async flush(): Promise<number> {
    let total = 0;
    for (;;) {
      await this.running?.catch(() => undefined);
      this.scanDue = true;
      const published = await this.runOnce({ settled: false });
      total += published;
      if (published === 0) return total;
    }
  }

  /** Which of these event ids were published: those without a pending marker. */
  async publishedAmong(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const stillPending = new Set((await findByIds(this.pending, ids, { _id: 1 })).map((d) => d._id));
    return new Set(ids.filter((id) => !stillPending.has(id)));
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.runOnce({ settled: true });
      // Nudges that came during the pass are served at once; otherwise wait for the safety net.
      if (this.dirty.size > 0 || this.scanDue) this.schedule(0);
      else this.schedule(Math.max(0, this.nextScanAt - Date.now()));
    } catch (error) {
      this.options.logger.warn({ err: error }, 'outbox relay pass failed; will retry');
      this.scanDue = true; // what the failed pass held may be half-published: look again
      this.schedule(1_000);
    }
  }

  /** One pass: the documents writers named, then (when due) the pending markers. */
  private runOnce(options: { settled: boolean }): Promise<number> {
    if (this.running) return this.running;
    this.running = (async () => {
      let published = 0;
      const dirty = [...this.dirty];
      this.dirty.clear();
      // Events writers handed over with their nudge; a failed pass reads those documents instead.
      const ready_ = new Map(this.ready);
      this.ready.clear();
      try {
        const docs: Array<{ source: OutboxSource; doc: mongo.Document }> = [];
        for (const [name, ids] of dirty) {
          const source = this.options.sources.find((s) => s.name === name)!;
          const ready = ready_.get(name);
          const unknown = [...ids.entries()].filter(([key]) => !ready?.has(key)).map(([, id]) => id);
          for (const [key, events] of ready ?? []) {
            if (ids.has(key)) docs.push({ source, doc: { _id: ids.get(key), outbox: events } });
          }
          for (const doc of await findByIds(source.collection, unknown, { outbox: 1 })) {
            docs.push({ source, doc });
          }
        }
        published += await this.publishFrom(docs);
      } catch (error) {
        for (const [name, ids] of dirty) this.markDirty(name, [...ids.values()]);
        throw error;
      }
      if (this.scanDue || Date.now() >= this.nextScanAt) {
        this.scanDue = false;
        this.nextScanAt = Date.now() + (this.options.pollIntervalMs ?? DEFAULT_SCAN_INTERVAL_MS);
        try {
          published += await this.followMarkers(options.settled);
          if (!this.legacySwept) published += await this.sweepLegacy();
        } catch (error) {
          this.scanDue = true;
          throw error;
        }
      }
      return published;
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  private markDirty(sourceName: string, ids: readonly unknown[]): void {
    const pending = this.dirty.get(sourceName) ?? new Map<string, unknown>();
    for (const id of ids) pending.set(String(id), id);
    this.dirty.set(sourceName, pending);
  }

  /**
   * Publishes the outbox events of these documents that this process has not published lately
   * (the writer prunes published ones on its next write), in one producer request, then removes
   * their pending markers.
   */
  private async publishFrom(docs: ReadonlyArray<{ doc: mongo.Document }>): Promise<number> {
    const events = docs
      .flatMap(({ doc }) => (doc.outbox ?? []) as PendingEvent[])
      .filter((e) => !this.recentlyPublished.has(e.id));
    if (events.length === 0) return 0;
    await this.options.publisher.publish(events);
    await this.markPublished(events.map((e) => e.id));
    return events.length;
  }

  /**
   * The safety net: every pending marker (a small collection), grouped by document; the documents
   * read by `_id` and their pending events published; markers of events that never reached their
   * document dropped once they are old.
   */
  private async followMarkers(settled: boolean): Promise<number> {
    const now = Date.now();
    const settleMs = settled ? (this.options.settleMs ?? 5_000) : 0;
    // The whole collection, on purpose: it holds only what is in flight.
    const markers = (
      await this.pending
        .find({})
        .limit(this.options.batchSize ?? 500)
        .toArray()
    ).filter((m) => now - new Date(m.at).getTime() >= settleMs);
    if (markers.length === 0) return 0;
    const docs: Array<{ doc: mongo.Document }> = [];
    const found = new Set<string>();
    for (const source of this.options.sources) {
      const ids = markers.filter((m) => m.source === source.name).map((m) => m.docId);
      for (const doc of await findByIds(source.collection, ids, { outbox: 1 })) {
        const outbox = (doc.outbox ?? []) as PendingEvent[];
        for (const e of outbox) found.add(e.id);
        // Only what a marker names: the rest of the outbox was published before.
        const names = new Set(markers.map((m) => m._id));
        docs.push({ doc: { ...doc, outbox: outbox.filter((e) => names.has(e.id)) } });
      }
    }
    for (const m of markers) if (found.has(m._id)) this.recentlyPublished.delete(m._id);
    const published = await this.publishFrom(docs);
    const orphans = markers
      .filter(
        (m) => !found.has(m._id) && now - new Date(m.at).getTime() >= (this.options.orphanAfterMs ?? 60_000),
      )
      .map((m) => m._id);
    if (orphans.length > 0) {
      this.options.logger.warn(
        { events: orphans.length },
        'dropping pending markers whose events were never saved',
      );
      await Promise.all(orphans.map((_id) => this.pendingWrites.deleteOne({ _id })));
    }
    if (published > 0) this.options.logger.info({ events: published }, 'outbox safety net published events');
    return published;
  }

  /**
   * Once per source: what a relay of the earlier design (no pending markers) may have left
   * unpublished, found by the old scan of `outboxUpdatedAt` and its published markers. A start-up
   * path only; afterwards the source is marked swept and never scanned again.
   */
  private async sweepLegacy(): Promise<number> {
    let published = 0;
    for (const source of this.options.sources) {
      const key = `${source.name}:swept-for-pending-markers`;
      if ((await this.cursors.findOne({ _id: key }))?.done) continue;
      const since = (await this.cursors.findOne({ _id: source.name }))?.at;
      if (since) {
        const docs = await source.collection
          .find(
            { outboxUpdatedAt: { $gte: new Date(since.getTime() - 60_000) } },
            { projection: { outbox: 1 } },
          )
          .toArray();
        const events = docs.flatMap((d) => (d.outbox ?? []) as PendingEvent[]);
        const done = new Set(
          (
            await findByIds(
              this.legacyMarkers,
              events.map((e) => e.id),
              { _id: 1 },
            )
          ).map((d) => d._id),
        );
        const left = events.filter((e) => !done.has(e.id));
        if (left.length > 0) {
          await this.options.publisher.publish(left);
          published += left.length;
        }
      }
      await this.cursors.updateOne({ _id: key }, { $set: { done: true } }, { upsert: true });
    }
    this.legacySwept = true;
    return published;
  }

  private async markPublished(ids: string[]): Promise<void> {
    for (const id of ids) this.recentlyPublished.add(id);
    if (this.recentlyPublished.size > 50_000) this.recentlyPublished.clear();
    // One bulk write of deletes by `_id` (shared with other writers of the collection), not a
    // `deleteMany` with `$in`: FerretDB reads the whole table for `$in`, 16 ms at 50 markers and
    // 120 ms at 2,000 (measured here), and the markers pile up exactly when the relay falls behind.
    await Promise.all(ids.map((_id) => this.pendingWrites.deleteOne({ _id })));
  }
}
