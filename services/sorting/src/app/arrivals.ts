import type {
  DomainEvent,
  PickupCancelledData,
  PickupCollectedData,
  PickupFailedData,
  PickupRequestedData,
  PickupScheduledData,
} from '@recycling/contracts';
import { applyOnceByEventId } from '@recycling/messaging';
import type { mongo } from 'mongoose';
import { OPEN_ARRIVAL_STATUSES, expectedItems } from '../domain/arrivals';
import type { ArrivalDoc, ArrivalStatus, IntakeDoc } from '../store/models';
import type { SortingContext } from './context';

// Expected arrivals: the pickups topic projected onto the stations. Each effect carries its event id
// in the same update (a redelivery changes nothing) and runs under the arrival's lock, which the
// desk's recording of the pickup's intake also takes.

const collection = (ctx: SortingContext) =>
  ctx.models.Arrival.collection as unknown as mongo.Collection<ArrivalDoc>;

const step = (status: ArrivalStatus, at: string) => ({ history: { status, at: new Date(at) } });

export async function onPickupRequested(ctx: SortingContext, event: DomainEvent<PickupRequestedData>) {
  const d = event.data;
  if (d.kind !== 'appliances' || d.assignedSite.kind !== 'station') return;
  await ctx.messaging.locks.withLock(`arrival:${d.pickupId}`, () =>
    applyOnceByEventId(
      collection(ctx),
      { _id: d.pickupId },
      event.id,
      {
        $set: {
          stationId: d.assignedSite.siteId,
          districtCode: d.districtCode,
          status: 'requested',
          slot: d.slot,
          booked: d.appliances,
        },
        $push: step('requested', d.occurredAt),
      },
      { upsert: true },
    ),
  );
}

/** Later events change an arrival we already know; pickups of dismantlers (vehicles) are not ours. */
async function advance(
  ctx: SortingContext,
  event: DomainEvent<{ pickupId: string; occurredAt: string }>,
  status: ArrivalStatus,
  set: Partial<ArrivalDoc> = {},
) {
  const { pickupId, occurredAt } = event.data;
  await ctx.messaging.locks.withLock(`arrival:${pickupId}`, () =>
    applyOnceByEventId(collection(ctx), { _id: pickupId }, event.id, {
      $set: { ...set, status },
      $push: step(status, occurredAt),
    }),
  );
}

export const onPickupScheduled = (ctx: SortingContext, event: DomainEvent<PickupScheduledData>) =>
  advance(ctx, event, 'scheduled', {
    slot: event.data.slot,
    stationId: event.data.siteId,
    ...(event.data.crewId ? { crewId: event.data.crewId } : {}),
  });

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
  const open = await ctx.models.Arrival.find({
    stationId,
    status: { $in: [...OPEN_ARRIVAL_STATUSES] },
    ...(date ? { 'slot.date': date } : {}),
  }).lean<ArrivalDoc[]>();
  // An intake saved just before a crash may not have marked its arrival; the intakes decide.
  const received = await ctx.models.Intake.find(
    { 'source.pickupId': { $in: open.map((a) => a._id) } },
    { 'source.pickupId': 1 },
  ).lean<Array<Pick<IntakeDoc, 'source'>>>();
  const done = new Set(received.map((i) => i.source.pickupId));
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
