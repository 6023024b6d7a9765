import type { PickupStatus } from '@recycling/contracts';
import { addDays, daysBetween } from './local-dates';

// The pickup's state machine. Operator actions move it up to `collected`; `delivered` and
// `certified` follow from the station's and the dismantler's events, which report what happened to
// the items whatever the crew remembered to record (a crew that forgot to mark a vehicle collected
// must not keep the resident's pickup stuck at `scheduled` once the dismantler has it).

export type PickupAction = 'schedule' | 'collect' | 'fail' | 'cancel' | 'reschedule';

const allowedFrom: Record<PickupAction, readonly PickupStatus[]> = {
  // A later pickup.scheduled replaces the visit (rescheduling).
  schedule: ['requested', 'scheduled'],
  collect: ['scheduled'],
  fail: ['requested', 'scheduled'],
  // Residents may cancel until the crew has the items.
  cancel: ['requested', 'scheduled'],
  // A resident moves the visit to another free slot (before the day of the visit, see
  // decideReschedule); the visit is then planned for that slot, the collector to be confirmed.
  reschedule: ['requested', 'scheduled'],
};

export const targetOf: Record<PickupAction, PickupStatus> = {
  schedule: 'scheduled',
  collect: 'collected',
  fail: 'failed',
  cancel: 'cancelled',
  reschedule: 'scheduled',
};

export type Decision = { ok: true; to: PickupStatus } | { ok: false; reason: string; reason_zh: string };

const statusZh: Record<PickupStatus, string> = {
  requested: '已预约',
  scheduled: '已安排上门',
  collected: '已取走',
  delivered: '已入库',
  certified: '已出具回收证明',
  cancelled: '已取消',
  failed: '未能完成',
};

/** Whether an operator or resident action may happen in the current status. */
export const decideAction = (status: PickupStatus, action: PickupAction): Decision => {
  if (allowedFrom[action].includes(status)) return { ok: true, to: targetOf[action] };
  return {
    ok: false,
    reason: `cannot ${action} a pickup that is ${status}`,
    reason_zh: `预约当前状态为"${statusZh[status]}"，不能${actionZh[action]}`,
  };
};

const actionZh: Record<PickupAction, string> = {
  schedule: '安排上门',
  collect: '登记取走',
  fail: '登记失败',
  cancel: '取消',
  reschedule: '改约',
};

export type DownstreamFact = 'delivered' | 'certified';

/**
 * The status after a downstream fact, or undefined when it does not move the pickup (already there or
 * beyond, or the pickup was closed without collection: the fact is still recorded in the history).
 */
export const statusAfterDownstream = (
  status: PickupStatus,
  fact: DownstreamFact,
): PickupStatus | undefined => {
  const rank: Partial<Record<PickupStatus, number>> = {
    requested: 0,
    scheduled: 1,
    collected: 2,
    delivered: 3,
    certified: 4,
  };
  const current = rank[status];
  if (current === undefined) return undefined; // cancelled or failed stay closed
  return current < rank[fact]! ? fact : undefined;
};

export const isOpen = (status: PickupStatus): boolean => status === 'requested' || status === 'scheduled';

/** Whether a resident may do something now, and if not why and what to do instead. */
export type Permission =
  { allowed: true; until?: string } | { allowed: false; code: string; reason_zh: string; reason: string };

/**
 * A resident may move the visit until the day before it: on the day the crew is already planned,
 * so the resident calls the collector (or cancels and books again).
 */
export const reschedulePermission = (status: PickupStatus, visitDate: string, today: string): Permission => {
  const decision = decideAction(status, 'reschedule');
  if (!decision.ok) {
    return { allowed: false, code: 'invalid-status', reason_zh: decision.reason_zh, reason: decision.reason };
  }
  if (daysBetween(today, visitDate) < 1) {
    return {
      allowed: false,
      code: 'reschedule-too-late',
      reason_zh: '上门当天不能在线改约，请直接联系回收员，或取消后重新预约',
      reason: 'Not on the day of the visit: call the collector, or cancel and book again',
    };
  }
  return { allowed: true, until: addDays(visitDate, -1) };
};

/** A resident may cancel until the crew has the items. */
export const cancelPermission = (status: PickupStatus): Permission => {
  const decision = decideAction(status, 'cancel');
  return decision.ok
    ? { allowed: true }
    : { allowed: false, code: 'invalid-status', reason_zh: decision.reason_zh, reason: decision.reason };
};
