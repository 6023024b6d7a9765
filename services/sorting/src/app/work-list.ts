import { maskName } from '@recycling/contracts';
import { addDays } from '../domain/local-day';
import {
  composeWorkList,
  intakeDone,
  OVERDUE_DAYS,
  UPCOMING_DAYS,
  type WorkIntake,
} from '../domain/work-list';
import type { IntakeDoc } from '../store/models';
import type { SortingContext } from './context';
import { localDate } from '../domain/local-day';

// The station's day as a work list the desk reads after a reload or at a change of shift: composed
// from small lists addressed by `_id` (the day's pickups and intakes, the station's open intakes) and
// the records they name, read by `_id` too. The writers below keep the lists; each is idempotent, and
// is called after the record it names is saved, so a retry (of the request, or a redelivered event)
// completes a list a crash left short.

const workIntake = (doc: IntakeDoc): WorkIntake => ({
  _id: doc._id,
  source: doc.source,
  sellerMasked: doc.seller.kind === 'person' ? maskName(doc.seller.name) : doc.seller.organisationName,
  contents: doc.contents,
  sorted: doc.sorted,
  receivedAt: new Date(doc.receivedAt),
});

export const todayAt = (ctx: SortingContext) => localDate(ctx.now(), ctx.profile.timezone);

/** The station's work list for a local day (default today). */
export async function stationWorkList(ctx: SortingContext, stationId: string, date = todayAt(ctx)) {
  const dates = Array.from({ length: OVERDUE_DAYS + UPCOMING_DAYS + 1 }, (_, i) =>
    addDays(date, i - OVERDUE_DAYS),
  );
  const [days, open] = await Promise.all([
    ctx.workLists.days(stationId, dates),
    ctx.workLists.open(stationId),
  ]);
  const day = days.find((d) => d.date === date);
  const pickupIds = [...new Set(days.flatMap((d) => d.pickupIds))];
  const openEntries = open?.intakes ?? {};
  const intakeIds = [...new Set([...(day?.intakeIds ?? []), ...Object.keys(openEntries)])];
  const [arrivals, intakes] = await Promise.all([
    ctx.arrivals.findMany(pickupIds),
    ctx.intakes.findMany(intakeIds),
  ]);
  const byId = new Map(intakes.filter((i) => i.stationId === stationId).map((i) => [i._id, workIntake(i)]));
  const list = composeWorkList({
    date,
    arrivals: arrivals.filter((a) => a.stationId === stationId),
    receivedToday: (day?.intakeIds ?? []).flatMap((id) => byId.get(id) ?? []),
    open: Object.entries(openEntries).flatMap(([id, entry]) => {
      const intake = byId.get(id);
      return intake ? [{ intake, dispatched: entry.dispatched }] : [];
    }),
    dayOf: (at) => localDate(at, ctx.profile.timezone),
  });
  return { stationId, ...list };
}

/** A pickup booked or re-planned for the station: due on its visit date. */
export const notePickupDue = (
  ctx: SortingContext,
  stationId: string,
  pickupId: string,
  date: string,
  previous?: string,
) => ctx.workLists.pickupDue(stationId, pickupId, date, previous);

/** An intake saved: received on its local day, its goods now to sort and dispatch. */
export const noteIntakeReceived = (
  ctx: SortingContext,
  intake: Pick<IntakeDoc, '_id' | 'stationId' | 'receivedAt'>,
) =>
  ctx.workLists.intakeReceived(
    intake.stationId,
    intake._id,
    localDate(new Date(intake.receivedAt), ctx.profile.timezone),
  );

/** A batch left: its units counted on the open intakes, those with nothing left leave the list. */
export async function noteDispatched(
  ctx: SortingContext,
  stationId: string,
  batchId: string,
  items: ReadonlyArray<{ intakeId: string; lineId: string; units: number }>,
) {
  const intakes = new Map(
    (await ctx.intakes.findMany([...new Set(items.map((i) => i.intakeId))])).map((i) => [
      i._id,
      workIntake(i),
    ]),
  );
  await ctx.workLists.dispatched(stationId, batchId, items, (intakeId, dispatched) => {
    const intake = intakes.get(intakeId);
    return intake !== undefined && intakeDone(intake, dispatched);
  });
}
