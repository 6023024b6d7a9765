import {
  DomainError,
  maskPlate,
  PickupEventTypes,
  type PICKUP_FAILURE_CODES,
  type PickupAppliance,
  type Principal,
} from '@recycling/contracts';
import type { PendingEvent } from '@recycling/messaging';
import type { HydratedDocument } from 'mongoose';
import { viewerOf, type Viewer } from '../domain/access';
import { decideAction, reschedulePermission, type PickupAction } from '../domain/pickup-lifecycle';
import { slotKeyOf, type SlotRef } from '../domain/slots';
import type { Collector, HistoryEntry, PickupDoc } from '../store/models';
import { pickupNotFound } from '../store/pickup-repository';
import { bookableCapacity, claimSeatOrConflict, type VehicleInput } from './book-pickup';
import { todayOf, type PickupContext } from './context';
import { pickupView, type PickupView } from './pickup-view';

interface Changed {
  events: PendingEvent[];
  /** Runs once the change is saved (freeing a seat must not happen for a change that was not). */
  afterSave?: () => Promise<void>;
}

type Change = (doc: HydratedDocument<PickupDoc>, viewer: Viewer) => Promise<Changed>;

/**
 * Load, decide, save with the events, through the repository (which holds the pickup's lock). A
 * pickup the principal may not see is answered 404, not 403, so that ids of other residents'
 * pickups cannot be probed.
 */
async function changePickup(
  ctx: PickupContext,
  principal: Principal,
  pickupId: string,
  change: Change,
): Promise<PickupView> {
  const { doc, result: viewer } = await ctx.pickups.update(pickupId, async (doc) => {
    const viewer = viewerOf(principal, doc);
    if (!viewer) throw pickupNotFound(pickupId);
    const { events, afterSave } = await change(doc, viewer);
    return { events, afterSave, result: viewer };
  });
  return pickupView(doc, viewer, ctx.profile, todayOf(ctx));
}

function transition(doc: PickupDoc, action: PickupAction): void {
  const decision = decideAction(doc.status, action);
  if (!decision.ok) {
    throw new DomainError('conflict', 'invalid-status', `${decision.reason_zh} / ${decision.reason}.`, {
      title: { zh: '当前状态不允许此操作', en: 'Invalid status for this action' },
      details: { status_code: doc.status },
    });
  }
  doc.status = decision.to;
}

const entry = (
  doc: PickupDoc,
  event: string,
  principal: Principal,
  at: Date,
  extra: Partial<HistoryEntry> = {},
): HistoryEntry => ({
  status: doc.status,
  event,
  at,
  by: { role: principal.role, id: principal.sub },
  ...extra,
});

export interface ScheduleInput {
  slot?: SlotRef;
  crewId?: string;
  /** Who comes: name and work phone, for the resident (never on the event, never logged). */
  collector?: Collector;
}

/** A new slot for the pickup: claims a seat there and frees the old one once the change is saved. */
async function moveSeat(
  ctx: PickupContext,
  doc: PickupDoc,
  slot: SlotRef,
  minLeadDays: number,
): Promise<(() => Promise<void>) | undefined> {
  if (doc.seatId.startsWith(`${slotKeyOf(doc.address.districtCode, slot)}#`)) return undefined;
  const capacity = await bookableCapacity(ctx, doc.address.districtCode, slot, minLeadDays);
  const seat = await claimSeatOrConflict(ctx, doc.address.districtCode, slot, capacity, doc._id);
  const oldSeat = doc.seatId;
  doc.seatId = seat._id;
  return () => ctx.seats.release(oldSeat, doc._id);
}

/** The operator plans the visit; a new slot takes a seat there and frees the old one. */
export function schedulePickup(
  ctx: PickupContext,
  principal: Principal,
  pickupId: string,
  input: ScheduleInput,
) {
  return changePickup(ctx, principal, pickupId, async (doc) => {
    transition(doc, 'schedule');
    const slot = input.slot ?? doc.visit ?? doc.slot;
    const sameVisit = doc.visit?.date === slot.date && doc.visit.window === slot.window;
    // Operators may plan for today (no lead time), but only in a slot with room.
    const afterSave = await moveSeat(ctx, doc, slot, 0);
    const now = ctx.now();
    const collector = input.collector ?? (sameVisit ? doc.visit?.collector : undefined);
    doc.visit = {
      date: slot.date,
      window: slot.window,
      ...(input.crewId ? { crewId: input.crewId } : {}),
      ...(collector ? { collector } : {}),
    };
    const event = ctx.events(
      PickupEventTypes.scheduled,
      {
        pickupId: doc._id,
        siteId: doc.assignedSite.siteId,
        slot: { date: slot.date, window: slot.window },
        ...(input.crewId ? { crewId: input.crewId } : {}),
        occurredAt: now.toISOString(),
      },
      { subject: doc._id },
    );
    doc.history.push(
      entry(doc, 'scheduled', principal, now, {
        eventId: event.id,
        ref: { date: slot.date, window: slot.window },
      }),
    );
    return { events: [event], afterSave };
  });
}

export interface CollectInput {
  appliances?: PickupAppliance[];
  vehicle?: VehicleInput;
}

