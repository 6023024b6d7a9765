import { LockTimeoutError, findByIds, groupedWrites, insertManyOnce } from '@recycling/store';
import { randomUUID } from 'node:crypto';
import type { Connection, mongo } from 'mongoose';

// The locks of many documents at once, for a consumer that applies a run of events to many
// aggregates (the ledgers of a run's sellers). `DocumentLocks` (@recycling/store) takes one key at a
// time, two round trips each; here a run takes all its keys with one bulk insert and gives them
// back with one delete. The lock documents are DocumentLocks' own (`document_locks`, `{ _id: key,
// owner, expiresAt }`), so a key held here is held against DocumentLocks too, in this process and
// in every replica, an older version of this service included (it locked `ledger:<sellerKey>` one
// at a time).
//
// All or nothing: when a key is taken, what this attempt took is given back before waiting, so two
// runs that share some keys never each hold a part and wait on the other. A holder that died keeps
// its keys until they expire; the wait is longer than the lifetime, so a waiter always outlives
// a dead holder's lock instead of giving up first.

interface LockDoc {
  _id: string;
  owner: string;
  expiresAt: Date;
}

export interface BulkLocksOptions {
  /** How long a holder that died keeps its keys (default 20 s: far longer than a run). */
  ttlMs?: number;
  /** Give up waiting after this long (default 30 s, longer than `ttlMs`). */
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class BulkLocks {
  private readonly locks: mongo.Collection<LockDoc>;
  private readonly process = randomUUID();
  private taken = 0;

  constructor(
    connection: Connection,
    private readonly options: BulkLocksOptions = {},
  ) {
    this.locks = connection.collection('document_locks') as unknown as mongo.Collection<LockDoc>;
  }

  /** Runs `fn` holding every key of `keys` (e.g. `ledger:<sellerKey>`). */
  async withLocks<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)].sort();
    if (unique.length === 0) return fn();
    // Each acquisition its own owner, so that a release never removes a later holder's key.
    const owner = `${this.process}:${++this.taken}`;
    await this.acquire(unique, owner);
    try {
      return await fn();
    } finally {
      await this.release(unique, owner).catch(() => undefined); // expires by itself otherwise
    }
  }

  private async acquire(keys: readonly string[], owner: string): Promise<void> {
    const ttl = this.options.ttlMs ?? 20_000;
    const deadline = Date.now() + (this.options.timeoutMs ?? 30_000);
    for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
      const expiresAt = new Date(Date.now() + ttl);
      const got = await insertManyOnce(
        this.locks,
        keys.map((_id) => ({ _id, owner, expiresAt })),
      );
      if (got.size === keys.length) return;
      if (got.size > 0) await this.release([...got], owner);
      // Keys of a holder that died are taken over once expired (only that holder's, by owner).
      const now = Date.now();
      const holders = await findByIds(
        this.locks,
        keys.filter((k) => !got.has(k)),
      );
      const expired = holders.filter((h) => h.expiresAt.getTime() < now);
      for (const h of expired) await this.locks.deleteOne({ _id: h._id, owner: h.owner });
      if (expired.length > 0) continue;
      if (Date.now() > deadline) throw new LockTimeoutError(holders[0]?._id ?? keys[0]!);
      await sleep(wait + Math.random() * wait);
    }
  }

  /**
   * Deletes by `_id`, in the bulk writes the process shares for `document_locks` (grouped-writes in
   * @recycling/store, a few deletes to a command). Not one `deleteMany` with `$in`: FerretDB serves
   * only an exact `_id` from the index and reads the table for anything else, which cost 16 ms at 50
   * held locks and 120 ms at 2,000, against about 1 ms a key by `_id` in a bulk write (measured here).
   */
  private async release(keys: readonly string[], owner: string): Promise<void> {
    const writes = groupedWrites(this.locks);
    await Promise.all(keys.map((_id) => writes.deleteOne({ _id, owner })));
  }
}
