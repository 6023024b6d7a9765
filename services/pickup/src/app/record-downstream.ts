import { applyOnceByEventId, type ApplyOutcome } from '@recycling/messaging';
import { statusAfterDownstream, type DownstreamFact } from '../domain/pickup-lifecycle';
import type { mongo } from 'mongoose';
import type { HistoryEntry, PickupDoc } from '../store/models';
import type { PickupContext } from './context';

export interface DownstreamEvent {
  eventId: string;
  fact: DownstreamFact;
  /** History label: intake-recorded, vehicle-received, certificate-issued. */
  label: string;
  occurredAt: string;
  by: 'station' | 'dismantler';
  siteId: string;
  ref: Record<string, string>;
  /** Fields to set on the pickup when the fact is new (delivery or certificate). */
  set: Record<string, unknown>;
}

/**
 * Records what the station or dismantler reported about a pickup's items: always in the history,
 * and as the status when it moves the pickup forward. Held under the pickup's lock because HTTP use
 * cases write the same document, and applied once per event id (the marker is written with the effect).
 */
export async function recordDownstream(
  ctx: PickupContext,
  pickupId: string,
  fact: DownstreamEvent,
): Promise<ApplyOutcome | 'unknown-pickup'> {
  return ctx.messaging.locks.withLock(`pickup:${pickupId}`, async () => {
    const doc = await ctx.models.Pickup.findById(pickupId, { status: 1, appliedEvents: 1 }).lean();
    if (!doc) return 'unknown-pickup';
    if (doc.appliedEvents.includes(fact.eventId)) return 'duplicate';
    const next = statusAfterDownstream(doc.status, fact.fact);
    const at = new Date(fact.occurredAt);
    const entry: HistoryEntry = {
      status: next ?? doc.status,
      event: fact.label,
      at,
      by: { role: fact.by, id: fact.siteId },
      eventId: fact.eventId,
      ref: fact.ref,
    };
    const pickups = ctx.models.Pickup.collection as unknown as mongo.Collection<PickupDoc>;
    return applyOnceByEventId(pickups, { _id: pickupId }, fact.eventId, {
      $set: { ...(next ? { status: next } : {}), ...fact.set, updatedAt: ctx.now() },
      $push: { history: entry },
    });
  });
}
