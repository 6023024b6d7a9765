import { z } from 'zod';

// Event types are city-neutral (`recycling.<aggregate>.<fact>.v<n>`) so one consumer build serves
// every city; the city is in ce_source (`urn:recycling:<city code>:<service>`), which also tells which
// service wrote the event. See README, "Envelope".

export const EVENT_TYPE_PATTERN = /^recycling\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[1-9]\d*$/;

export const EventTypeName = z
  .string()
  .regex(EVENT_TYPE_PATTERN, 'recycling.<aggregate>.<fact>.v<n>')
  .describe('Event type, e.g. recycling.pickup.requested.v1');

const SOURCE_PATTERN = /^urn:recycling:(\d{6}):([a-z][a-z0-9-]*)$/;

export const EventSource = z
  .string()
  .regex(SOURCE_PATTERN, 'urn:recycling:<6-digit city code>:<service>')
  .describe('Writer of the event, e.g. urn:recycling:659002:pickup');

export const eventSource = (cityCode: string, service: string): string => {
  const source = `urn:recycling:${cityCode}:${service}`;
  if (!SOURCE_PATTERN.test(source)) throw new Error(`invalid event source ${source}`);
  return source;
};

export const parseEventSource = (source: string): { cityCode: string; service: string } | undefined => {
  const m = SOURCE_PATTERN.exec(source);
  return m ? { cityCode: m[1] as string, service: m[2] as string } : undefined;
};

/** The version suffix of an event type: recycling.pickup.requested.v2 -> 2. */
export const eventTypeVersion = (type: string): number | undefined => {
  const m = /\.v(\d+)$/.exec(type);
  return m ? Number(m[1]) : undefined;
};
