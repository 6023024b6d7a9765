import { findByIds, type DocumentLocks } from '@recycling/store';
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

/** Changes waiting for one list document's next write, and who waits for it. */
interface PendingEdits {
  changes: Array<(doc: WorkDoc) => boolean>;
  waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
  empty: () => WorkDoc;
}

const addId = (ids: string[], id: string): boolean => {
  if (ids.includes(id)) return false;
  ids.push(id);
  return true;
};

export class WorkListRepository {
  private readonly collection: mongo.Collection<WorkDoc>;
  /** Per list document: the changes that arrived while its previous write was under way. */
  private readonly pending = new Map<string, PendingEdits>();
  /** Per list document: the write under way, if any. */
  private readonly writing = new Set<string>();

  constructor(
    connection: Connection,
    private readonly locks: DocumentLocks,
  ) {
    this.collection = connection.collection<WorkDoc>(WORK_LISTS_COLLECTION);
  }

  /**
   * Applies `change` to the list document and resolves once it is saved. Writes are grouped per
   * document: changes that arrive while a write of it is under way are applied together in the next
   * one (one lock, one read, one write for all of them), and each caller returns only after its
   * change is stored. A busy gate's intakes all change the same `day` and `open` documents.
   */
  private edit<D extends WorkDoc>(id: string, empty: () => D, change: (doc: D) => boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const queued = this.pending.get(id) ?? { changes: [], waiters: [], empty };
      queued.changes.push(change as (doc: WorkDoc) => boolean);
      queued.waiters.push({ resolve, reject });
      this.pending.set(id, queued);
      if (!this.writing.has(id)) void this.writeGroups(id);
    });
  }

  /** Writes the document's waiting changes, group after group, until none are left. */
  private async writeGroups(id: string): Promise<void> {
    this.writing.add(id);
    try {
      for (let group = this.pending.get(id); group; group = this.pending.get(id)) {
        this.pending.delete(id);
        try {
          await this.locks.withLock(`work:${id}`, async () => {
            const doc = (await this.collection.findOne({ _id: id })) ?? group!.empty();
            // Every change runs (each is idempotent and says whether it changed anything).
            const changed = group!.changes.map((c) => c(doc)).some(Boolean);
            if (changed) await this.collection.replaceOne({ _id: id }, doc, { upsert: true });
          });
          for (const w of group.waiters) w.resolve();
        } catch (error) {
          for (const w of group.waiters) w.reject(error);
        }
      }
    } finally {
      this.writing.delete(id);
    }
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
    return this.edit<WorkDayDoc>(
      _id,
      () => ({ _id, kind: 'day', dismantlerId, date, pickupIds: [], intakeIds: [] }),
      change,
    );
  }

  private openList(dismantlerId: string, change: (doc: WorkOpenDoc) => boolean) {
    const _id = workOpenId(dismantlerId);
    return this.edit<WorkOpenDoc>(_id, () => ({ _id, kind: 'open', dismantlerId, intakeIds: [] }), change);
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
        : this.edit<WorkPickupDoc>(
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
