// The records of the partitions a consumer is applying, as it last saved them, so that a run reads
// from the store only the records it has not seen. One cache per generation's consumer, one entry per
// partition.
//
// A partition's entry is used only by a run that starts exactly where the last run this consumer
// applied in full ended (counters and records written). Anything else (a rebalance that handed the
// partition to another consumer in between, an event dead-lettered or skipped, a failed run) starts
// a new entry, so what the entry holds is always what the store held after that run, or the same
// history replayed: a consumer that wrote the partition meanwhile without committing applied the same
// events to the same records, which replaying them again reproduces (the counters' offsets skip what
// it counted).
//
// An entry that began at offset 0, as the first this cache held for the partition, and never evicted
// a record is complete: a record it does not hold was never written by this consumer, so the run need
// not look for it. Another consumer may still have written it before crashing without a commit; then
// inserting it is refused, the run fails, the entry is dropped, and the runner applies the run again
// one event at a time, from the store. This is what lets a rebuild, whose records are all new at
// first, skip the reads.
import type { RecordDoc } from '../store/records';

/**
 * Records kept, over all the partitions of one consumer (about 50-100 MB); past it the least
 * recently used go, and the partitions they belonged to are no longer complete.
 */
export const RECORD_CACHE_LIMIT = 100_000;

interface Entry {
  /** The offset the next run must start at to use this entry. */
  next: number;
  complete: boolean;
  records: Map<string, RecordDoc>;
}

/** What a run may use: the records held, and whether a record not held does not exist. */
export interface CachedPartition {
  get(id: string): RecordDoc | undefined;
  /** True when a record not held here was never written (see the top of this file). */
  complete: boolean;
}

export class RecordCache {
  private readonly entries = new Map<string, Entry>();
  /** Partitions this cache has begun: a second start at offset 0 is not complete (records were written). */
  private readonly begun = new Set<string>();
  /** Every record held, as `<partition>\n<id>`, least recently used first. */
  private readonly recency = new Map<string, { part: string; id: string }>();

  constructor(private readonly limit = RECORD_CACHE_LIMIT) {}

  /** The partition's records for a run starting at `firstOffset` (none if it does not continue the last). */
  begin(part: string, firstOffset: number): CachedPartition {
    let entry = this.entries.get(part);
    if (!entry || entry.next !== firstOffset) {
      this.drop(part);
      entry = { next: firstOffset, complete: firstOffset === 0 && !this.begun.has(part), records: new Map() };
      this.entries.set(part, entry);
      this.begun.add(part);
    }
    const { records, complete } = entry;
    return { get: (id) => records.get(id), complete };
  }

  /** After a run applied in full: the records it read or saved, and where the next run starts. */
  commit(part: string, lastOffset: number, records: ReadonlyMap<string, RecordDoc>): void {
    const entry = this.entries.get(part);
    if (!entry) return;
    for (const [id, doc] of records) {
      entry.records.set(id, doc);
      const key = `${part}\n${id}`;
      this.recency.delete(key); // set again last: the least recently used come first
      this.recency.set(key, { part, id });
    }
    for (const [key, { part: owner, id }] of this.recency) {
      if (this.recency.size <= this.limit) break;
      this.recency.delete(key);
      const from = this.entries.get(owner);
      if (from?.records.delete(id)) from.complete = false;
    }
    entry.next = lastOffset + 1;
  }

  /** Forgets a partition (its run failed: what the store holds is unknown). */
  drop(part: string): void {
    const entry = this.entries.get(part);
    if (!entry) return;
    for (const id of entry.records.keys()) this.recency.delete(`${part}\n${id}`);
    this.entries.delete(part);
  }

  /** Records held, over all partitions (for tests and logs). */
  get size(): number {
    return this.recency.size;
  }
}
