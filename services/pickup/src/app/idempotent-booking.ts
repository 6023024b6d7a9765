import {
  idempotent,
  principalOf,
  type IdempotencyGuard,
  type IdempotencyHeaderSchema,
} from '@recycling/service-kit';
import { residentIdOf } from '../domain/access';
import { newPickupId } from './book-pickup';
import { todayOf, type PickupContext } from './context';

// Idempotency-Key on booking, through the shared guard: keys are per resident, and the pickup id is
// reserved with the key, so a retry that takes over a claim left by a crash books under the same id
// and finds what the crashed attempt made (its seat, its pickup).

export { requestHashOf } from '@recycling/service-kit';

export function bookingIdempotency(ctx: PickupContext, header: IdempotencyHeaderSchema): IdempotencyGuard {
  // Created on first use: the route table is also built without a store (for the OpenAPI document).
  let guard: IdempotencyGuard | undefined;
  return (req, res, work) => {
    guard ??= idempotent({
      connection: ctx.models.Idempotency.db,
      collection: ctx.models.Idempotency.collection.collectionName,
      scopeOf: (r) => residentIdOf(principalOf(r)),
      reserve: { field: 'pickupId', make: () => newPickupId(todayOf(ctx)) },
      header,
      staleAfterMs: 60_000,
      now: () => ctx.now(),
    });
    return guard(req, res, work);
  };
}
