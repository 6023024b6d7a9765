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
export const pickupsConsumer = (ctx: SortingContext): ConsumerSpec => ({
  name: 'expected-arrivals',
  topics: [pickupsTopic.name],
  handlers: {
    [PickupEventTypes.requested]: (event) => onPickupRequested(ctx, event),
    [PickupEventTypes.scheduled]: (event) => onPickupScheduled(ctx, event),
    [PickupEventTypes.collected]: (event) => onPickupCollected(ctx, event),
    [PickupEventTypes.cancelled]: (event) => onPickupCancelled(ctx, event),
    [PickupEventTypes.failed]: (event) => onPickupFailed(ctx, event),
  },
});
