// Transactional outbox without transactions. FerretDB (and any MongoDB without a replica set) has
// no multi-document transactions, so the events a state change produces are stored in the SAME
// document, in the same write: both happen or neither does. The relay below publishes them and
// removes them from the document. A crash between publishing and removing publishes again on
// restart; consumers are idempotent by event id, so that is harmless.
import { randomUUID } from 'node:crypto';
import { Schema, type mongo } from 'mongoose';
import type { Logger } from 'pino';
import type { PendingEvent } from './events';
import type { EventPublisher } from './publisher';

export interface OutboxFields {
  outbox: PendingEvent[];
  /** Set while events wait; the relay's index. Cleared only when the outbox is empty. */
  outboxPendingSince: Date | null;
  /** A relay instance holds a document until then, so replicas do not publish the same events. */
  outboxLeaseUntil: Date | null;
  outboxPublished: number;
}

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

/** Mongoose plugin: adds the outbox fields and the index the relay polls. */
export function outboxPlugin(schema: Schema): void {
  schema.add({
    outbox: { type: [pendingEventSchema], default: [] },
    outboxPendingSince: { type: Date, default: null },
    outboxLeaseUntil: { type: Date, default: null },
    outboxPublished: { type: Number, default: 0 },
  });
  schema.index({ outboxPendingSince: 1 });
}

/** Update operators that append events to a document's outbox, for `updateOne`/`findOneAndUpdate`. */
export function outboxUpdate(events: readonly PendingEvent[], now = new Date()) {
  return {
    $push: { outbox: { $each: [...events] } },
    $set: { outboxPendingSince: now },
  };
}

/** Appends events to a hydrated mongoose document before `save()`. */
export function enqueue(
  doc: { outbox: PendingEvent[]; outboxPendingSince: Date | null },
  events: readonly PendingEvent[],
) {
  doc.outbox.push(...events);
  doc.outboxPendingSince = new Date();
}

export interface OutboxSource {
  name: string;
  collection: mongo.Collection<mongo.Document>;
}

export interface OutboxRelayOptions {
  sources: OutboxSource[];
  publisher: EventPublisher;
  logger: Logger;
  pollIntervalMs?: number;
  leaseMs?: number;
  batchSize?: number;
}

export class OutboxRelay {
  private readonly owner = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Publish soon, without waiting for the poll interval (call after saving a state change). */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Stops polling after publishing everything that is pending now. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    await this.flush();
  }

  /** Publishes until no document has pending events. Returns how many events were published. */
  async flush(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.runOnce();
      total += published;
      if (published === 0) return total;
    }
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      const published = await this.runOnce();
      const more = published > 0 || this.again;
      this.again = false;
      this.schedule(more ? 0 : (this.options.pollIntervalMs ?? 500));
    } catch (error) {
      this.options.logger.warn({ err: error }, 'outbox relay pass failed; will retry');
      this.schedule(Math.max(1_000, this.options.pollIntervalMs ?? 500));
    }
  }

  private runOnce(): Promise<number> {
    if (this.running) return this.running;
    this.running = (async () => {
      let published = 0;
      for (const source of this.options.sources) published += await this.drain(source);
      return published;
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  private async drain(source: OutboxSource): Promise<number> {
    const batchSize = this.options.batchSize ?? 100;
    const now = new Date();
    const claimable: mongo.Filter<mongo.Document> = {
      outboxPendingSince: { $ne: null },
      $or: [{ outboxLeaseUntil: null }, { outboxLeaseUntil: { $lt: now } }],
    };
    const candidates = await source.collection
      .find(claimable, { projection: { _id: 1 } })
      .sort({ outboxPendingSince: 1 })
      .limit(batchSize)
      .toArray();
    let published = 0;
    for (const { _id } of candidates) {
      const leaseUntil = new Date(Date.now() + (this.options.leaseMs ?? 30_000));
      const claimed = await source.collection.findOneAndUpdate(
        { _id, ...claimable },
        { $set: { outboxLeaseUntil: leaseUntil, outboxLeaseOwner: this.owner } },
        { returnDocument: 'after', projection: { outbox: 1 } },
      );
      const events = (claimed?.outbox ?? []) as PendingEvent[];
      if (!claimed) continue; // another relay holds it
      try {
        if (events.length > 0) await this.options.publisher.publish(events);
      } catch (error) {
        await source.collection.updateOne(
          { _id, outboxLeaseOwner: this.owner },
          { $set: { outboxLeaseUntil: null } },
        );
        throw error;
      }
      const sent = {
        $pull: { outbox: { id: { $in: events.map((e) => e.id) } } },
        $set: { outboxLeaseUntil: null },
        $inc: { outboxPublished: events.length },
      };
      await source.collection.updateOne({ _id }, sent as unknown as mongo.UpdateFilter<mongo.Document>);
      // Only an empty outbox clears the flag: an event appended meanwhile keeps it set.
      await source.collection.updateOne(
        { _id, outbox: { $size: 0 } },
        { $set: { outboxPendingSince: null } },
      );
      published += events.length;
    }
    return published;
  }
}
