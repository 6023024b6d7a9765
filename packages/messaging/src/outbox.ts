// Transactional outbox without transactions.
//
// FerretDB (and MongoDB without a replica set) has no multi-document transactions, so the events a
// state change produces are stored in the SAME document, in the same write: both happen or neither
// does. The relay below finds documents with events, publishes those not yet published, and records
// each published event by inserting a marker `{ _id: eventId }` into `outbox_published`.
//
// The relay never writes the aggregate's document. FerretDB v1 does not serialise read-modify-write
// updates of one document (FerretDB#3040: two concurrent updates can each overwrite the other), so a
// relay popping events while a use case appends one could silently drop the new event. Inserts with a
// unique `_id` are atomic there, so "published" is an insert. The writer itself prunes published
// events from its document on its next write (`enqueue` / `outboxUpdate` with `prune`).
//
// A crash between publishing and inserting the marker publishes again on restart; consumers are
// idempotent by event id, so that is harmless.
//
// How the relay finds documents: a writer names the documents it just wrote (`nudge(model, ids)`)
// and the relay reads exactly those, by `_id`. FerretDB answers only `_id` filters from an index;
// a filter on `outboxUpdatedAt` reads and decodes the whole collection, so a relay that scanned on
// every write got slower with every document ever written (the load benchmark measured 150-270 ms
// per scan of a few dozen invoices, on the consumer's critical path). The scan stays as the safety
// net, every `pollIntervalMs`: it publishes what a crashed writer (this process before a restart, or
// another replica) saved but never nudged.
import type { mongo } from 'mongoose';
import { Schema, type Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { PendingEvent } from './events';
import { findByIds } from '@recycling/store';
import type { EventPublisher } from './publisher';

export interface OutboxFields {
  outbox: PendingEvent[];
  /** When events were last appended: the relay scans documents by it. */
  outboxUpdatedAt: Date | null;
}

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

/** Mongoose plugin: adds the outbox fields and the index the relay scans. */
export function outboxPlugin(schema: Schema): void {
  schema.add({
    outbox: { type: [pendingEventSchema], default: [] },
    outboxUpdatedAt: { type: Date, default: null },
  });
  schema.index({ outboxUpdatedAt: 1 });
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
  /**
   * How often the safety-net scan runs (default 10 s). Publication normally follows `nudge(model,
   * ids)` at once; the scan only catches what a crashed writer saved but never nudged.
   */
  pollIntervalMs?: number;
  /**
   * How far back each scan looks before its cursor: covers writes that committed after a scan
   * passed their timestamp, and clock differences between replicas.
   */
  overlapMs?: number;
  batchSize?: number;
}

/** A model (or anything naming its collection) whose documents carry an outbox. */
export interface OutboxModelRef {
  modelName: string;
}

const DEFAULT_SCAN_INTERVAL_MS = 10_000;

export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = true;
  /** A full scan is due now (start, a failed pass, a nudge without ids)… */
  private scanDue = true;
  /** …or at this time: the safety net runs on schedule even while nudges keep the relay busy. */
  private nextScanAt = 0;
  /** Documents named by writers since the last pass: source → (id as text → id as stored). */
  private readonly dirty = new Map<string, Map<string, unknown>>();
  private readonly published: mongo.Collection<{ _id: string; at: Date }>;
  private readonly cursors: mongo.Collection<{ _id: string; at: Date }>;
  /** Ids published recently by this process, to skip the marker look-up in the overlap window. */
  private readonly recentlyPublished = new Set<string>();

  constructor(private readonly options: OutboxRelayOptions) {
    this.published = options.connection.collection(PUBLISHED_COLLECTION) as never;
    this.cursors = options.connection.collection(CURSOR_COLLECTION) as never;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * Publish now what these documents hold (call after saving events into them). Without arguments
   * the next pass scans every source instead: correct, but on FerretDB it reads whole collections.
   */
  nudge(model?: OutboxModelRef, ids?: readonly unknown[]): void {
    if (model && ids) {
      const source = this.options.sources.find((s) => s.name === model.modelName);
      if (source) this.markDirty(source.name, ids);
      else if (this.options.sources.length > 0) {
        // A wiring mistake (the model is missing from outboxModels), never the caller's problem:
        // its write is saved, so say so loudly and let the scan find it.
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

  /** Stops scanning after publishing everything that is pending now. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    await this.flush();
  }

  /** Publishes until no document has unpublished events. Returns how many events were published. */
  async flush(): Promise<number> {
    let total = 0;
    for (;;) {
      await this.running?.catch(() => undefined);
      this.scanDue = true;
      const published = await this.runOnce();
      total += published;
      if (published === 0) return total;
    }
  }

  /** Which of these event ids were published: a writer passes them to `enqueue` to prune. */
  async publishedAmong(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    // By _id one at a time: the markers grow with every event ever published (see find-by-ids.ts).
    const found = await findByIds(this.published, ids, { _id: 1 });
    return new Set(found.map((d) => d._id));
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.runOnce();
      // Nudges that came during the pass are served at once; otherwise wait for the next scan.
      if (this.dirty.size > 0 || this.scanDue) this.schedule(0);
      else this.schedule(Math.max(0, this.nextScanAt - Date.now()));
    } catch (error) {
      this.options.logger.warn({ err: error }, 'outbox relay pass failed; will retry');
      this.scanDue = true; // what the failed pass held may be half-published: look everywhere again
      this.schedule(1_000);
    }
  }

  /** One pass: the documents writers named, then (when due) a scan of every source. */
  private runOnce(): Promise<number> {
    if (this.running) return this.running;
    this.running = (async () => {
      let published = 0;
      const dirty = [...this.dirty];
      this.dirty.clear();
      try {
        for (const [name, ids] of dirty) {
          const source = this.options.sources.find((s) => s.name === name)!;
          published += await this.drainDocuments(source, [...ids.values()]);
        }
      } catch (error) {
        for (const [name, ids] of dirty) this.markDirty(name, [...ids.values()]);
        throw error;
      }
      if (this.scanDue || Date.now() >= this.nextScanAt) {
        this.scanDue = false;
        this.nextScanAt = Date.now() + (this.options.pollIntervalMs ?? DEFAULT_SCAN_INTERVAL_MS);
        try {
          for (const source of this.options.sources) published += await this.drain(source);
        } catch (error) {
          this.scanDue = true;
          throw error;
        }
      }
      return published;
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Publishes the unpublished events of the named documents, read by `_id`, in document order. */
  private markDirty(sourceName: string, ids: readonly unknown[]): void {
    const pending = this.dirty.get(sourceName) ?? new Map<string, unknown>();
    for (const id of ids) pending.set(String(id), id);
    this.dirty.set(sourceName, pending);
  }

  private async drainDocuments(source: OutboxSource, ids: unknown[]): Promise<number> {
    let published = 0;
    const batchSize = this.options.batchSize ?? 200;
    for (let i = 0; i < ids.length; i += batchSize) {
      const docs = await findByIds(source.collection, ids.slice(i, i + batchSize), { outbox: 1 });
      published += await this.publishPending(docs);
    }
    return published;
  }

  private async publishPending(docs: mongo.Document[]): Promise<number> {
    const events = docs.flatMap((d) => (d.outbox ?? []) as PendingEvent[]);
    const unknown = events.map((e) => e.id).filter((id) => !this.recentlyPublished.has(id));
    const done = await this.publishedAmong(unknown);
    const pending = events.filter((e) => !this.recentlyPublished.has(e.id) && !done.has(e.id));
    if (pending.length === 0) return 0;
    await this.options.publisher.publish(pending);
    await this.markPublished(pending.map((e) => e.id));
    return pending.length;
  }

  /**
   * Scans documents whose outbox changed since the cursor (minus the overlap), publishes their
   * unpublished events in document order, then moves the cursor to the last document whose events
   * are all published. A failure leaves the cursor where it was, so nothing is skipped.
   */
  private async drain(source: OutboxSource): Promise<number> {
    const overlapMs = this.options.overlapMs ?? 10_000;
    const batchSize = this.options.batchSize ?? 200;
    const cursor = (await this.cursors.findOne({ _id: source.name }))?.at ?? new Date(0);
    let from = new Date(cursor.getTime() - overlapMs);
    let published = 0;
    for (;;) {
      const docs = await source.collection
        .find({ outboxUpdatedAt: { $gte: from } })
        .sort({ outboxUpdatedAt: 1 })
        .limit(batchSize)
        .toArray();
      if (docs.length === 0) break;
      published += await this.publishPending(docs);
      const last = docs.at(-1)!.outboxUpdatedAt as Date;
      await this.cursors.updateOne({ _id: source.name }, { $set: { at: last } }, { upsert: true });
      if (docs.length < batchSize || last.getTime() === from.getTime()) break;
      from = last;
    }
    return published;
  }

  private async markPublished(ids: string[]): Promise<void> {
    const at = new Date();
    try {
      await this.published.insertMany(
        ids.map((_id) => ({ _id, at })),
        { ordered: false },
      );
    } catch (error) {
      // Another relay (a replica, or this one before a crash) marked some first: that is fine.
      if ((error as { code?: number }).code !== 11000) throw error;
    }
    for (const id of ids) this.recentlyPublished.add(id);
    if (this.recentlyPublished.size > 50_000) this.recentlyPublished.clear();
  }
}
