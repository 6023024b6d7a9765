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
import type { Connection, mongo } from 'mongoose';
import type { RecordState } from '../domain/record-rules';

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

  /** Deletes a generation's records (it answers no read any more). */
  async purge(gen: number): Promise<number> {
    return (await this.collection.deleteMany({ gen })).deletedCount;
  }
}
