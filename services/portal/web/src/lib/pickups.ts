// A pickup as the pickup service answers it to its resident, and the steps it goes through.
import type { Label } from './context';

export interface Permission {
  allowed: boolean;
  until?: string;
  code?: string;
  reason?: Label;
}

export interface PickupView {
  pickupId: string;
  kind: 'appliances' | 'vehicle';
  status: string;
  statusName?: Label;
  appliances?: Array<{ category: string; count: number }>;
  vehicle?: { plate: string; vin: string; vehicleType: string };
  address: { districtCode: string; districtName?: Label; detail?: string };
  contact: { name?: string; phone: string };
  slot: { date: string; window: string };
  visit?: { date: string; window: string; collector?: { name: string; phone: string } };
  history: Array<{ status: string; event: string; at: string; note?: string; ref?: Record<string, string> }>;
  delivery?: { ref: string; at: string };
  certificate?: { certificateNo: string; at: string };
  actions?: { cancel: Permission; reschedule: Permission };
  createdAt: string;
}

export interface SlotAvailability {
  date: string;
  window: string;
  capacity: number;
  booked: number;
  available: number;
}

/** The steps of a pickup in order, as a parcel tracker shows them. */
export const trackSteps = (kind: PickupView['kind']): string[] =>
  kind === 'vehicle'
    ? ['requested', 'scheduled', 'collected', 'delivered', 'certified']
    : ['requested', 'scheduled', 'collected', 'delivered'];

/** When the pickup reached each status (the latest time, from its history). */
export function reachedAt(p: Pick<PickupView, 'history'>): Map<string, string> {
  const at = new Map<string, string>();
  for (const h of p.history) at.set(h.status, h.at);
  return at;
}
