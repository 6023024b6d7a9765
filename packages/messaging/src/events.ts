// Building an event: validated against its schema at the moment it is created, so an invalid
// event never reaches the store or the broker.
import { randomUUID } from 'node:crypto';
import type { EventCatalog } from './catalog';
import { currentTraceContext, type StoredTraceContext } from '@recycling/observability';

export interface PendingEvent extends StoredTraceContext {
  id: string;
  topic: string;
  key: string;
  type: string;
  source: string;
  time: string;
  subject?: string;
  data: unknown;
}

export class InvalidEventError extends Error {
  constructor(
    readonly eventType: string,
    readonly reason: string,
  ) {
    super(`invalid ${eventType} event: ${reason}`);
    this.name = 'InvalidEventError';
  }
}

export interface EventFactoryOptions {
  catalog: EventCatalog;
  /** CloudEvents source of this service, e.g. `urn:recycling:659002:pickup`. */
  source: string;
  now?: () => Date;
}

export type EventFactory = (
  type: string,
  data: unknown,
  options?: { subject?: string; id?: string },
) => PendingEvent;

export function createEventFactory({
  catalog,
  source,
  now = () => new Date(),
}: EventFactoryOptions): EventFactory {
  return (type, data, options = {}) => {
    const topic = catalog.topicOf(type);
    if (!topic) throw new InvalidEventError(type, 'unknown event type');
    const decoded = catalog.decode(type, data);
    if (!decoded.ok) throw new InvalidEventError(type, decoded.reason);
    const event: PendingEvent = {
      id: options.id ?? randomUUID(),
      topic,
      key: catalog.keyOf(type, decoded.data),
      type,
      source,
      time: now().toISOString(),
      // Through JSON once: optional fields left `undefined` would be stored as null by the raw driver,
      // and the consumers' schemas refuse null where a field may only be absent.
      data: JSON.parse(JSON.stringify(decoded.data)) as unknown,
      ...currentTraceContext(),
    };
    if (options.subject !== undefined) event.subject = options.subject;
    return event;
  };
}
