import type { PickupStatus } from '@recycling/contracts';

// The pickup's state machine. Operator actions move it up to `collected`; `delivered` and
// `certified` follow from the station's and the dismantler's events, which report what happened to
// the items whatever the crew remembered to record (a crew that forgot to mark a vehicle collected
// must not keep the resident's pickup stuck at `scheduled` once the dismantler has it).

export type PickupAction = 'schedule' | 'collect' | 'fail' | 'cancel';

const allowedFrom: Record<PickupAction, readonly PickupStatus[]> = {
  // A later pickup.scheduled replaces the visit (rescheduling).
  schedule: ['requested', 'scheduled'],
  collect: ['scheduled'],
  fail: ['requested', 'scheduled'],
  // Residents may cancel until the crew has the items.
  cancel: ['requested', 'scheduled'],
};

export const targetOf: Record<PickupAction, PickupStatus> = {
  schedule: 'scheduled',
  collect: 'collected',
  fail: 'failed',
  cancel: 'cancelled',
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
