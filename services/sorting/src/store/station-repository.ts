import type { DocumentLocks } from '@recycling/store';
import type { Model } from 'mongoose';
import type { StationDoc } from './models';

/** How long a replica trusts a station it read (a change made on another replica shows after it). */
export const STATION_CACHE_MS = 30_000;

/**
 * Stations: reference records an administrator keeps. A city has a few of them, so the list may
 * read the collection whole (docs/conventions.md, reads on the store). Every intake reads its
 * station, so reads are cached for STATION_CACHE_MS; a change made here clears the cache at once,
 * one made on another replica shows within that time (a station switched off may take one more
 * intake there, which the administrator can correct).
 */
export class StationRepository {
  private readonly cache = new Map<string, { doc: StationDoc | null; until: number }>();

  constructor(
    private readonly Station: Model<StationDoc>,
    private readonly locks: DocumentLocks,
    private readonly clock: () => number = Date.now,
  ) {}

  async find(stationId: string): Promise<StationDoc | null> {
    const hit = this.cache.get(stationId);
    if (hit && hit.until > this.clock()) return hit.doc;
    const doc = (await this.Station.findById(stationId).lean()) as StationDoc | null;
    this.cache.set(stationId, { doc, until: this.clock() + STATION_CACHE_MS });
    return doc;
  }

  async list(): Promise<StationDoc[]> {
    return (await this.Station.find().sort({ _id: 1 }).lean()) as StationDoc[];
  }

  /**
   * Creates or replaces a station in one whole-document write under its lock: administrators
   * editing the same station at once end with one of their versions, never a mix.
   */
  async put(doc: StationDoc): Promise<void> {
    await this.locks.withLock(`station:${doc._id}`, () =>
      this.Station.replaceOne({ _id: doc._id }, doc, { upsert: true }),
    );
    this.cache.delete(doc._id);
  }
}
