import { applyOnceByEventId, type ApplyOutcome } from '@recycling/messaging';
import { findByIds, type DocumentLocks } from '@recycling/store';
import type { Model, mongo } from 'mongoose';
import { OPEN_ARRIVAL_STATUSES, type ArrivalStatus } from '../domain/arrivals';
import type { ArrivalDoc } from './models';

/** What one pickup event changes on the arrival: its status (also added to the history) and fields. */
export interface ArrivalChange {
  status: ArrivalStatus;
  at: Date;
  set?: Partial<Pick<ArrivalDoc, 'stationId' | 'districtCode' | 'slot' | 'crewId' | 'booked' | 'collected'>>;
}

/**
 * Expected arrivals: the pickups topic projected onto the stations, one document per pickup. Each
 * change runs under the pickup's lock (`arrival:<pickupId>`), which the desk's recording of that
 * pickup's intake also holds, and carries its event id in the same update (a redelivery changes
 * nothing).
 */
export class ArrivalRepository {
  constructor(
    private readonly Arrival: Model<ArrivalDoc>,
    private readonly locks: DocumentLocks,
  ) {}

  private get collection() {
    return this.Arrival.collection as unknown as mongo.Collection<ArrivalDoc>;
  }

  async find(pickupId: string): Promise<ArrivalDoc | null> {
    return (await this.Arrival.findById(pickupId).lean()) as ArrivalDoc | null;
  }

  /** Arrivals by `_id` (the work list names them). */
  async findMany(pickupIds: readonly string[]): Promise<ArrivalDoc[]> {
    return pickupIds.length === 0 ? [] : findByIds(this.collection, pickupIds);
  }

  /** Runs `fn` holding the pickup's lock (the intake repository records a pickup's intake so). */
  withLock<R>(pickupId: string, fn: () => Promise<R>): Promise<R> {
    return this.locks.withLock(`arrival:${pickupId}`, fn);
  }

  /**
   * Applies a pickup event once per event id. `create` makes the arrival when it does not exist
   * (the booking); later events change only an arrival already known.
   */
  apply(
    pickupId: string,
    eventId: string,
    change: ArrivalChange,
    options: { create?: boolean } = {},
  ): Promise<ApplyOutcome> {
    return this.withLock(pickupId, () =>
      applyOnceByEventId(
        this.collection,
        { _id: pickupId },
        eventId,
        {
          $set: { ...change.set, status: change.status },
          $push: { history: { status: change.status, at: change.at } },
        },
        { upsert: options.create ?? false },
      ),
    );
  }

  /** Marks the pickup received by the intake; called holding the pickup's lock (`withLock`). */
  async markReceived(pickupId: string, intakeId: string): Promise<void> {
    await this.Arrival.updateOne({ _id: pickupId }, { $set: { intakeId } });
  }

  /**
   * Open arrivals of a station, optionally of one visit date. A filter on fields other than `_id`:
   * indexed on MongoDB (stationId, status); FerretDB reads the collection, which holds one document
   * per appliance pickup of the city.
   */
  async openAt(stationId: string, date?: string): Promise<ArrivalDoc[]> {
    return (await this.Arrival.find({
      stationId,
      status: { $in: [...OPEN_ARRIVAL_STATUSES] },
      ...(date ? { 'slot.date': date } : {}),
    }).lean()) as ArrivalDoc[];
  }
}
