// A repository of one aggregate (a pickup, an intake, a claim) that keeps the store's rules so
// that use cases do not have to: one writer per document (its lock), reads by `_id`, creation by
// unique insert, and the events of a change saved in the same document write (the outbox), then
// announced to the relay by id so that it reads nothing else (decisions 3, 8 and 12).
//
// A service's `store/` extends it per aggregate and adds the reads and writes its use cases need;
// `app/` calls those methods and never touches a model or a lock.
import type { HydratedDocument, Model, mongo } from 'mongoose';
import { DomainError } from '@recycling/contracts';
import type { DocumentLocks } from './document-locks';
import { isDuplicateKey } from './duplicate-key';
import { findByIds } from './find-by-ids';
import { groupedWrites } from './grouped-writes';

/**
 * What the outbox relay offers writers (messaging's OutboxRelay implements it): before a write that
 * saves events, `expect` them (the relay's safety net follows these markers after a crash); after
 * it, `nudge` the documents (the relay reads them by `_id` and publishes at once).
 */
export interface OutboxPort {
  expect(
    model: { modelName: string },
    entries: ReadonlyArray<{ docId: unknown; eventIds: readonly string[] }>,
  ): Promise<void>;
  /** Forget markers `expect` recorded for events whose write did not happen (the id was taken). */
  withdraw(eventIds: readonly string[]): Promise<void>;
  /** Which of these event ids were published already, so the writer can prune them. */
  publishedAmong(ids: readonly string[]): Promise<Set<string>>;
  /** Publish now what these documents hold; `saved` hands over the events just written (no read back). */
  nudge(
    model: { modelName: string },
    ids: readonly unknown[],
    saved?: ReadonlyArray<{ docId: unknown; events: readonly OutboxEvent[] }>,
  ): void;
}

/** An event waiting in a document's outbox (messaging's PendingEvent has these and more). */
export interface OutboxEvent {
  id: string;
}

/** The fields messaging's outboxPlugin adds to a schema. */
export interface OutboxFields<E extends OutboxEvent = OutboxEvent> {
  outbox: E[];
  outboxUpdatedAt: Date | null;
}

/**
 * Appends events to a document's outbox before `save()`, dropping events the relay has already
 * published (their ids from `OutboxPort.publishedAmong`) so the array stays short.
 */
export function enqueue<E extends OutboxEvent>(
  doc: OutboxFields<E>,
  events: readonly E[],
  published: ReadonlySet<string> = new Set(),
): void {
  const keep = doc.outbox.filter((e) => !published.has(e.id));
  doc.outbox.splice(0, doc.outbox.length, ...keep, ...events);
  doc.outboxUpdatedAt = new Date();
}

/** What a change of an aggregate produced: its events, a result, and work for after the save. */
export interface Change<E, R> {
  events?: readonly E[];
  result?: R;
  /** Runs once the change is saved (freeing a seat must not happen for a change that was not). */
  afterSave?: () => Promise<void>;
}

export interface RepositoryDeps {
  locks: DocumentLocks;
  outbox: OutboxPort;
}

export interface AggregateRepositoryOptions {
  /** Prefix of lock keys, `<prefix>:<id>`; default the model name in lower case. */
  lockPrefix?: string;
  /** The refusal when an id names nothing; default a not-found DomainError naming the id. */
  notFound?: (id: string) => Error;
}

type Doc<T> = HydratedDocument<T>;

export class AggregateRepository<
  T extends { _id: string } & OutboxFields<E>,
  E extends OutboxEvent = OutboxEvent,
