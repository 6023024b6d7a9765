// Group commit for single-document writes.
//
// The store, not the broker, limits this network (issue 17): FerretDB spends a few milliseconds of
// CPU on every command, whatever it holds, and takes one insert of fifty documents about as fast as
// one of one. Requests, though, each write one document: an idempotency key, a lock, an outbox
// marker, an intake. So writes to one collection that arrive while a write to it is under way wait
// for it and then go together, as one bulk write, in the next. Nothing waits when the store is
// idle (the first write leaves at once), and under load the group grows with the queue, so the
// store's work per request falls exactly when it matters.
//
// Each write keeps its own outcome: the bulk write is unordered, and a write error names the
// operation it belongs to (by index), so one caller's duplicate key is that caller's alone. An
// error of the whole command (the store went away) fails every write of the group, as it would
// have failed each of them alone. Writes of one caller stay in its order because it awaits each.
import type { mongo } from 'mongoose';
import { isDuplicateId } from './duplicate-key';

/** One queued write and who waits for it. */
interface Queued<T extends mongo.Document> {
  op: mongo.AnyBulkWriteOperation<T>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A write of a group that the store refused, shaped as a lone command's error would be. */
export class GroupedWriteError extends Error {
  readonly code?: number;
  readonly keyPattern?: Record<string, unknown>;

  constructor(writeError: { code?: number; errmsg?: string; message?: string; keyPattern?: unknown }) {
    super(writeError.errmsg ?? writeError.message ?? 'write refused');
    this.name = 'GroupedWriteError';
    this.code = writeError.code;
    if (writeError.keyPattern && typeof writeError.keyPattern === 'object') {
      this.keyPattern = writeError.keyPattern as Record<string, unknown>;
    }
  }
}

export interface GroupedWritesOptions {
  /** Most writes in one bulk write (default 500): a group larger waits for the next. */
  maxGroup?: number;
  /** Most updates and deletes in one bulk write (default 16; see below). */
  maxFiltered?: number;
}

const DEFAULT_MAX_GROUP = 500;
/**
 * FerretDB v1 keeps the read of every statement of an update (or delete) command open until the last
 * one ends: 10 updates by `_id` in one command took 13 ms and 50 took 51 ms, but 200 did not end
 * within minutes (measured here; statistics' counters met the same). Inserts read nothing and go
 * 500 at a time; updates and deletes go a few at a time, which keeps most of the saving.
 */
const DEFAULT_MAX_FILTERED = 16;

/**
 * Inserts, updates and deletes of one document each, on one collection, written in groups (see
 * the top of this file). Take the instance of a collection with `groupedWrites(collection)`, so
 * that every writer of the process shares its groups.
 */
export class GroupedWrites<T extends mongo.Document> {
  private queue: Array<Queued<T>> = [];
  private writing = false;

  constructor(
    private readonly collection: mongo.Collection<T>,
    private readonly options: GroupedWritesOptions = {},
  ) {}

  /** Inserts `doc`: true once stored, false when its `_id` was taken already (nothing written). */
  async insert(doc: mongo.OptionalUnlessRequiredId<T>): Promise<boolean> {
    try {
      await this.write({ insertOne: { document: doc } } as mongo.AnyBulkWriteOperation<T>);
      return true;
    } catch (error) {
      if (isDuplicateId(error)) return false;
      throw error;
    }
  }

  /** Updates the one document `filter` names (give its `_id`: FerretDB scans for anything else). */
  updateOne(
    filter: mongo.Filter<T>,
    update: mongo.UpdateFilter<T>,
    options: { upsert?: boolean } = {},
  ): Promise<void> {
    return this.write({ updateOne: { filter, update, ...(options.upsert ? { upsert: true } : {}) } });
  }

  /** Deletes the one document `filter` names, if it is there. */
  deleteOne(filter: mongo.Filter<T>): Promise<void> {
    return this.write({ deleteOne: { filter } });
  }

  /** Resolves once `op` is stored with its group; rejects with its own error or the group's. */
  write(op: mongo.AnyBulkWriteOperation<T>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.writing) void this.writeGroups();
    });
  }

  private async writeGroups(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) await this.writeGroup(this.nextGroup());
    } finally {
      this.writing = false;
    }
  }

  /** The queue's first writes, in order, up to the bounds of one bulk write. */
  private nextGroup(): Array<Queued<T>> {
    const maxGroup = this.options.maxGroup ?? DEFAULT_MAX_GROUP;
    const maxFiltered = this.options.maxFiltered ?? DEFAULT_MAX_FILTERED;
    let size = 0;
    let filtered = 0;
    while (size < this.queue.length && size < maxGroup) {
      if (!('insertOne' in this.queue[size]!.op)) {
        if (filtered === maxFiltered) break;
        filtered += 1;
      }
      size += 1;
    }
    return this.queue.splice(0, size);
  }

  private async writeGroup(group: ReadonlyArray<Queued<T>>): Promise<void> {
    try {
      await this.collection.bulkWrite(
        group.map((q) => q.op),
        { ordered: false },
      );
      for (const q of group) q.resolve();
    } catch (error) {
      const refused = writeErrorsOf(error);
      if (!refused) {
        const alone = driverErrorOf(error);
        for (const q of group) q.reject(alone);
        return;
      }
      group.forEach((q, index) => {
        const own = refused.get(index);
        if (own) q.reject(new GroupedWriteError(own));
        else q.resolve();
      });
    }
  }
}

/**
 * The error a lone write would have thrown. The driver wraps an error of the connection (the store
 * went away) in a MongoBulkWriteError without write errors; unwrapped, it is the MongoNetworkError
 * or MongoServerSelectionError that callers recognise as "the store is unavailable" (503, retry).
 */
function driverErrorOf(error: unknown): unknown {
  const e = error as { name?: string; errorResponse?: unknown } | null;
  return e?.name === 'MongoBulkWriteError' && e.errorResponse instanceof Error ? e.errorResponse : error;
}

type WriteErrorShape = { code?: number; errmsg?: string; message?: string; keyPattern?: unknown };

/**
 * The refused writes of a bulk write error by operation index; undefined when the error is not
 * about single writes (then nothing of the group is known to be stored).
 */
function writeErrorsOf(error: unknown): Map<number, WriteErrorShape> | undefined {
  const e = error as { writeErrors?: unknown; writeConcernError?: unknown } | null;
  if (!e || e.writeConcernError) return undefined;
  const list = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
  if (list.length === 0) return undefined;
  const byIndex = new Map<number, WriteErrorShape>();
  // The driver's WriteError keeps code and message in getters and the server's reply in `err`.
  for (const w of list as Array<
    WriteErrorShape & { index?: number; err?: WriteErrorShape & { index?: number } }
  >) {
    const index = w.index ?? w.err?.index;
    if (typeof index !== 'number') return undefined;
    byIndex.set(index, {
      code: w.code ?? w.err?.code,
      errmsg: w.errmsg ?? w.err?.errmsg,
      keyPattern: w.keyPattern ?? w.err?.keyPattern,
    });
  }
  return byIndex;
}

const shared = new WeakMap<object, GroupedWrites<mongo.Document>>();

/**
 * The process's grouped writer of `collection` (mongoose hands out one collection object per name
 * and connection, so every writer of that collection shares the groups).
 */
export function groupedWrites<T extends mongo.Document>(collection: mongo.Collection<T>): GroupedWrites<T> {
  let writes = shared.get(collection);
  if (!writes) {
    writes = new GroupedWrites(collection as unknown as mongo.Collection<mongo.Document>);
    shared.set(collection, writes);
  }
  return writes as unknown as GroupedWrites<T>;
}