/** The crew took the items; what they took may differ from the booking. */
export function collectPickup(
  ctx: PickupContext,
  principal: Principal,
  pickupId: string,
  input: CollectInput,
) {
  return changePickup(ctx, principal, pickupId, async (doc) => {
    const field = doc.kind === 'appliances' ? 'appliances' : 'vehicle';
    if (input[field] === undefined) {
      throw DomainError.invalid(
        'collected-items-missing',
        field,
        `${doc.kind === 'appliances' ? '请填写取走的家电' : '请填写取走的车辆'} / Required for a ${doc.kind} pickup.`,
      );
    }
    transition(doc, 'collect');
    const now = ctx.now();
    const base = { pickupId: doc._id, siteId: doc.assignedSite.siteId, occurredAt: now.toISOString() };
    let data;
    if (doc.kind === 'appliances') {
      data = { ...base, kind: 'appliances' as const, appliances: input.appliances! };
      doc.collected = { appliances: input.appliances!, at: now };
    } else {
      const { plate, ...rest } = input.vehicle!;
      const vehicle = { ...rest, plateMasked: maskPlate(plate) };
      data = { ...base, kind: 'vehicle' as const, vehicle };
      doc.collected = { vehicle, at: now };
    }
    const event = ctx.events(PickupEventTypes.collected, data, { subject: doc._id });
    doc.history.push(entry(doc, 'collected', principal, now, { eventId: event.id }));
    return { events: [event] };
  });
}

export interface FailInput {
  reasonCode: (typeof PICKUP_FAILURE_CODES)[number];
  note?: string;
}

/** The visit could not collect anything; the pickup is closed (a retry is a new booking). */
export function failPickup(ctx: PickupContext, principal: Principal, pickupId: string, input: FailInput) {
  return changePickup(ctx, principal, pickupId, async (doc) => {
    transition(doc, 'fail');
    const now = ctx.now();
    doc.failure = { reasonCode: input.reasonCode, ...(input.note ? { note: input.note } : {}) };
    const event = ctx.events(
      PickupEventTypes.failed,
      {
        pickupId: doc._id,
        siteId: doc.assignedSite.siteId,
        reasonCode: input.reasonCode,
        ...(input.note ? { note: input.note } : {}),
        occurredAt: now.toISOString(),
      },
      { subject: doc._id },
    );
    doc.history.push(entry(doc, 'failed', principal, now, { eventId: event.id, note: input.reasonCode }));
    return { events: [event] };
  });
}

/** The resident, the assigned operator or an administrator calls the pickup off before collection. */
export function cancelPickup(
  ctx: PickupContext,
  principal: Principal,
  pickupId: string,
  input: { reason?: string },
) {
  return changePickup(ctx, principal, pickupId, async (doc, viewer) => {
    transition(doc, 'cancel');
    const by = viewer === 'resident' ? 'resident' : viewer === 'operator' ? 'operator' : 'system';
    const now = ctx.now();
    doc.cancellation = { by, ...(input.reason ? { reason: input.reason } : {}) };
    const event = ctx.events(
      PickupEventTypes.cancelled,
      {
        pickupId: doc._id,
        by,
        ...(input.reason ? { reason: input.reason } : {}),
        occurredAt: now.toISOString(),
      },
      { subject: doc._id },
    );
    doc.history.push(entry(doc, 'cancelled', principal, now, { eventId: event.id }));
    // The visit will not happen: its seat goes back to other residents.
    const seatId = doc.seatId;
    return { events: [event], afterSave: () => ctx.seats.release(seatId, doc._id) };
  });
}

export interface RescheduleInput {
  slot: SlotRef;
}

/**
 * The resident moves the visit to another free slot before the day of the visit: a seat there is
 * claimed by insert and the old one freed once the change is saved. The visit is then planned for the
 * new slot (pickup.scheduled, as a site's re-plan is), its collector to be confirmed by the site.
 */
export function reschedulePickup(
  ctx: PickupContext,
  principal: Principal,
  pickupId: string,
  input: RescheduleInput,
) {
  return changePickup(ctx, principal, pickupId, async (doc) => {
    const current = doc.visit ?? doc.slot;
    const permission = reschedulePermission(doc.status, current.date, todayOf(ctx));
    if (!permission.allowed) {
      throw new DomainError('conflict', permission.code, `${permission.reason_zh} / ${permission.reason}.`, {
        title: { zh: '现在不能改约', en: 'Cannot reschedule now' },
        details: { status_code: doc.status },
      });
    }
    if (current.date === input.slot.date && current.window === input.slot.window) {
      throw DomainError.invalid(
        'same-slot',
        'slot.window',
        '请选择与原预约不同的时段 / Choose a slot other than the current one.',
      );
    }
    const afterSave = await moveSeat(ctx, doc, input.slot, ctx.policy.minLeadDays);
    transition(doc, 'reschedule');
    const now = ctx.now();
    doc.slot = { date: input.slot.date, window: input.slot.window };
    doc.visit = { date: input.slot.date, window: input.slot.window };
    const event = ctx.events(
      PickupEventTypes.scheduled,
      {
        pickupId: doc._id,
        siteId: doc.assignedSite.siteId,
        slot: { date: input.slot.date, window: input.slot.window },
        occurredAt: now.toISOString(),
      },
      { subject: doc._id },
    );
    doc.history.push(
      entry(doc, 'rescheduled', principal, now, {
        eventId: event.id,
        ref: { date: input.slot.date, window: input.slot.window },
      }),
    );
    return { events: [event], afterSave };
  });
}
