// The dismantler's day as a work list the desk reads after a reload or at a change of shift:
// composed from small lists addressed by `_id` (the days' pickups and intakes, the site's open
// intakes, the intakes of each pickup) and the records they name, read by `_id` too. The writers
// below keep the lists; each is idempotent. Pickups are noted after their expected vehicle is saved
// (a redelivered event completes the list); intakes before they are saved (the list ignores an id
// whose intake was never saved), so that a crash leaves no vehicle off the desk's list.
import type { Principal } from '@recycling/contracts';
import { assertActsFor } from '../domain/access';
import { addDays, localDate } from '../domain/calendar';
import {
  composeWorkList,
  intakeDone,
  OVERDUE_DAYS,
  UPCOMING_DAYS,
  type WorkIntake,
} from '../domain/work-list';
import type { IntakeRecord } from '../store/models';
import type { AppContext } from './context';

const workIntake = (i: IntakeRecord): WorkIntake => ({
  _id: i._id,
  dismantlerId: i.dismantlerId,
  vin: i.vin,
  plateMasked: i.plateMasked,
  vehicleType: i.vehicleType,
  fuelType: i.fuelType,
  ...(i.pickupId ? { pickupId: i.pickupId } : {}),
  status: i.status,
  receivedAt: new Date(i.receivedAt),
  priceFen: i.priceFen,
  certificate: i.certificate
    ? { certificateNo: i.certificate.certificateNo, issuedAt: new Date(i.certificate.issuedAt) }
    : null,
  deregistration: i.deregistration
    ? {
        state: i.deregistration.state,
        requestedAt: new Date(i.deregistration.requestedAt),
        ...(i.deregistration.reason ? { reason: i.deregistration.reason } : {}),
      }
    : null,
  dismantling: i.dismantling ? { dismantledAt: new Date(i.dismantling.dismantledAt) } : null,
});

export const todayAt = (ctx: Pick<AppContext, 'now' | 'profile'>) =>
  localDate(ctx.now(), ctx.profile.timezone);

/** The site's work list for a local day (default today). */
export async function dismantlerWorkList(
  ctx: AppContext,
  principal: Principal,
  dismantlerId: string,
  date = todayAt(ctx),
) {
  assertActsFor(principal, dismantlerId);
  const dates = Array.from({ length: OVERDUE_DAYS + UPCOMING_DAYS + 1 }, (_, i) =>
    addDays(date, i - OVERDUE_DAYS),
  );
  const [days, open] = await Promise.all([
    ctx.workLists.days(dismantlerId, dates),
    ctx.workLists.open(dismantlerId),
  ]);
  const pickupIds = [...new Set(days.flatMap((d) => d.pickupIds))];
  const [pickups, intakesOfPickups] = await Promise.all([
    ctx.expectedVehicles.findMany(pickupIds),
    ctx.workLists.intakesOfPickups(pickupIds),
  ]);
  const onDay = days.find((d) => d.date === date)?.intakeIds ?? [];
  const named = [...intakesOfPickups.values()].flat();
  const intakes = new Map(
    (await ctx.intakes.records([...new Set([...onDay, ...(open?.intakeIds ?? []), ...named])])).map((i) => [
      i._id,
      workIntake(i),
    ]),
  );
  const pick = (ids: readonly string[]) => ids.flatMap((id) => intakes.get(id) ?? []);
  return composeWorkList({
    dismantlerId,
    date,
    pickups,
    intakesOfPickups: pick(named),
    takenInOnDay: pick(onDay),
    open: pick(open?.intakeIds ?? []),
    dayOf: (at) => localDate(at, ctx.profile.timezone),
  });
}

/** A vehicle pickup assigned to the site: due on its visit date (moved from `previous`). */
export const notePickupDue = (
  ctx: AppContext,
  dismantlerId: string,
  pickupId: string,
  date: string,
  previous?: string,
) => ctx.workLists.pickupDue(dismantlerId, pickupId, date, previous);

/** An intake about to be saved: taken in today, with work left, naming its pickup. */
export const noteIntakeTakenIn = (
  ctx: AppContext,
  intake: { vehicleIntakeId: string; dismantlerId: string; receivedAt: Date; pickupId?: string },
) =>
  ctx.workLists.intakeTakenIn(
    intake.dismantlerId,
    intake.vehicleIntakeId,
    localDate(intake.receivedAt, ctx.profile.timezone),
    intake.pickupId,
  );

/** After a change of an intake: it leaves the open list once nothing is left to do. */
export async function noteIntakeChanged(ctx: AppContext, intake: IntakeRecord): Promise<void> {
  if (intakeDone(workIntake(intake))) await ctx.workLists.intakeClosed(intake.dismantlerId, intake._id);
}
