// What each business record currently contributes (its facts), per generation. A record's key is its
// topic's partition key (pickupId, intakeId, VIN, seller, ...) or lives on the same partition, so only
// the consumer of that partition writes it: no lock is needed.
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

  find(gen: number, recordId: string): Promise<RecordDoc | null> {
    return this.collection.findOne({ _id: RecordStore.idOf(gen, recordId) });
  }

  async save(doc: RecordDoc): Promise<void> {
    await this.collection.replaceOne({ _id: doc._id }, doc, { upsert: true });
  }
}
