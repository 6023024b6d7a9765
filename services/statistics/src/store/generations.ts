// Generations of rollups. The active one answers reads; a rebuild consumes the topics from the
// beginning into a new generation under its own consumer group, is compared with the active one
// (reconciliation), and may then be promoted. A generation number is claimed by inserting it, which
// is atomic on FerretDB as on MongoDB; changes of the generations (start, promote, discard) run under
// one document lock, so two administrators or replicas cannot start two rebuilds or promote twice.
import { DomainError } from '@recycling/contracts';
import { isDuplicateKey, type DocumentLocks } from '@recycling/store';
import type { Connection, mongo } from 'mongoose';

export const GENERATIONS_COLLECTION = 'rollup_generations';

/** Serialises changes of the generations across requests and replicas. */
const GENERATIONS_LOCK = 'rollup-generations';

export type GenerationStatus = 'active' | 'building' | 'retired' | 'discarded';

/** High watermark of one counted partition (`recycling.pickups.v1~0`). */
export interface PartitionOffset {
  part: string;
  offset: string;
}

export interface GenerationDoc {
  _id: number;
  status: GenerationStatus;
  createdAt: Date;
  /**
   * High watermarks of every counted partition when the rebuild started: it is complete past them.
   * A list, because a partition name (`recycling.pickups.v1~0`) has dots, which keys may not.
   */
  endOffsets?: PartitionOffset[];
  /** Why an administrator asked for the rebuild, and who. */
  reason?: string;
  requestedBy?: string;
  promotedAt?: Date;
  /** When it stopped answering reads (retired by a promotion, or discarded). */
  endedAt?: Date;
  /** When its counters and records were deleted. */
  purgedAt?: Date;
  /** Why a rebuild was discarded, and by whom. */
  discardReason?: string;
  discardedBy?: string;
}

export interface RebuildRequest {
  reason?: string;
  requestedBy?: string;
}

export interface RebuildStart {
  generation: number;
  /** false when a rebuild was already running: that one is answered instead of starting another. */
  created: boolean;
}

export const generationNotFound = (gen: number) =>
  DomainError.notFound('generation-not-found', `没有第 ${gen} 代统计 / No rollup generation ${gen}.`);

export class GenerationStore {
  readonly collection: mongo.Collection<GenerationDoc>;

  constructor(
    connection: Connection,
    private readonly locks: Pick<DocumentLocks, 'withLock'>,
  ) {
    this.collection = connection.collection<GenerationDoc>(GENERATIONS_COLLECTION);
  }

  async ensureFirst(): Promise<void> {
    await this.insert({ _id: 1, status: 'active', createdAt: new Date() });
  }

  /**
   * Inserts a generation unless its number is taken: true when inserted. (The store's `insertOnce`
   * takes string ids only; generations are numbered.)
   */
  private async insert(doc: GenerationDoc): Promise<boolean> {
    try {
      await this.collection.insertOne(doc);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
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

  /** The generation, or the refusal naming it. */
  async getOrRefuse(gen: number): Promise<GenerationDoc> {
    const doc = await this.get(gen);
    if (!doc) throw generationNotFound(gen);
    return doc;
  }

  /** Every generation (a handful: one per rebuild ever made), oldest first. */
  list(): Promise<GenerationDoc[]> {
    return this.collection.find({}).sort({ _id: 1 }).toArray();
  }

  /** The rebuild in progress, if any (the newest, should there ever be more than one). */
  async building(): Promise<GenerationDoc | null> {
    const [doc] = await this.collection.find({ status: 'building' }).sort({ _id: -1 }).limit(1).toArray();
    return doc ?? null;
  }

  /**
   * Starts a rebuild: claims the next generation with the high watermarks `endOffsets` reads now.
   * While one is building, that one is answered instead: a second would only read the same topics
   * again. The check and the claim run under the generations' lock.
   */
  startRebuild(
    endOffsets: () => Promise<PartitionOffset[]>,
    about: RebuildRequest = {},
  ): Promise<RebuildStart> {
    return this.locks.withLock(GENERATIONS_LOCK, async () => {
      const running = await this.building();
      if (running) return { generation: running._id, created: false };
      return { generation: await this.claimNext(await endOffsets(), about), created: true };
    });
  }

  /** Claims the next generation number for a rebuild, by insert. */
  private async claimNext(endOffsets: PartitionOffset[], about: RebuildRequest): Promise<number> {
    for (;;) {
      const [last] = await this.collection.find({}).sort({ _id: -1 }).limit(1).toArray();
      const gen = (last?._id ?? 0) + 1;
      const claimed = await this.insert({
        _id: gen,
        status: 'building',
        createdAt: new Date(),
        endOffsets,
        ...(about.reason ? { reason: about.reason } : {}),
        ...(about.requestedBy ? { requestedBy: about.requestedBy } : {}),
      });
      if (claimed) return gen;
    }
  }

  /**
   * Makes a rebuild the generation that answers reads and retires the previous one, under the
   * generations' lock. `check` refuses (throws) when the rebuild may not be promoted yet.
   */
  promote(gen: number, check: (doc: GenerationDoc) => Promise<void>): Promise<void> {
    return this.locks.withLock(GENERATIONS_LOCK, async () => {
      await check(await this.getOrRefuse(gen));
      const previous = await this.active();
      await this.setStatus(gen, 'active', { promotedAt: new Date() });
      if (previous !== gen) await this.setStatus(previous, 'retired', { endedAt: new Date() });
    });
  }

  /**
   * Discards a rebuild that was started and not promoted, under the generations' lock: it stops
   * answering anything and its data is purged later. `check` refuses (throws) what may not be
   * discarded; a generation discarded already is answered as it is (asking twice is safe).
   */
  discard(
    gen: number,
    check: (doc: GenerationDoc) => void,
    about: { reason?: string; discardedBy?: string } = {},
  ): Promise<GenerationDoc> {
    return this.locks.withLock(GENERATIONS_LOCK, async () => {
      const doc = await this.getOrRefuse(gen);
      check(doc);
      if (doc.status === 'discarded') return doc;
      const endedAt = new Date();
      const extra = {
        endedAt,
        ...(about.reason ? { discardReason: about.reason } : {}),
        ...(about.discardedBy ? { discardedBy: about.discardedBy } : {}),
      };
      await this.setStatus(gen, 'discarded', extra);
      return { ...doc, status: 'discarded', ...extra };
    });
  }

  async setStatus(gen: number, status: GenerationStatus, extra: Partial<GenerationDoc> = {}): Promise<void> {
    await this.collection.updateOne({ _id: gen }, { $set: { status, ...extra } });
  }
}
