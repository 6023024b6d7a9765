import { randomBytes } from 'node:crypto';
import {
  maskPlate,
  PickupEventTypes,
  residentKeyOf,
  type PickupAppliance,
  type PickupRequestedData,
  type VehicleDescription,
} from '@recycling/contracts';
import { DomainError, type Principal } from '@recycling/contracts';
import { residentIdOf } from '../domain/access';
import { checkBookable, nearestFree, type SlotRef } from '../domain/slots';
import { chooseSite, siteKindFor } from '../domain/site-assignment';
import type { PickupDoc, SiteDoc } from '../store/models';
import { todayOf, type PickupContext } from './context';
import { pickupView, type PickupView } from './pickup-view';
import { dayScheduleOf, slotAvailability } from './slot-schedule';

export interface VehicleInput extends Omit<VehicleDescription, 'plateMasked'> {
  plate: string;
}

interface BookingCommon {
  address: { districtCode: string; detail: string };
  contact: { name?: string; phone: string };
  slot: SlotRef;
  note?: string;
}

export type BookingInput =
  | (BookingCommon & { kind: 'appliances'; appliances: PickupAppliance[] })
  | (BookingCommon & { kind: 'vehicle'; vehicle: VehicleInput });

export const newPickupId = (today: string): string =>
  `pk-${today.replace(/-/g, '')}-${randomBytes(4).toString('hex')}`;

async function assignSite(ctx: PickupContext, input: BookingInput): Promise<SiteDoc> {
  const candidates = await ctx.sites.list({
    kind: siteKindFor(input.kind),
    active: true,
    districtCode: input.address.districtCode,
  });
  const load = new Map<string, number>();
  if (candidates.length > 1) {
    for (const site of candidates) load.set(site._id, await ctx.pickups.countOpenAt(site._id));
  }
  const chosen = chooseSite(
    candidates.map((s) => ({ ...s, siteId: s._id })),
    input.kind,
    input.address.districtCode,
    load,
  );
  if (!chosen) {
    const detail =
      input.kind === 'appliances'
        ? '该区域暂无回收站提供上门回收 / No sorting station collects in this district yet.'
        : '该区域暂无报废机动车回收企业提供上门取车 / No dismantler collects vehicles in this district yet.';
    throw new DomainError('unprocessable', 'no-site-serves-district', detail, {
      title: { zh: '该区域暂无服务站点', en: 'No site serves this district' },
      fields: [{ field: 'address.districtCode', message: detail, code: 'no-site-serves-district' }],
    });
  }
  return chosen;
}

/** Claims a seat in the slot or answers 409 with the nearest free slots. */
export async function claimSeatOrConflict(
  ctx: PickupContext,
  districtCode: string,
  slot: SlotRef,
  capacity: number,
  pickupId: string,
) {
  const seat = await ctx.seats.claim(districtCode, slot, capacity, pickupId);
  if (seat) return seat;
  const alternatives = nearestFree(slot, await slotAvailability(ctx, districtCode));
  throw new DomainError(
    'conflict',
    'slot-full',
    '该时段已约满，请选择其他时段 / The slot is full; please choose another.',
    {
      title: { zh: '该时段已约满', en: 'Slot full' },
      details: {
        alternatives: alternatives.map(({ date, window, available }) => ({ date, window, available })),
      },
    },
  );
}

/** Checks that the slot may be booked today and returns its capacity; 400 naming the field if not. */
export async function bookableCapacity(
  ctx: PickupContext,
  districtCode: string,
  slot: SlotRef,
  minLeadDays = ctx.policy.minLeadDays,
): Promise<number> {
  const check = checkBookable(
    slot,
    todayOf(ctx),
    { ...ctx.policy, minLeadDays },
    await dayScheduleOf(ctx, districtCode, slot.date),
  );
  if (!check.ok) throw DomainError.invalid('slot-not-bookable', check.field, check.reason);
  return check.capacity;
}

/**
 * A resident books a pickup: the slot must be bookable, a site must serve the district, and a seat
 * must be free. The pickup and its `requested` event are written in one insert.
 */
export async function bookPickup(
  ctx: PickupContext,
  principal: Principal,
  input: BookingInput,
  pickupId: string,
): Promise<PickupView> {
  // A retry after a crash (same idempotency key) finds the pickup the first attempt made.
  const existing = await ctx.pickups.find(pickupId);
  if (existing) {
    await ctx.residentPickups.add(existing.residentId, [pickupId]);
    return pickupView(existing, 'resident', ctx.profile, todayOf(ctx));
  }

  const districtCode = input.address.districtCode;
  const capacity = await bookableCapacity(ctx, districtCode, input.slot);
  const site = await assignSite(ctx, input);
  const seat = await claimSeatOrConflict(ctx, districtCode, input.slot, capacity, pickupId);

  const residentId = residentIdOf(principal);
  const residentKey = residentKeyOf(residentId, ctx.residentKeySecret);
  const now = ctx.now();
  const assignedSite = { kind: site.kind, siteId: site._id, enterpriseId: site.enterpriseId };
  const vehicle =
    input.kind === 'vehicle' ? { ...input.vehicle, plateMasked: maskPlate(input.vehicle.plate) } : undefined;
  const common = {
    pickupId,
    residentKey,
    districtCode,
    slot: input.slot,
    assignedSite: { kind: site.kind, siteId: site._id },
    occurredAt: now.toISOString(),
  };
  const data: PickupRequestedData =
    input.kind === 'appliances'
      ? { ...common, kind: 'appliances', appliances: input.appliances }
      : {
          ...common,
          kind: 'vehicle',
          vehicle: {
            vin: vehicle!.vin,
            plateMasked: vehicle!.plateMasked,
            vehicleType: vehicle!.vehicleType,
            fuelType: vehicle!.fuelType,
            emissionStandard: vehicle!.emissionStandard,
            registrationDate: vehicle!.registrationDate,
          },
        };
  const event = ctx.events(PickupEventTypes.requested, data, { subject: pickupId });

  const doc: Omit<PickupDoc, 'createdAt' | 'updatedAt' | 'outbox' | 'outboxUpdatedAt'> = {
    _id: pickupId,
    residentId,
    residentKey,
    kind: input.kind,
    ...(input.kind === 'appliances' ? { appliances: input.appliances } : { vehicle }),
    address: input.address,
    contact: input.contact,
    ...(input.note ? { note: input.note } : {}),
    slot: input.slot,
    seatId: seat._id,
    assignedSite,
    status: 'requested',
    history: [
      {
        status: 'requested',
        event: 'requested',
        at: now,
        by: { role: 'resident', id: residentId },
        eventId: event.id,
      },
    ],
    appliedEvents: [],
  };
  try {
    if (!(await ctx.pickups.create(doc, [event]))) {
      // Booked under this id meanwhile (a racing retry of the same key): that booking stands.
      return pickupView(await ctx.pickups.get(pickupId), 'resident', ctx.profile, todayOf(ctx));
    }
  } catch (error) {
    await ctx.seats.release(seat._id, pickupId).catch(() => undefined);
    throw error;
  }
  await ctx.residentPickups.add(residentId, [pickupId]);
  ctx.logger.info({ pickupId, districtCode, siteId: site._id, kind: input.kind }, 'pickup booked');
  return pickupView(await ctx.pickups.get(pickupId), 'resident', ctx.profile, todayOf(ctx));
}
