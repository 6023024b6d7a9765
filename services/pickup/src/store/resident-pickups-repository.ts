import type { DocumentLocks } from '@recycling/store';
import type { Model } from 'mongoose';
import type { ResidentPickupsDoc } from './models';

/**
 * Each resident's pickup ids in one document under their account id, so "my bookings" reads by
 * `_id` instead of filtering the pickups collection (FerretDB reads it whole for any other filter).
 * Written under the resident's lock after the pickup is saved, idempotently: a retried booking (the
 * same Idempotency-Key) completes a list a crash left short.
 */
export class ResidentPickupsRepository {
  constructor(
    private readonly model: Model<ResidentPickupsDoc>,
    private readonly locks: DocumentLocks,
  ) {}

  async find(residentId: string): Promise<string[] | undefined> {
    const doc = await this.model.findById(residentId).lean();
    return doc ? doc.pickupIds : undefined;
  }

  /** Adds the pickups (in order) to the resident's list; creates the list when there is none. */
  async add(residentId: string, pickupIds: readonly string[]): Promise<void> {
    await this.locks.withLock(`resident-pickups:${residentId}`, async () => {
      const doc = await this.model.findById(residentId).lean();
      const have = doc?.pickupIds ?? [];
      const missing = pickupIds.filter((id) => !have.includes(id));
      if (doc && missing.length === 0) return;
      await this.model.replaceOne(
        { _id: residentId },
        { _id: residentId, pickupIds: [...have, ...missing] },
        { upsert: true },
      );
    });
  }
}
