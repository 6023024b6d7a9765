import type { DocumentLocks } from '@recycling/store';
import type { Models } from './models';

/**
 * Intakes taken in under a pickup this service had not heard of yet, noted under the pickup id so
 * that the pickups consumer finds them by `_id` when the pickup's event comes.
 */
export class EarlyIntakeRepository {
  constructor(
    private readonly models: Pick<Models, 'EarlyIntake'>,
    private readonly locks: DocumentLocks,
  ) {}

  /** The intakes noted under the pickup (normally none, or one). */
  async intakeIdsOf(pickupId: string): Promise<string[]> {
    const note = await this.models.EarlyIntake.findById(pickupId, { vehicleIntakeIds: 1 }).lean();
    return note?.vehicleIntakeIds ?? [];
  }

  /**
   * Notes an intake about to be saved under the pickup. Idempotent; under a lock, because FerretDB
   * updates are not atomic and two desks may name one pickup.
   */
  note(pickupId: string, vehicleIntakeId: string, now: Date): Promise<void> {
    return this.locks.withLock(`early-intakes:${pickupId}`, async () => {
      const ids = await this.intakeIdsOf(pickupId);
      if (ids.includes(vehicleIntakeId)) return;
      await this.models.EarlyIntake.updateOne(
        { _id: pickupId },
        { $set: { vehicleIntakeIds: [...ids, vehicleIntakeId], updatedAt: now } },
        { upsert: true },
      );
    });
  }
}
