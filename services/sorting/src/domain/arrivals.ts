import type { PickupAppliance } from '@recycling/contracts';
import type { ArrivalStatus } from '../store/models';

// Which pickups the desk should expect: booked for this station and neither called off, failed nor
// already received. What the crew reported taking replaces what was booked once it is known.

export const OPEN_ARRIVAL_STATUSES: readonly ArrivalStatus[] = ['requested', 'scheduled', 'collected'];

export const expectedItems = (arrival: { booked: PickupAppliance[]; collected?: PickupAppliance[] }) =>
  arrival.collected ?? arrival.booked;
