import type {
  DomainEvent,
  PickupCancelledData,
  PickupCollectedData,
  PickupFailedData,
  PickupRequestedData,
  PickupScheduledData,
} from '@recycling/contracts';
import { expectedItems, type ArrivalStatus } from '../domain/arrivals';
import type { ArrivalChange } from '../store/arrival-repository';
import type { SortingContext } from './context';
import { notePickupDue } from './work-list';

// Expected arrivals: the pickups topic projected onto the stations. The repository applies each
// effect once per event id, under the arrival's lock, which the desk's recording of the pickup's
// intake also takes.

export async function onPickupRequested(ctx: SortingContext, event: DomainEvent<PickupRequestedData>) {
  const d = event.data;
  if (d.kind !== 'appliances' || d.assignedSite.kind !== 'station') return;
  await ctx.arrivals.apply(
    d.pickupId,
    event.id,
    {
      status: 'requested',
      at: new Date(d.occurredAt),
      set: {
        stationId: d.assignedSite.siteId,
        districtCode: d.districtCode,
        slot: d.slot,
        booked: d.appliances,
      },
    },
    { create: true },
  );
  await notePickupDue(ctx, d.assignedSite.siteId, d.pickupId, d.slot.date);
}

/** Later events change an arrival we already know; pickups of dismantlers (vehicles) are not ours. */
async function advance(
  ctx: SortingContext,
  event: DomainEvent<{ pickupId: string; occurredAt: string }>,
  status: ArrivalStatus,
  set: ArrivalChange['set'] = {},
) {
  const { pickupId, occurredAt } = event.data;
  await ctx.arrivals.apply(pickupId, event.id, { status, at: new Date(occurredAt), set });
}

export async function onPickupScheduled(ctx: SortingContext, event: DomainEvent<PickupScheduledData>) {
  const before = await ctx.arrivals.find(event.data.pickupId);
  await advance(ctx, event, 'scheduled', {
    slot: event.data.slot,
    stationId: event.data.siteId,
    ...(event.data.crewId ? { crewId: event.data.crewId } : {}),
  });
  // Only our appliance pickups have an arrival; the visit may have moved to another day.
  if (before) {
    await notePickupDue(ctx, event.data.siteId, event.data.pickupId, event.data.slot.date, before.slot.date);
  }
}

export const onPickupCollected = async (ctx: SortingContext, event: DomainEvent<PickupCollectedData>) => {
  if (event.data.kind !== 'appliances') return;
  await advance(ctx, event, 'collected', { collected: event.data.appliances });
};

export const onPickupCancelled = (ctx: SortingContext, event: DomainEvent<PickupCancelledData>) =>
  advance(ctx, event, 'cancelled');

export const onPickupFailed = (ctx: SortingContext, event: DomainEvent<PickupFailedData>) =>
  advance(ctx, event, 'failed');

/** Open pickups of a station not yet received, by visit date. */
export async function expectedArrivals(ctx: SortingContext, stationId: string, date?: string) {
  const open = await ctx.arrivals.openAt(stationId, date);
  // An intake saved just before a crash may not have marked its arrival; the intakes decide.
  const done = await ctx.intakes.receivedAmong(open.map((a) => a._id));
  return open
    .filter((a) => !a.intakeId && !done.has(a._id))
    .sort(
      (a, b) =>
        `${a.slot.date} ${a.slot.window}`.localeCompare(`${b.slot.date} ${b.slot.window}`) ||
        a._id.localeCompare(b._id),
    )
    .map((a) => ({
      pickupId: a._id,
      stationId: a.stationId,
      districtCode: a.districtCode,
      status: a.status,
      slot: a.slot,
      crewId: a.crewId,
      expected: expectedItems(a),
      booked: a.booked,
      collected: a.collected,
    }));
}
