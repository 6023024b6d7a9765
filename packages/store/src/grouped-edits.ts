import type { mongo } from 'mongoose';
import type { DocumentLocks } from './document-locks';

/** Changes waiting for one document's next write, and who waits for it. */
interface PendingEdits<D> {
  changes: Array<(doc: D) => boolean>;
  waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
  empty: () => D;
}

/**
 * Edits of small documents that many requests change at once (a site's list of the day, of what
 * is open), written in groups: changes that arrive while a write of the document is under way are
 * applied together in the next one (one lock, one read, one write for all of them), and each
 * caller's promise resolves only once its change is stored (or rejects with the write's error).
 * At a busy desk this turns the round trips per change into round trips per group. Each change
 * must be idempotent and say whether it changed anything; a group that changed nothing is not
 * written. The lock (`<lockPrefix>:<id>`) keeps writers of other processes out.
 */
export class GroupedEdits<D extends { _id: string }> {
  /** Per document: the changes that arrived while its previous write was under way. */
  private readonly pending = new Map<string, PendingEdits<D>>();
  /** Per document: a write under way. */
  private readonly writing = new Set<string>();

  constructor(
    private readonly collection: () => mongo.Collection<D>,
    private readonly locks: DocumentLocks,
    private readonly lockPrefix: string,
  ) {}

  /** Applies `change` to document `id` (or to `empty()` when there is none) and resolves once saved. */
  edit<T extends D>(id: string, empty: () => T, change: (doc: T) => boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const queued = this.pending.get(id) ?? { changes: [], waiters: [], empty };
      queued.changes.push(change as (doc: D) => boolean);
      queued.waiters.push({ resolve, reject });
      this.pending.set(id, queued);
      if (!this.writing.has(id)) void this.writeGroups(id);
    });
  }

  /** Writes the document's waiting changes, group after group, until none are left. */
  private async writeGroups(id: string): Promise<void> {
    this.writing.add(id);
    try {
      for (let group = this.pending.get(id); group; group = this.pending.get(id)) {
        this.pending.delete(id);
        const { changes, waiters, empty } = group;
        try {
          await this.locks.withLock(`${this.lockPrefix}:${id}`, async () => {
            const collection = this.collection();
            const doc = ((await collection.findOne({ _id: id } as mongo.Filter<D>)) as D | null) ?? empty();
            // Every change runs: each is idempotent and says whether it changed anything.
            const changed = changes.map((c) => c(doc)).some(Boolean);
            if (changed) {
              await collection.replaceOne({ _id: id } as mongo.Filter<D>, doc as mongo.WithoutId<D>, {
                upsert: true,
              });
            }
          });
          for (const w of waiters) w.resolve();
        } catch (error) {
          for (const w of waiters) w.reject(error);
        }
      }
    } finally {
      this.writing.delete(id);
    }
  }
}
