// What each business record currently contributes (its facts), per generation. A record's key is its
// topic's partition key (pickupId, intakeId, VIN, seller, ...) or lives on the same partition, so only
// the consumer of that partition writes it: no lock is needed.
//
// Records of the active generation are kept for as long as it answers reads, because any of them may
// still be needed: a correction, a void or a late pickup event restates the record's facts (the
// counters move by the difference, so the previous facts must be known), and an event that an outbox
// relay publishes again at a new offset is recognised only by the record's `appliedEvents`. They grow
// with the business (one per pickup, intake, vehicle, transaction, invoice, declaration; a few hundred
// bytes each, `appliedEvents` capped), not with the number of events or reads. A generation that no
// longer answers reads has its records purged (`RollupGenerations.purgeEnded`).
import { findByIds, insertManyOnce } from '@recycling/store';
import type { Connection, mongo } from 'mongoose';
import type { RecordState } from '../domain/record-rules';
import { inBatches } from './in-batches';

/** Replacements in flight at a time (separate commands: see `CounterStore.applyRun`). */
const IN_FLIGHT = 8;

export const RECORDS_COLLECTION = 'rollup_records';

export interface RecordDoc extends RecordState {
  _id: string;
  gen: number;
  appliedEvents: string[];
}

export class RecordStore {
  readonly collection: mongo.Collection<RecordDoc>;

  constructor(connection: Connection) {
    this.collection = connection.collection<RecordDoc>(RECORDS_COLLECTION);
  }

  static idOf(gen: number, recordId: string): string {
    return `${gen}|${recordId}`;
  }

  /** Only MongoDB uses it (purging a generation); FerretDB v1 scans either way. */
  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ gen: 1 });
  }

  find(gen: number, recordId: string): Promise<RecordDoc | null> {
    return this.collection.findOne({ _id: RecordStore.idOf(gen, recordId) });
  }

  async save(doc: RecordDoc): Promise<void> {
    await this.collection.replaceOne({ _id: doc._id }, doc, { upsert: true });
  }

  /** The records among these store ids (`idOf`) that exist, by id: one `findOne` each, several in flight. */
  async findMany(ids: readonly string[]): Promise<Map<string, RecordDoc>> {
    const docs = await findByIds(this.collection, ids);
    return new Map(docs.map((d) => [d._id, d]));
  }

  /**
   * Saves the records a run changed: those it found in the store are replaced (one command each),
   * those it did not are inserted together. A record it did not find but that exists now was written
   * by another consumer meanwhile (a rebalance): that is refused with an error, so the run is applied
   * again, event by event, from what the store holds.
   */
  async saveRun(changed: { existing: readonly RecordDoc[]; created: readonly RecordDoc[] }): Promise<void> {
    const inserted = await insertManyOnce(this.collection, changed.created);
    await inBatches(changed.existing, IN_FLIGHT, async (doc) => {
      await this.collection.replaceOne({ _id: doc._id }, doc);
    });
    const lost = changed.created.filter((d) => !inserted.has(d._id));
    if (lost.length > 0) {
      throw new Error(
        `rollup records written meanwhile by another consumer: ${lost.map((d) => d._id).join(', ')}`,
      );
    }
  }

  /** Deletes a generation's records (it answers no read any more). */
  async purge(gen: number): Promise<number> {
    return (await this.collection.deleteMany({ gen })).deletedCount;
  }
}
