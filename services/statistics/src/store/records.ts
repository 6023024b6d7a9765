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

/** A record as the consumers work with it. */
export interface RecordDoc extends RecordState {
  _id: string;
  gen: number;
  appliedEvents: string[];
}

/**
 * A record as stored: its state and applied events packed in one JSON string, `r`. FerretDB v1
 * converts a document field by field (decision 11): a record's facts as nested objects are some sixty
 * fields, which made saving a run's records the slowest part of a rebuild (measured: inserting 700
 * records took about twice as long nested as packed). Records are only ever read whole, by `_id`.
 * Records written before (their fields at the top level, no `r`) are read as they are and packed
 * when next saved.
 */
export interface StoredRecord {
  _id: string;
  gen: number;
  r?: string;
}

type Packed = Pick<RecordDoc, 'slots' | 'attrs' | 'revision' | 'appliedEvents'>;

export const packRecord = (doc: RecordDoc): StoredRecord => {
  const packed: Packed = {
    slots: doc.slots,
    attrs: doc.attrs,
    revision: doc.revision,
    appliedEvents: doc.appliedEvents,
  };
  return { _id: doc._id, gen: doc.gen, r: JSON.stringify(packed) };
};

export const unpackRecord = (stored: StoredRecord): RecordDoc => {
  const state =
    typeof stored.r === 'string' ? (JSON.parse(stored.r) as Packed) : (stored as unknown as Packed);
  return {
    _id: stored._id,
    gen: stored.gen,
    slots: state.slots ?? {},
    attrs: state.attrs ?? {},
    revision: state.revision ?? 0,
    appliedEvents: state.appliedEvents ?? [],
  };
};

export class RecordStore {
  readonly collection: mongo.Collection<StoredRecord>;

  constructor(connection: Connection) {
    this.collection = connection.collection<StoredRecord>(RECORDS_COLLECTION);
  }

  static idOf(gen: number, recordId: string): string {
    return `${gen}|${recordId}`;
  }

  /** Only MongoDB uses it (purging a generation); FerretDB v1 scans either way. */
  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ gen: 1 });
  }

  async find(gen: number, recordId: string): Promise<RecordDoc | null> {
    const stored = await this.collection.findOne({ _id: RecordStore.idOf(gen, recordId) });
    return stored ? unpackRecord(stored) : null;
  }

  /** The records among these store ids (`idOf`) that exist, by id: one `findOne` each, several in flight. */
  async findMany(ids: readonly string[]): Promise<Map<string, RecordDoc>> {
    const docs = await findByIds(this.collection, ids);
    return new Map(docs.map((d) => [d._id, unpackRecord(d)]));
  }

  /**
   * Saves the records a run changed: those it found in the store are replaced (one command each),
   * those it did not are inserted together. A record it did not find but that exists now was written
   * by another consumer meanwhile (a rebalance): that is refused with an error, so the run is applied
   * again, event by event, from what the store holds.
   */
  async saveRun(changed: { existing: readonly RecordDoc[]; created: readonly RecordDoc[] }): Promise<void> {
    const inserted = await insertManyOnce(this.collection, changed.created.map(packRecord));
    await inBatches(changed.existing, IN_FLIGHT, async (doc) => {
      const { _id, ...replacement } = packRecord(doc);
      await this.collection.replaceOne({ _id }, replacement);
    });
    const lost = changed.created.filter((d) => !inserted.has(d._id));
    if (lost.length > 0) {
      const named = lost.slice(0, 5).map((d) => d._id);
      throw new Error(
        `${lost.length} rollup records written meanwhile by another consumer (${named.join(', ')}${lost.length > 5 ? ', …' : ''})`,
      );
    }
  }

  /** Deletes a generation's records (it answers no read any more). */
  async purge(gen: number): Promise<number> {
    return (await this.collection.deleteMany({ gen })).deletedCount;
  }
}
