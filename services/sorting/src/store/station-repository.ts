import type { DocumentLocks } from '@recycling/store';
import type { Model } from 'mongoose';
import type { StationDoc } from './models';

/**
 * Stations: reference records an administrator keeps. A city has a few of them, so the list may
 * read the collection whole (docs/conventions.md, reads on the store).
 */
export class StationRepository {
  constructor(
    private readonly Station: Model<StationDoc>,
    private readonly locks: DocumentLocks,
  ) {}

  async find(stationId: string): Promise<StationDoc | null> {
    return (await this.Station.findById(stationId).lean()) as StationDoc | null;
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
  }
}
