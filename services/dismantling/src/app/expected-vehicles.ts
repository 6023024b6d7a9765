import type { PickupCollectedData, PickupRequestedData, Principal } from '@recycling/contracts';
import { assertActsFor } from '../domain/access';
import type { ExpectedVehicleDoc } from '../store/models';
import type { AppContext } from './context';
import { backfillIntakesOfPickup } from './pickup-backfill';
import { notePickupDue } from './work-list';

// Vehicle pickups assigned to our sites become "expected vehicles", so a site sees what is coming and
// an intake can take district and owner account from the pickup. The pickups consumer is their one
// writer; each event is applied once (by its id).

export type ExpectedVehicle = Omit<ExpectedVehicleDoc, 'appliedEvents'>;

const WORK_LIST_LIMIT = 500;

/**
 * Vehicle pickups assigned to a site that are still open and not yet taken in. Intakes do not write
 * the expected-vehicle documents, so "taken in" is read from the intakes that name the pickup.
 */
export async function listExpectedVehicles(
  ctx: AppContext,
  principal: Principal,
  dismantlerId: string,
): Promise<ExpectedVehicle[]> {
  assertActsFor(principal, dismantlerId);
  const open = await ctx.expectedVehicles.openAt(dismantlerId, WORK_LIST_LIMIT);
  if (open.length === 0) return [];
  const taken = await ctx.intakes.pickupsTakenIn(open.map((e) => e._id));
  return open.filter((e) => !taken.has(e._id));
}

export type VehiclePickupRequested = Extract<PickupRequestedData, { kind: 'vehicle' }>;

/**
 * A vehicle pickup assigned to one of our sites is expected from now on; an intake taken in under it
 * before this event came gets its resident and district. A pickup for a site we do not know is not ours.
 */
export async function expectVehicle(
  ctx: AppContext,
  data: VehiclePickupRequested,
  eventId: string,
): Promise<'applied' | 'duplicate' | 'unknown-site'> {
  if (!(await ctx.dismantlers.exists(data.assignedSite.siteId))) return 'unknown-site';
  const at = new Date(data.occurredAt);
  const outcome = await ctx.expectedVehicles.applyOnce(
    data.pickupId,
    eventId,
    {
      dismantlerId: data.assignedSite.siteId,
      residentKey: data.residentKey,
      districtCode: data.districtCode,
      slot: data.slot,
      vehicle: data.vehicle,
      status: 'requested',
      requestedAt: at,
      updatedAt: at,
    },
    { upsert: true },
  );
  // Also on a redelivery: a crash may have come between the writes.
  await backfillIntakesOfPickup(ctx, data.pickupId);
  await notePickupDue(ctx, data.assignedSite.siteId, data.pickupId, data.slot.date);
  return outcome === 'duplicate' ? 'duplicate' : 'applied';
}

/**
 * A later event of a pickup we expect moves its status; pickups we do not expect are left alone. A
 * visit planned (or moved) carries its slot: the expected vehicle takes it, and the work list moves
 * the pickup to its new day.
 */
export async function followPickup(
  ctx: AppContext,
  eventId: string,
  status: ExpectedVehicleDoc['status'],
  data: { pickupId: string; occurredAt: string; slot?: ExpectedVehicleDoc['slot'] },
) {
  const collected = data as PickupCollectedData;
  const before = data.slot ? await ctx.expectedVehicles.find(data.pickupId) : null;
  const outcome = await ctx.expectedVehicles.applyOnce(data.pickupId, eventId, {
    status,
    updatedAt: new Date(data.occurredAt),
    ...(data.slot ? { slot: data.slot } : {}),
    ...(status === 'collected' && collected.kind === 'vehicle' ? { vehicle: collected.vehicle } : {}),
  });
  // Also on a redelivery (the list is idempotent); the old day is known only before the first write.
  if (before && data.slot) {
    await notePickupDue(ctx, before.dismantlerId, data.pickupId, data.slot.date, before.slot?.date);
  }
  return outcome;
}
