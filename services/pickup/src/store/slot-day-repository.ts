import type { DocumentLocks } from '@recycling/store';
import type { PickupModels, SlotDayDoc } from './models';

const dayId = (districtCode: string, date: string) => `${districtCode}|${date}`;

/** Days whose windows or capacities an administrator changed: `<district>|<date>`, read by `_id`. */
export class SlotDayRepository {
  constructor(
    private readonly models: Pick<PickupModels, 'SlotDay'>,
    private readonly locks: DocumentLocks,
  ) {}

  async find(districtCode: string, date: string): Promise<SlotDayDoc | undefined> {
    return (
      ((await this.models.SlotDay.findById(dayId(districtCode, date)).lean()) as SlotDayDoc | null) ??
      undefined
    );
  }

  /** The set days of a district between two dates: one `_id` read per day of the (short) horizon. */
  async range(districtCode: string, dates: readonly string[]): Promise<SlotDayDoc[]> {
    const days = await Promise.all(dates.map((date) => this.find(districtCode, date)));
    return days.filter((d): d is SlotDayDoc => d !== undefined);
  }

  async put(day: Omit<SlotDayDoc, '_id'>): Promise<SlotDayDoc> {
    const doc: SlotDayDoc = { _id: dayId(day.districtCode, day.date), ...day };
    await this.locks.withLock(`slot-day:${doc._id}`, () =>
      this.models.SlotDay.replaceOne({ _id: doc._id }, doc, { upsert: true }),
    );
    return doc;
  }
}
