import { z } from 'zod';
import { IsoUtc } from '../scalars';
import type { DomainEvent } from './domain-event';
import { EventSource, EventTypeName } from './naming';

// CloudEvents 1.0, Kafka protocol binding, binary content mode: attributes travel as `ce_` headers
// and the record value is the JSON data alone. The body therefore stays a plain JSON document that
// the published JSON Schemas describe, and brokers' tooling can route on headers without parsing it.

export const CONTENT_TYPE_JSON = 'application/json';

export const CloudEventHeaders = z
  .object({
    ce_specversion: z.literal('1.0'),
    ce_id: z.uuid(),
    ce_type: EventTypeName,
    ce_source: EventSource,
    ce_time: IsoUtc,
    ce_subject: z.string().min(1).max(200).optional(),
    'content-type': z.literal(CONTENT_TYPE_JSON),
    // W3C trace context, so a trace follows an event through the outbox and every consumer.
    traceparent: z
      .string()
      .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/)
      .optional(),
    tracestate: z.string().max(512).optional(),
  })
  .describe('Kafka headers of every event (CloudEvents 1.0, Kafka binding, binary mode)');
export type CloudEventHeaders = z.infer<typeof CloudEventHeaders>;

export interface TraceContext {
  readonly traceparent?: string;
  readonly tracestate?: string;
}

/** The headers to send with an event; the record value is JSON.stringify(event.data). */
export const toCloudEventHeaders = (event: DomainEvent, trace: TraceContext = {}): CloudEventHeaders => {
  const headers: CloudEventHeaders = {
    ce_specversion: '1.0',
    ce_id: event.id,
    ce_type: event.type,
    ce_source: event.source,
    ce_time: event.time,
    'content-type': CONTENT_TYPE_JSON,
  };
  if (event.subject !== undefined) headers.ce_subject = event.subject;
  if (trace.traceparent !== undefined) headers.traceparent = trace.traceparent;
  if (trace.tracestate !== undefined) headers.tracestate = trace.tracestate;
  return headers;
};

// kafkajs gives header values as Buffer, string, or arrays of them (a repeated header).
const headerText = (value: unknown): unknown => {
  const first = Array.isArray(value) ? value[0] : value;
  return Buffer.isBuffer(first) ? first.toString('utf8') : first;
};

export type HeadersResult =
  | { readonly ok: true; readonly headers: CloudEventHeaders }
  | { readonly ok: false; readonly issues: readonly z.core.$ZodIssue[] };

/** Reads and validates the CloudEvents headers of a received record; other headers are ignored. */
export const readCloudEventHeaders = (raw: Readonly<Record<string, unknown>>): HeadersResult => {
  const texts: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) texts[name.toLowerCase()] = headerText(value);
  const result = CloudEventHeaders.safeParse(texts);
  return result.success ? { ok: true, headers: result.data } : { ok: false, issues: result.error.issues };
};

export const domainEventFrom = <T>(headers: CloudEventHeaders, data: T): DomainEvent<T> => ({
  id: headers.ce_id,
  type: headers.ce_type,
  source: headers.ce_source,
  time: headers.ce_time,
  ...(headers.ce_subject !== undefined ? { subject: headers.ce_subject } : {}),
  data,
});
