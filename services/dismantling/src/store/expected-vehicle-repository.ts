import { findByIds } from '@recycling/store';
import type { mongo } from 'mongoose';
import { rawCollection, type ExpectedVehicleDoc, type Models } from './models';

export type ExpectedVehicleChange = Partial<Omit<ExpectedVehicleDoc, '_id' | 'appliedEvents'>>;

const OPEN_STATUSES: ExpectedVehicleDoc['status'][] = ['requested', 'scheduled', 'collected'];

/**
 * Vehicle pickups assigned to our sites, as the pickup service reported them. The pickups consumer
 * is their one writer, and they are keyed by the topic's key (the pickup id), so one partition, one
 * consumer at a time, writes each: no lock (docs/conventions.md, concurrency rule 2). Every effect is
 * recorded with its event id in the same write, and both the check and the write go by `_id` only
 * (FerretDB reads the whole collection for any other filter).
 */
export class ExpectedVehicleRepository {
  constructor(private readonly models: Pick<Models, 'ExpectedVehicle'>) {}

  async find(pickupId: string): Promise<ExpectedVehicleDoc | null> {
    return this.models.ExpectedVehicle.findById(pickupId).lean();
  }

  /** Several by `_id` (one lookup each), without the applied event ids. */
  async findMany(pickupIds: readonly string[]): Promise<Array<Omit<ExpectedVehicleDoc, 'appliedEvents'>>> {
    return findByIds(rawCollection(this.models.ExpectedVehicle), pickupIds, { appliedEvents: 0 });
  }

  /**
   * Applies a pickup event once per event id: `upsert` creates the expected vehicle (its requested
   * event); without it, a pickup we do not expect (an appliance pickup, another city's) is left alone.
   */
  async applyOnce(
    pickupId: string,
    eventId: string,
    change: ExpectedVehicleChange,
    options: { upsert?: boolean } = {},
  ): Promise<'applied' | 'duplicate' | 'not-expected'> {
    const found = await this.models.ExpectedVehicle.findById(pickupId, { appliedEvents: 1 }).lean();
    if (!found && !options.upsert) return 'not-expected';
    if (found?.appliedEvents.includes(eventId)) return 'duplicate';
    await rawCollection(this.models.ExpectedVehicle).updateOne(
      { _id: pickupId },
      { $set: change, $push: { appliedEvents: eventId } } as mongo.UpdateFilter<ExpectedVehicleDoc>,
      { upsert: options.upsert ?? false },
    );
    return 'applied';
  }

  /**
   * A site's open pickups, oldest first. A filter on fields other than `_id`, which FerretDB answers
   * by reading the collection: an operator's work list, asked for by hand (docs/conventions.md,
   * reads on the store, rule 3).
   */
  async openAt(
    dismantlerId: string,
    limit: number,
  ): Promise<Array<Omit<ExpectedVehicleDoc, 'appliedEvents'>>> {
    return this.models.ExpectedVehicle.find(
      { dismantlerId, status: { $in: OPEN_STATUSES } },
      { appliedEvents: 0 },
    )
      .sort({ requestedAt: 1 })
      .limit(limit)
      .lean();
  }
}
