import type { PickupAppliance } from '@recycling/contracts';
import { conflictOn } from './refusals';

// Which pickups the desk should expect: booked for this station and neither called off, failed nor
// already received. What the crew reported taking replaces what was booked once it is known.

export const ARRIVAL_STATUSES = ['requested', 'scheduled', 'collected', 'cancelled', 'failed'] as const;
export type ArrivalStatus = (typeof ARRIVAL_STATUSES)[number];

export const OPEN_ARRIVAL_STATUSES: readonly ArrivalStatus[] = ['requested', 'scheduled', 'collected'];

export const expectedItems = (arrival: { booked: PickupAppliance[]; collected?: PickupAppliance[] }) =>
  arrival.collected ?? arrival.booked;

/** What the desk knows of a pickup when it receives its goods. */
export interface ArrivalFacts {
  stationId: string;
  status: ArrivalStatus;
}

/**
 * One pickup, one intake, at the station it was assigned to, unless it was called off. An arrival
 * not known yet (its events are late) does not stop the desk: the goods are recorded all the same.
 */
export function checkReceivable(
  pickupId: string,
  stationId: string,
  arrival: ArrivalFacts | null,
  earlierIntakeId: string | undefined,
): void {
  if (earlierIntakeId) {
    throw conflictOn(
      'pickup-already-received',
      'source.pickupId',
      `该上门回收单已入库 (${earlierIntakeId}) / Pickup ${pickupId} was already received as ${earlierIntakeId}`,
    );
  }
  if (!arrival) return;
  if (arrival.stationId !== stationId) {
    throw conflictOn(
      'pickup-of-another-station',
      'source.pickupId',
      `该上门回收单分配给其他回收站 / Pickup ${pickupId} is assigned to another station`,
    );
  }
  if (arrival.status === 'cancelled' || arrival.status === 'failed') {
    throw conflictOn(
      'pickup-closed',
      'source.pickupId',
      `该上门回收单已${arrival.status === 'cancelled' ? '取消' : '失败关闭'} / Pickup ${pickupId} is ${arrival.status}`,
    );
  }
}
