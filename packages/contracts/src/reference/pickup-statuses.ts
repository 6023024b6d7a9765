import { z } from 'zod';
import type { Label } from '../labels';

// The status a resident sees. Only requested..failed come from pickup events; `delivered` and
// `certified` are set by the pickup service when the intake (appliances) or vehicle events that
// mention the pickup arrive, which closes the loop without a pickup.delivered event.
//
// A missed visit that will be retried is a new pickup.scheduled, not a failure: `failed` closes the
// pickup for good.

export const PICKUP_STATUS_CODES = [
  'requested',
  'scheduled',
  'collected',
  'delivered',
  'certified',
  'cancelled',
  'failed',
] as const;

export const PickupStatus = z.enum(PICKUP_STATUS_CODES).describe('Pickup status code');
export type PickupStatus = z.infer<typeof PickupStatus>;

export interface PickupStatusInfo {
  readonly code: PickupStatus;
  readonly name: Label;
  /**
   * No further status follows, whatever the pickup's kind. `delivered` is not terminal because a
   * vehicle goes on to `certified`, though it is the last status an appliance pickup reaches.
   */
  readonly terminal: boolean;
}

export const pickupStatuses: Readonly<Record<PickupStatus, PickupStatusInfo>> = {
  requested: { code: 'requested', name: { zh: '已预约', en: 'Requested' }, terminal: false },
  scheduled: { code: 'scheduled', name: { zh: '已安排上门', en: 'Scheduled' }, terminal: false },
  collected: { code: 'collected', name: { zh: '已取走', en: 'Collected' }, terminal: false },
  delivered: { code: 'delivered', name: { zh: '已入库', en: 'Delivered' }, terminal: false },
  certified: {
    code: 'certified',
    name: { zh: '已出具回收证明', en: 'Recycling certificate issued' },
    terminal: true,
  },
  cancelled: { code: 'cancelled', name: { zh: '已取消', en: 'Cancelled' }, terminal: true },
  failed: { code: 'failed', name: { zh: '未能完成', en: 'Failed' }, terminal: true },
};
