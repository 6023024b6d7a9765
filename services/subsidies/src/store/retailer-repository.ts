import type { DocumentLocks } from '@recycling/store';
import type { mongo } from 'mongoose';
import type { RetailerDoc } from './models';

// Participating retailers (a handful per city): read by `_id`; the administrator's listing reads the
// whole collection, which stays small.

export class RetailerRepository {
  constructor(
    private readonly retailers: mongo.Collection<RetailerDoc>,
    private readonly locks: DocumentLocks,
  ) {}

  get(retailerId: string): Promise<RetailerDoc | null> {
    return this.retailers.findOne({ _id: retailerId });
  }

  /** Creates or replaces; answers whether it was new. */
  put(doc: RetailerDoc): Promise<boolean> {
    return this.locks.withLock(`retailer:${doc._id}`, async () => {
      const existed = await this.get(doc._id);
      const { _id, ...rest } = doc;
      await this.retailers.replaceOne({ _id }, rest, { upsert: true });
      return existed === null;
    });
  }

  /** Every retailer: a small collection (docs/conventions.md, reads on the store, rule 3). */
  list(): Promise<RetailerDoc[]> {
    return this.retailers.find({}).sort({ _id: 1 }).limit(1_000).toArray();
  }
}
