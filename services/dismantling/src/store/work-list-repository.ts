import { findByIds, GroupedEdits, type DocumentLocks } from '@recycling/store';
import type { Connection, mongo } from 'mongoose';

// The dismantler's work lists: small documents addressed by `_id` (FerretDB reads a whole collection
// for any other filter), in `work_lists`:
//   day:<site>|<date>  the vehicle pickups due that day and the intakes taken in that day
//   open:<site>        the intakes with work left (to certify, dismantle or deregister)
//   pickup:<pickupId>  the intakes that name the pickup (so the list knows it was taken in)
// They only name records; the records themselves are read by `_id` and decide what is shown, so an
// id named too early, twice, or after its record changed is harmless. Every write holds the
// document's lock (`work:<id>`) and is idempotent.

export const WORK_LISTS_COLLECTION = 'work_lists';

export interface WorkDayDoc {
  _id: string;
  kind: 'day';
  dismantlerId: string;
  date: string;
  pickupIds: string[];
  intakeIds: string[];
}

export interface WorkOpenDoc {
  _id: string;
  kind: 'open';
  dismantlerId: string;
  intakeIds: string[];
}

export interface WorkPickupDoc {
  _id: string;
  kind: 'pickup';
  pickupId: string;
  intakeIds: string[];
}

type WorkDoc = WorkDayDoc | WorkOpenDoc | WorkPickupDoc;

export const workDayId = (dismantlerId: string, date: string) => `day:${dismantlerId}|${date}`;
export const workOpenId = (dismantlerId: string) => `open:${dismantlerId}`;
export const workPickupId = (pickupId: string) => `pickup:${pickupId}`;

const addId = (ids: string[], id: string): boolean => {
  if (ids.includes(id)) return false;
  ids.push(id);
  return true;
};

export class WorkListRepository {
  private readonly collection: mongo.Collection<WorkDoc>;
  private readonly edits: GroupedEdits<WorkDoc>;

  constructor(connection: Connection, locks: DocumentLocks) {
    this.collection = connection.collection<WorkDoc>(WORK_LISTS_COLLECTION);
    // A busy gate's intakes all change the same `day` and `open` documents: their writes are grouped.
    this.edits = new GroupedEdits(() => this.collection, locks, 'work');
  }

  // ---- reads, by `_id` -----------------------------------------------------------------------

  /** The days' lists of a site (missing days are empty). */
  async days(dismantlerId: string, dates: readonly string[]): Promise<WorkDayDoc[]> {
    const found = await findByIds(
      this.collection,
      dates.map((d) => workDayId(dismantlerId, d)),
    );
    return found.filter((d): d is WorkDayDoc => d.kind === 'day');
  }

  async open(dismantlerId: string): Promise<WorkOpenDoc | undefined> {
    const doc = await this.collection.findOne({ _id: workOpenId(dismantlerId) });
    return doc?.kind === 'open' ? doc : undefined;
  }

  /** The intakes that name each of these pickups. */
  async intakesOfPickups(pickupIds: readonly string[]): Promise<Map<string, string[]>> {
    const found = await findByIds(this.collection, pickupIds.map(workPickupId));
    return new Map(
      found.filter((d): d is WorkPickupDoc => d.kind === 'pickup').map((d) => [d.pickupId, d.intakeIds]),
    );
  }

  // ---- writes ---------------------------------------------------------------------------------

  private day(dismantlerId: string, date: string, change: (doc: WorkDayDoc) => boolean) {
    const _id = workDayId(dismantlerId, date);
    return this.edits.edit<WorkDayDoc>(
      _id,
      () => ({ _id, kind: 'day', dismantlerId, date, pickupIds: [], intakeIds: [] }),
      change,
    );
  }

  private openList(dismantlerId: string, change: (doc: WorkOpenDoc) => boolean) {
    const _id = workOpenId(dismantlerId);
    return this.edits.edit<WorkOpenDoc>(
      _id,
      () => ({ _id, kind: 'open', dismantlerId, intakeIds: [] }),
      change,
    );
  }

  /**
   * A vehicle pickup is due on `date` (and no longer on `previous`, when its visit moved). The new
   * day is written first, so that a desk reading between the two writes never misses the pickup.
   */
  async pickupDue(dismantlerId: string, pickupId: string, date: string, previous?: string): Promise<void> {
    await this.day(dismantlerId, date, (doc) => addId(doc.pickupIds, pickupId));
    if (previous && previous !== date) {
      await this.day(dismantlerId, previous, (doc) => {
        const before = doc.pickupIds.length;
        doc.pickupIds = doc.pickupIds.filter((id) => id !== pickupId);
        return doc.pickupIds.length !== before;
      });
    }
  }

  /**
   * An intake is about to be saved: taken in on `date`, with work left, and naming its pickup.
   * Written before the intake (an id whose intake was never saved is ignored when read), so that no
   * crash can leave a saved intake off the lists.
   */
  async intakeTakenIn(
    dismantlerId: string,
    vehicleIntakeId: string,
    date: string,
    pickupId?: string,
  ): Promise<void> {
    await Promise.all([
      this.day(dismantlerId, date, (doc) => addId(doc.intakeIds, vehicleIntakeId)),
      this.openList(dismantlerId, (doc) => addId(doc.intakeIds, vehicleIntakeId)),
      pickupId === undefined
        ? undefined
        : this.edits.edit<WorkPickupDoc>(
            workPickupId(pickupId),
            () => ({ _id: workPickupId(pickupId), kind: 'pickup', pickupId, intakeIds: [] }),
            (doc) => addId(doc.intakeIds, vehicleIntakeId),
          ),
    ]);
  }

  /** An intake with nothing left to do (voided, or dismantled and deregistered) leaves the open list. */
  async intakeClosed(dismantlerId: string, vehicleIntakeId: string): Promise<void> {
    await this.openList(dismantlerId, (doc) => {
      if (!doc.intakeIds.includes(vehicleIntakeId)) return false;
      doc.intakeIds = doc.intakeIds.filter((id) => id !== vehicleIntakeId);
      return true;
    });
  }
}
