import { findByIds, GroupedEdits, type DocumentLocks } from '@recycling/store';
import type { Model, mongo } from 'mongoose';
import type { WorkDayDoc, WorkOpenDoc } from './models';

export const workDayId = (stationId: string, date: string) => `day:${stationId}|${date}`;
export const workOpenId = (stationId: string) => `open:${stationId}`;

/**
 * The station's work lists, small documents addressed by `_id` (FerretDB reads a whole collection
 * for any other filter): per station and day the pickups due and the intakes received
 * (`day:<station>|<date>`), and per station the intakes with goods still to sort or dispatch, with
 * the units of each line that have left (`open:<station>`). Every write holds the document's lock
 * (`work:<id>`) and is idempotent (adding an id twice, or a batch's units twice, changes nothing).
 */
export class WorkListRepository {
  /**
   * Every intake of a station changes the same two documents, so their writes are grouped: at a busy
   * desk (or the load benchmark's intakes at one station) four round trips per intake and document
   * become four per group.
   */
  private readonly edits: GroupedEdits<WorkDayDoc | WorkOpenDoc>;

  constructor(
    private readonly Work: Model<WorkDayDoc | WorkOpenDoc>,
    locks: DocumentLocks,
  ) {
    this.edits = new GroupedEdits(() => this.collection, locks, 'work');
  }

  private get collection() {
    return this.Work.collection as unknown as mongo.Collection<WorkDayDoc | WorkOpenDoc>;
  }

  /** The days' lists of a station, read by `_id` (missing days are empty). */
  async days(stationId: string, dates: readonly string[]): Promise<WorkDayDoc[]> {
    const found = await findByIds(
      this.collection,
      dates.map((d) => workDayId(stationId, d)),
    );
    return found.filter((d): d is WorkDayDoc => d.kind === 'day');
  }

  async open(stationId: string): Promise<WorkOpenDoc | undefined> {
    const doc = await this.collection.findOne({ _id: workOpenId(stationId) });
    return doc && doc.kind === 'open' ? doc : undefined;
  }

  private day(stationId: string, date: string, change: (doc: WorkDayDoc) => boolean) {
    return this.edits.edit<WorkDayDoc>(
      workDayId(stationId, date),
      () => ({ _id: workDayId(stationId, date), kind: 'day', stationId, date, pickupIds: [], intakeIds: [] }),
      change,
    );
  }

  /**
   * A pickup is due on `date` (and no longer on `previous`, when its visit moved). The new day is
   * written first, so that a desk reading between the two writes never misses the pickup.
   */
  async pickupDue(stationId: string, pickupId: string, date: string, previous?: string): Promise<void> {
    await this.day(stationId, date, (doc) => {
      if (doc.pickupIds.includes(pickupId)) return false;
      doc.pickupIds.push(pickupId);
      return true;
    });
    if (previous && previous !== date) {
      await this.day(stationId, previous, (doc) => {
        const before = doc.pickupIds.length;
        doc.pickupIds = doc.pickupIds.filter((id) => id !== pickupId);
        return doc.pickupIds.length !== before;
      });
    }
  }

  /** An intake was received on `date`; its goods are to sort and dispatch. */
  async intakeReceived(stationId: string, intakeId: string, date: string): Promise<void> {
    await this.day(stationId, date, (doc) => {
      if (doc.intakeIds.includes(intakeId)) return false;
      doc.intakeIds.push(intakeId);
      return true;
    });
    await this.editOpen(stationId, (doc) => {
      if (doc.intakes[intakeId]) return false;
      doc.intakes[intakeId] = { dispatched: {}, batchIds: [] };
      return true;
    });
  }

  /**
   * A batch left with these units: counted once per batch on each intake's entry; an intake with
   * nothing left to do (`done`) leaves the open list.
   */
  async dispatched(
    stationId: string,
    batchId: string,
    items: ReadonlyArray<{ intakeId: string; lineId: string; units: number }>,
    done: (intakeId: string, dispatched: Readonly<Record<string, number>>) => boolean,
  ): Promise<void> {
    await this.editOpen(stationId, (doc) => {
      let changed = false;
      for (const item of items) {
        const entry = doc.intakes[item.intakeId];
        if (!entry || entry.batchIds.includes(batchId)) continue;
        entry.dispatched[item.lineId] = (entry.dispatched[item.lineId] ?? 0) + item.units;
        changed = true;
      }
      for (const intakeId of new Set(items.map((i) => i.intakeId))) {
        const entry = doc.intakes[intakeId];
        if (!entry) continue;
        if (!entry.batchIds.includes(batchId)) entry.batchIds.push(batchId);
        if (done(intakeId, entry.dispatched)) delete doc.intakes[intakeId];
      }
      return changed;
    });
  }

  /** Intakes withdrawn by a correction have nothing left to do. */
  async closeIntake(stationId: string, intakeId: string): Promise<void> {
    await this.editOpen(stationId, (doc) => {
      if (!doc.intakes[intakeId]) return false;
      delete doc.intakes[intakeId];
      return true;
    });
  }

  private editOpen(stationId: string, change: (doc: WorkOpenDoc) => boolean) {
    return this.edits.edit<WorkOpenDoc>(
      workOpenId(stationId),
      () => ({ _id: workOpenId(stationId), kind: 'open', stationId, intakes: {} }),
      change,
    );
  }
}
