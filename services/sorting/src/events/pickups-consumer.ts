import { PickupEventTypes, pickupsTopic } from '@recycling/contracts';
import type { ConsumerSpec } from '@recycling/messaging';
import {
  onPickupCancelled,
  onPickupCollected,
  onPickupFailed,
  onPickupRequested,
  onPickupScheduled,
} from '../app/arrivals';
import type { SortingContext } from '../app/context';

/** recycling.pickups.v1 → expected arrivals. The runner has validated each event's data. */
export const pickupsConsumer = (context: () => Promise<SortingContext>): ConsumerSpec => ({
  name: 'expected-arrivals',
  topics: [pickupsTopic.name],
  handlers: {
    [PickupEventTypes.requested]: async (event) => onPickupRequested(await context(), event),
    [PickupEventTypes.scheduled]: async (event) => onPickupScheduled(await context(), event),
    [PickupEventTypes.collected]: async (event) => onPickupCollected(await context(), event),
    [PickupEventTypes.cancelled]: async (event) => onPickupCancelled(await context(), event),
    [PickupEventTypes.failed]: async (event) => onPickupFailed(await context(), event),
  },
});
