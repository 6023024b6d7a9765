import { statusAfterDownstream, type DownstreamFact } from '../domain/pickup-lifecycle';
import type { HistoryEntry } from '../store/models';
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
 * and as the status when it moves the pickup forward. Applied once per event id.
 */
export function recordDownstream(ctx: PickupContext, pickupId: string, fact: DownstreamEvent) {
  return ctx.pickups.applyOnce(pickupId, fact.eventId, (doc) => {
    const next = statusAfterDownstream(doc.status, fact.fact);
    const entry: HistoryEntry = {
      status: next ?? doc.status,
      event: fact.label,
      at: new Date(fact.occurredAt),
      by: { role: fact.by, id: fact.siteId },
      eventId: fact.eventId,
      ref: fact.ref,
    };
    if (next) doc.status = next;
    doc.set(fact.set);
    doc.history.push(entry);
  });
}
