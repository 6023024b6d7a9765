// One writer per document at a time.
//
// MongoDB makes every single-document update atomic; FerretDB v1 does not (FerretDB#3040): it
// reads the document, applies the update and writes it back, so two concurrent updates of one
// document can overwrite each other (measured here: 40 concurrent `$inc` of one counter left 4).
// What FerretDB does make atomic is an insert under a unique key. A use case that reads, decides and
// writes an aggregate therefore holds this lock: in-process waiters queue on a promise chain, and
// across processes (service replicas) the lock is a document inserted under the aggregate's key.
import { randomUUID } from 'node:crypto';
import type { Connection, mongo } from 'mongoose';
import { groupedWrites, type GroupedWrites } from './grouped-writes';

export class LockTimeoutError extends Error {
  constructor(readonly key: string) {
    super(`timed out waiting for the lock on ${key}`);
    this.name = 'LockTimeoutError';
  }
}

interface LockDoc {
  _id: string;
  owner: string;
  expiresAt: Date;
}

export interface DocumentLocksOptions {
  /** A holder that died keeps the lock at most this long. */
  ttlMs?: number;
  /** Give up waiting after this long. */
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class DocumentLocks {
  private readonly locks: mongo.Collection<LockDoc>;
  /** Taking and freeing locks of many documents at once go to the store together. */
  private readonly writes: GroupedWrites<LockDoc>;
  private readonly local = new Map<string, Promise<unknown>>();
  private readonly owner = randomUUID();

  constructor(
    connection: Connection,
    private readonly options: DocumentLocksOptions = {},
  ) {
    this.locks = connection.collection('document_locks') as unknown as mongo.Collection<LockDoc>;
    this.writes = groupedWrites(this.locks);
  }

  /** Runs `fn` while holding the lock on `key` (e.g. `pickup:<id>`). */
  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.local.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.holdingRemote(key, fn));
    const tail = run.catch(() => undefined);
    this.local.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.local.get(key) === tail) this.local.delete(key);
    }
  }

  private async holdingRemote<T>(key: string, fn: () => Promise<T>): Promise<T> {
    await this.acquire(key);
    try {
      return await fn();
    } finally {
      await this.writes.deleteOne({ _id: key, owner: this.owner }).catch(() => undefined);
    }
  }

  private async acquire(key: string): Promise<void> {
    const ttl = this.options.ttlMs ?? 15_000;
    const deadline = Date.now() + (this.options.timeoutMs ?? 10_000);
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      if (await this.writes.insert({ _id: key, owner: this.owner, expiresAt: new Date(Date.now() + ttl) })) {
        return;
      }
      const holder = await this.locks.findOne({ _id: key });
      if (holder && holder.expiresAt.getTime() < Date.now()) {
        // The holder died: remove its lock (only its own, by owner) and try again.
        await this.locks.deleteOne({ _id: key, owner: holder.owner });
        continue;
      }
      if (Date.now() > deadline) throw new LockTimeoutError(key);
      await sleep(wait);
    }
  }
}
