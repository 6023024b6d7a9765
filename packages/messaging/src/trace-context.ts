// W3C trace context carried across the outbox: the traceparent of the request that changed the
// state is saved with the pending event, and the relay publishes under it, so one trace runs from
// the HTTP request through the store and Kafka into every consumer.
import { ROOT_CONTEXT, context, propagation, type Context } from '@opentelemetry/api';

export interface StoredTraceContext {
  traceparent?: string;
  tracestate?: string;
}

export function captureTraceContext(): StoredTraceContext {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const out: StoredTraceContext = {};
  if (carrier.traceparent) out.traceparent = carrier.traceparent;
  if (carrier.tracestate) out.tracestate = carrier.tracestate;
  return out;
}

export function contextFrom(stored: StoredTraceContext | Record<string, string | undefined>): Context {
  const carrier: Record<string, string> = {};
  for (const [k, v] of Object.entries(stored)) if (typeof v === 'string') carrier[k] = v;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** Adds traceparent/tracestate of the active context to Kafka headers, keeping existing ones. */
export function injectInto(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}