> {
  private readonly lockPrefix: string;
  private readonly missing: (id: string) => Error;

  constructor(
    readonly model: Model<T>,
    protected readonly deps: RepositoryDeps,
    options: AggregateRepositoryOptions = {},
  ) {
    this.lockPrefix = options.lockPrefix ?? model.modelName.toLowerCase();
    this.missing =
      options.notFound ??
      ((id) => DomainError.notFound('not-found', `未找到 ${id} / ${model.modelName} ${id} not found.`));
  }

  private get documents(): mongo.Collection<T & mongo.Document> {
    return this.model.collection as unknown as mongo.Collection<T & mongo.Document>;
  }

  /** The document as stored, read by `_id`; null when there is none. */
  async find(id: string): Promise<T | null> {
    return (await this.model.findById(id).lean()) as T | null;
  }

  /** The document, or the repository's not-found refusal. */
  async get(id: string): Promise<T> {
    const doc = await this.find(id);
    if (!doc) throw this.missing(id);
    return doc;
  }

  /** Several documents by `_id`, one lookup each (never `$in`: FerretDB would read the table). */
  async findMany(ids: readonly string[]): Promise<T[]> {
    return (await findByIds(this.documents, ids)) as T[];
  }

  /** Runs `fn` holding this aggregate's lock (for a read-decide-write that spans other stores). */
  withLock<R>(id: string, fn: () => Promise<R>): Promise<R> {
    return this.deps.locks.withLock(`${this.lockPrefix}:${id}`, fn);
  }

  /**
   * Loads the aggregate under its lock, lets `change` modify the document and name its events, and
   * saves both in one write; the relay is then told which document to read. `change` throws to
   * refuse (nothing is saved). Answers the saved document and the change's result.
   */
  async update<R = undefined>(
    id: string,
    change: (doc: Doc<T>) => Promise<Change<E, R>> | Change<E, R>,
  ): Promise<{ doc: T; result: R }> {
    return this.withLock(id, async () => {
      const doc = await this.model.findById(id);
      if (!doc) throw this.missing(id);
      const outcome = await change(doc);
      await this.saveLocked(doc, outcome.events ?? []);
      await outcome.afterSave?.();
      return { doc: doc.toObject() as T, result: outcome.result as R };
    });
  }

  /**
   * Saves a document the caller changed while holding this aggregate's lock (`withLock`), with its
   * events. For use cases that must decide across the aggregate and something else under one lock.
   */
  async saveLocked(doc: Doc<T>, events: readonly E[]): Promise<void> {
    const pending = doc.outbox.map((e) => e.id);
    if (events.length > 0 || pending.length > 0) {
      enqueue(doc as unknown as OutboxFields<E>, events, await this.deps.outbox.publishedAmong(pending));
    }
    if (events.length > 0) {
      await this.deps.outbox.expect(this.model, [{ docId: doc._id, eventIds: events.map((e) => e.id) }]);
    }
    await doc.save();
    if (events.length > 0) {
      // The whole outbox as saved, not only the new events: an older event still waiting there
      // (its publication failed) must go out first, in order.
      const outbox = (doc.toObject() as { outbox: E[] }).outbox;
      this.deps.outbox.nudge(this.model, [doc._id], [{ docId: doc._id, events: outbox }]);
    }
  }

  /**
   * Creates the aggregate with its events by inserting it under its `_id`, and answers it as saved;
   * null when that id exists already (a retry, or a race lost), in which case nothing is written.
   */
  async create(
    fields: Omit<T, 'outbox' | 'outboxUpdatedAt' | 'createdAt' | 'updatedAt'>,
    events: readonly E[] = [],
  ): Promise<T | null> {
    const doc = new this.model({
      ...fields,
      outbox: [...events],
      outboxUpdatedAt: events.length > 0 ? new Date() : null,
    });
    if (events.length > 0) {
      await this.deps.outbox.expect(this.model, [{ docId: doc._id, eventIds: events.map((e) => e.id) }]);
    }
    // The document as Model.insertMany prepares it (validated, version 0, timestamps set), inserted
    // with the creations other requests make meanwhile: one bulk insert for the group
    // (grouped-writes.ts). An insert is atomic under the unique _id, also on FerretDB.
    await doc.validate();
    const versionKey = this.model.schema.get('versionKey');
    if (typeof versionKey === 'string') doc.set(versionKey, 0);
    // Only a schema with `timestamps` has the method.
    (doc as unknown as { initializeTimestamps?: () => void }).initializeTimestamps?.();
    const stored = doc.toBSON() as unknown as mongo.OptionalUnlessRequiredId<T & mongo.Document>;
    let inserted: boolean;
    try {
      inserted = await groupedWrites(this.documents).insert(stored);
    } catch (error) {
      // Taken under another unique key: as for the _id, this creation lost to an earlier one.
      if (!isDuplicateKey(error)) throw error;
      inserted = false;
    }
    if (!inserted) {
      if (events.length > 0) await this.deps.outbox.withdraw(events.map((e) => e.id));
      return null;
    }
    if (events.length > 0) this.deps.outbox.nudge(this.model, [doc._id], [{ docId: doc._id, events }]);
    return doc.toObject() as T;
  }
}
