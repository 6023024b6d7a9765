import {
  PickupEventTypes,
  parseEventSource,
  pickupsTopic,
  type DomainEvent,
  type PickupRequestedData,
} from '@recycling/contracts';
import type { ConsumerSpec } from '@recycling/messaging';
import type { InvoicingContext } from '../app/context';
import { recordResidentPickup } from '../app/resident-invoices';

/**
 * Remembers which pickups each resident booked (pickup.requested carries the pickup id and the
 * resident's key, nothing personal), so a resident can find the invoices of the purchases that came
 * through them. Idempotent: adding a pickup id the list holds changes nothing, so a redelivery or a
 * replay from the start is harmless. The other pickup events tell invoicing nothing it needs.
 */
export function pickupsConsumer(ctx: InvoicingContext): ConsumerSpec {
  const requested = async (event: DomainEvent<PickupRequestedData>) => {
    // Another city's network may share the broker (decision 1): its pickups are not ours.
    if (parseEventSource(event.source)?.cityCode !== ctx.profile.code) return;
    await recordResidentPickup(ctx, event.data.residentKey, event.data.pickupId);
  };
  return {
    name: 'pickups',
    topics: [pickupsTopic.name],
    handlers: { [PickupEventTypes.requested]: requested },
  };
}
