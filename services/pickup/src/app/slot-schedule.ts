import { DomainError } from '@recycling/contracts';
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

export async function dayScheduleOf(
  ctx: PickupContext,
  districtCode: string,
  date: string,
): Promise<DaySchedule | undefined> {
  return ctx.slotDays.find(districtCode, date);
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
    ctx.slotDays.range(districtCode, dates),
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
    const detail = '不能修改过去的日期 / Past days cannot be changed.';
    throw new DomainError('unprocessable', 'past-day', detail, {
      fields: [{ field: 'params.date', message: detail, code: 'past-day' }],
    });
  }
  return ctx.slotDays.put({
    districtCode,
    date,
    windows: [...windows].sort((a, b) => (a.window < b.window ? -1 : 1)),
    updatedAt: ctx.now(),
    updatedBy: by,
  });
}

export const horizonOf = (ctx: PickupContext) => ({
  from: addDays(todayOf(ctx), ctx.policy.minLeadDays),
  to: addDays(todayOf(ctx), ctx.policy.horizonDays),
});
