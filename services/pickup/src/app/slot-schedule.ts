import { HttpProblem } from '@recycling/service-kit';
import { addDays, daysBetween } from '../domain/local-dates';
import {
  availabilityOf,
  bookableDates,
  windowsOfDay,
  type DaySchedule,
  type SlotAvailability,
} from '../domain/slots';
import type { SlotDayDoc } from '../store/models';
import { todayOf, type PickupContext } from './context';

const dayId = (districtCode: string, date: string) => `${districtCode}|${date}`;

export async function dayScheduleOf(
  ctx: PickupContext,
  districtCode: string,
  date: string,
): Promise<DaySchedule | undefined> {
  return (await ctx.models.SlotDay.findById(dayId(districtCode, date)).lean()) ?? undefined;
}

/** Every bookable slot of a district between two dates, with its free seats. */
export async function slotAvailability(
  ctx: PickupContext,
  districtCode: string,
  range: { from?: string; to?: string } = {},
): Promise<SlotAvailability[]> {
  const dates = bookableDates(todayOf(ctx), ctx.policy).filter(
    (d) => (!range.from || d >= range.from) && (!range.to || d <= range.to),
  );
  if (dates.length === 0) return [];
  const from = dates[0]!;
  const to = dates.at(-1)!;
  const [schedules, booked] = await Promise.all([
    ctx.models.SlotDay.find({ districtCode, date: { $gte: from, $lte: to } }).lean(),
    ctx.seats.bookedBySlot(districtCode, from, to),
  ]);
  const byDate = new Map<string, SlotDayDoc>(schedules.map((s) => [s.date, s]));
  const slots = dates.flatMap((date) =>
    windowsOfDay(ctx.policy, byDate.get(date)).map((w) => ({ date, window: w.window, capacity: w.capacity })),
  );
  return availabilityOf(slots, booked, districtCode);
}

/** An administrator sets the windows and capacities of one district's day. */
export async function setDaySchedule(
  ctx: PickupContext,
  districtCode: string,
  date: string,
  windows: Array<{ window: string; capacity: number }>,
  by: string,
): Promise<SlotDayDoc> {
  const ahead = daysBetween(todayOf(ctx), date);
  if (ahead < 0) {
    throw new HttpProblem(422, undefined, '不能修改过去的日期 / Past days cannot be changed.', {
      errors: [{ field: 'params.date', message: 'in the past', code: 'custom' }],
    });
  }
  const id = dayId(districtCode, date);
  const doc: SlotDayDoc = {
    _id: id,
    districtCode,
    date,
    windows: [...windows].sort((a, b) => (a.window < b.window ? -1 : 1)),
    updatedAt: ctx.now(),
    updatedBy: by,
  };
  await ctx.messaging.locks.withLock(`slot-day:${id}`, () =>
    ctx.models.SlotDay.replaceOne({ _id: id }, doc, { upsert: true }),
  );
  return doc;
}

export const horizonOf = (ctx: PickupContext) => ({
  from: addDays(todayOf(ctx), ctx.policy.minLeadDays),
  to: addDays(todayOf(ctx), ctx.policy.horizonDays),
});
