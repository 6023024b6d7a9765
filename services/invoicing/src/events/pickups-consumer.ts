import {
  PickupEventTypes,
  parseEventSource,
  pickupsTopic,
  type DomainEvent,
  type PickupRequestedData,
} from '@recycling/contracts';
import type { ConsumerSpec } from '@recycling/messaging';
import type { AppContext } from '../app/context';
import { addToIdList } from '../store/id-index';

/**
 * Remembers which pickups each resident booked (pickup.requested carries the pickup id and the
 * resident's key, nothing personal), so a resident can find the invoices of the purchases that came
 * through them. Idempotent: adding a pickup id the list holds changes nothing, so a redelivery or a
 * replay from the start is harmless. A resident's pickups arrive on many partitions, hence the lock.
 * The other pickup events tell invoicing nothing it needs.
 */
export function pickupsConsumer(ctx: AppContext, ready: Promise<unknown>): ConsumerSpec {
  const requested = async (event: DomainEvent<PickupRequestedData>) => {
    // Another city's network may share the broker (decision 1): its pickups are not ours.
    if (parseEventSource(event.source)?.cityCode !== ctx.profile.code) return;
    // The locks come with messaging, which starts the consumers before it returns them.
    await ready;
    const { residentKey, pickupId } = event.data;
    await ctx.messaging.locks.withLock(`resident-pickups:${residentKey}`, () =>
      addToIdList(ctx.models.ResidentPickups, residentKey, 'pickupIds', [pickupId]),
    );
  };
  return {
    name: 'pickups',
    topics: [pickupsTopic.name],
    handlers: { [PickupEventTypes.requested]: requested },
  };
}
