import {
  PickupEventTypes,
  parseEventSource,
  pickupsTopic,
  type DomainEvent,
  type PickupRequestedData,
} from '@recycling/contracts';
import type { ConsumerSpec } from '@recycling/messaging';
import type { AppContext } from '../app/context';

const isDuplicateKey = (error: unknown) => (error as { code?: number } | null)?.code === 11000;

/**
 * Remembers which resident booked each pickup (pickup.requested carries the pickup id and the
 * resident's key, nothing personal), so a resident can find the invoices of the purchases that came
 * through their pickups. Idempotent: the pickup id is the document id, inserted once; a redelivery
 * or a replay from the start hits the duplicate key and changes nothing. The other pickup events
 * tell invoicing nothing it needs.
 */
export function pickupsConsumer(ctx: Pick<AppContext, 'models' | 'profile' | 'logger'>): ConsumerSpec {
  const requested = async (event: DomainEvent<PickupRequestedData>) => {
    // Another city's network may share the broker (decision 1): its pickups are not ours.
    if (parseEventSource(event.source)?.cityCode !== ctx.profile.code) return;
    try {
      await ctx.models.PickupResident.collection.insertOne({
        _id: event.data.pickupId,
        residentKey: event.data.residentKey,
        requestedAt: new Date(event.data.occurredAt),
        recordedAt: new Date(),
      } as never);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  };
  return {
    name: 'pickups',
    topics: [pickupsTopic.name],
    handlers: { [PickupEventTypes.requested]: requested },
  };
}
