import { randomBytes } from 'node:crypto';
import {
  maskPlate,
  PickupEventTypes,
  residentKeyOf,
  type PickupAppliance,
  type PickupStatus,
  type PickupRequestedData,
  type VehicleDescription,
} from '@recycling/contracts';
import { HttpProblem, validationProblem, type Principal } from '@recycling/service-kit';
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

const OPEN_STATUSES: PickupStatus[] = ['requested', 'scheduled'];

async function assignSite(ctx: PickupContext, input: BookingInput): Promise<SiteDoc> {
  const filter = { kind: siteKindFor(input.kind), active: true, districts: input.address.districtCode };
  const candidates = await ctx.models.Site.find(filter as never).lean();
  const load = new Map<string, number>();
  if (candidates.length > 1) {
    for (const site of candidates) {
      load.set(
        site._id,
        await ctx.models.Pickup.countDocuments({
          'assignedSite.siteId': site._id,
          status: { $in: OPEN_STATUSES },
        }),
      );
    }
  }
  const chosen = chooseSite(
    candidates.map((s) => ({ ...s, siteId: s._id })),
    input.kind,
    input.address.districtCode,
    load,
  );
  if (!chosen) {
    throw new HttpProblem(
      422,
      'No site serves this district',
      input.kind === 'appliances'
        ? '该区域暂无回收站提供上门回收 / No sorting station collects in this district yet.'
        : '该区域暂无报废机动车回收企业提供上门取车 / No dismantler collects vehicles in this district yet.',
      {
        title_zh: '该区域暂无服务站点',
        errors: [{ field: 'address.districtCode', message: 'no site', code: 'custom' }],
      },
    );
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
  throw new HttpProblem(
    409,
    'Slot full',
    '该时段已约满，请选择其他时段 / The slot is full; please choose another.',
    {
      title_zh: '该时段已约满',
      alternatives: alternatives.map(({ date, window, available }) => ({ date, window, available })),
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
  if (!check.ok) throw validationProblem([{ field: check.field, message: check.reason, code: 'custom' }]);
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
  const existing = await ctx.models.Pickup.findById(pickupId).lean();
  if (existing) return pickupView(existing, 'resident', ctx.profile);

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
  const event = ctx.messaging.events(PickupEventTypes.requested, data, { subject: pickupId });

  const doc: Omit<PickupDoc, 'createdAt' | 'updatedAt'> = {
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
    outbox: [event],
    outboxUpdatedAt: now,
  };
  try {
    const created = await ctx.models.Pickup.create(doc);
    ctx.messaging.relay.nudge(ctx.models.Pickup, [created._id]);
    ctx.logger.info({ pickupId, districtCode, siteId: site._id, kind: input.kind }, 'pickup booked');
    return pickupView(created.toObject(), 'resident', ctx.profile);
  } catch (error) {
    await ctx.seats.release(seat._id, pickupId).catch(() => undefined);
    throw error;
  }
}
