// Generations of rollups. The active one answers reads; a rebuild consumes the topics from the
// beginning into a new generation under its own consumer group, is compared with the active one
// (reconciliation), and may then be promoted. A generation number is claimed by inserting it, which
// is atomic on FerretDB as on MongoDB.
import type { Connection, mongo } from 'mongoose';

export const GENERATIONS_COLLECTION = 'rollup_generations';

export type GenerationStatus = 'active' | 'building' | 'retired' | 'discarded';

export interface GenerationDoc {
  _id: number;
  status: GenerationStatus;
  createdAt: Date;
  /**
   * High watermarks of every counted partition when the rebuild started: it is complete past them.
   * A list, because a partition name (`recycling.pickups.v1~0`) has dots, which keys may not.
   */
  endOffsets?: Array<{ part: string; offset: string }>;
  /** Why an administrator asked for the rebuild, and who. */
  reason?: string;
  requestedBy?: string;
  promotedAt?: Date;
  /** When it stopped answering reads (retired by a promotion, or discarded). */
  endedAt?: Date;
  /** When its counters and records were deleted. */
  purgedAt?: Date;
}

const isDuplicateKey = (error: unknown) => (error as { code?: number } | null)?.code === 11000;

export class GenerationStore {
  readonly collection: mongo.Collection<GenerationDoc>;

  constructor(connection: Connection) {
    this.collection = connection.collection<GenerationDoc>(GENERATIONS_COLLECTION);
  }

  async ensureFirst(): Promise<void> {
    try {
      await this.collection.insertOne({ _id: 1, status: 'active', createdAt: new Date() });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /** The newest active generation (a promotion activates the new one before retiring the old). */
  async active(): Promise<number> {
    const [doc] = await this.collection.find({ status: 'active' }).sort({ _id: -1 }).limit(1).toArray();
    return doc?._id ?? 1;
  }

  get(gen: number): Promise<GenerationDoc | null> {
    return this.collection.findOne({ _id: gen });
  }

  list(): Promise<GenerationDoc[]> {
    return this.collection.find({}).sort({ _id: 1 }).toArray();
  }

  /** The rebuild in progress, if any (the newest, should there ever be more than one). */
  async building(): Promise<GenerationDoc | null> {
    const [doc] = await this.collection.find({ status: 'building' }).sort({ _id: -1 }).limit(1).toArray();
    return doc ?? null;
  }

  /** Claims the next generation number for a rebuild. */
  async claimNext(
    endOffsets: Array<{ part: string; offset: string }>,
    about: { reason?: string; requestedBy?: string } = {},
  ): Promise<number> {
    for (;;) {
      const [last] = await this.collection.find({}).sort({ _id: -1 }).limit(1).toArray();
      const gen = (last?._id ?? 0) + 1;
      try {
        await this.collection.insertOne({
          _id: gen,
          status: 'building',
          createdAt: new Date(),
          endOffsets,
          ...(about.reason ? { reason: about.reason } : {}),
          ...(about.requestedBy ? { requestedBy: about.requestedBy } : {}),
        });
        return gen;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
  }

  async setStatus(gen: number, status: GenerationStatus, extra: Partial<GenerationDoc> = {}): Promise<void> {
    await this.collection.updateOne({ _id: gen }, { $set: { status, ...extra } });
  }
}
