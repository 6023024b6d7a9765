// W3C trace context across HTTP, the outbox and Kafka.
//
// The flow: an HTTP request runs in a server span. The use case saves the state change with its
// pending events and `currentTraceparent()` beside them (same document). Later the outbox relay
// loads the events and publishes each group under `contextFromTraceparent(stored)`, inside a span of
// its own (`inSpan('outbox publish', { parent })`). kafkajs' instrumentation starts its `send <topic>`
// span as a child of the active context and writes that span's `traceparent` into the message
// headers (overwriting one written by `injectTraceContext`, which is the fallback when the
// instrumentation is off: both are the same trace). The consumer side's instrumentation extracts the
// headers and runs `eachMessage` in a `process <topic>` span that is a child of the producer's send;
// code that handles messages outside the instrumentation uses `extractTraceContext(headers)`.
//
// Consumers read a fetched batch at a time: the runner runs each event's handler in a `process
// <topic>` span whose parent is the context in that message's headers (so a handler still runs in
// the trace of the request that made the event), and a batch handler in one span linked to each.
//
// Header carriers use the global propagator (W3C trace context + baggage by default, as the
// instrumentations do). Stored traceparents are W3C strings whatever OTEL_PROPAGATORS says, so the
// outbox format does not depend on configuration.
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { safeErrorMessage } from './redaction';

/** A header value as HTTP (string | string[]) or kafkajs (Buffer | string | arrays) delivers it. */
export type HeaderValue = string | Buffer | ReadonlyArray<string | Buffer> | undefined | null;
export type HeaderCarrier = Readonly<Record<string, HeaderValue>>;

/** traceparent and tracestate as stored beside outbox events. */
export interface StoredTraceContext {
  traceparent?: string;
  tracestate?: string;
}

const w3c = new W3CTraceContextPropagator();

const headerGetter: TextMapGetter<HeaderCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key] ?? carrier[key.toLowerCase()];
    if (value === undefined || value === null) return undefined;
    const first = Array.isArray(value)
      ? (value as ReadonlyArray<string | Buffer>)[0]
      : (value as string | Buffer);
    return first === undefined ? undefined : first.toString();
  },
};

/**
 * Writes the active (or given) context into `carrier` — `traceparent`, and `tracestate`/`baggage`
 * when present — and returns it. Nothing is written when there is no valid span context.
 */
export function injectTraceContext<T extends Record<string, string>>(
  carrier: T,
  ctx: Context = context.active(),
): T {
  propagation.inject(ctx, carrier);
  return carrier;
}

/** The context carried by message or request headers (string, Buffer or array values). */
export function extractTraceContext(
  headers: HeaderCarrier | undefined,
  base: Context = ROOT_CONTEXT,
): Context {
  if (!headers) return base;
  return propagation.extract(base, headers, headerGetter);
}

/** Runs `fn` with `ctx` active (spans started inside are its children). */
export function withContext<T>(ctx: Context, fn: () => T): T {
  return context.with(ctx, fn);
}

/** The W3C traceparent of the active (or given) span, or undefined outside any trace. */
export function currentTraceparent(ctx: Context = context.active()): string | undefined {
  return currentTraceContext(ctx).traceparent;
}

/** traceparent and tracestate of the active span, for storing beside outbox events. */
export function currentTraceContext(ctx: Context = context.active()): StoredTraceContext {
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, { set: (c, k, v) => void (c[k] = v) });
  const out: StoredTraceContext = {};
  if (carrier.traceparent) out.traceparent = carrier.traceparent;
  if (carrier.tracestate) out.tracestate = carrier.tracestate;
  return out;
}

/** The active trace id, for log lines or problem responses; undefined outside any trace. */
export function currentTraceId(ctx: Context = context.active()): string | undefined {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/**
 * The context whose remote parent is a stored traceparent; `base` (root) when it is missing or
 * malformed, so a bad value never breaks publishing.
 */
export function contextFromTraceparent(
  stored: string | StoredTraceContext | undefined | null,
  base: Context = ROOT_CONTEXT,
): Context {
  const tc: StoredTraceContext = typeof stored === 'string' ? { traceparent: stored } : (stored ?? {});
  if (!tc.traceparent) return base;
  const carrier: Record<string, string> = { traceparent: tc.traceparent };
  if (tc.tracestate) carrier.tracestate = tc.tracestate;
  return w3c.extract(base, carrier, { keys: (c) => Object.keys(c), get: (c, k) => c[k] });
}

export interface SpanOptions {
  /** Parent context; default the active one. */
  parent?: Context;
  kind?: SpanKind;
  attributes?: Attributes;
  links?: Link[];
  /** Tracer name; default '@recycling/observability'. */
  tracer?: string;
}

/**
 * Runs `fn` inside a new active span, which ends when `fn` settles; a thrown error is recorded and
 * sets the span's status to error before it is rethrown.
 */
export async function inSpan<T>(
  name: string,
  options: SpanOptions,
  fn: (span: Span) => Promise<T> | T,
): Promise<T> {
  const tracer = trace.getTracer(options.tracer ?? '@recycling/observability');
  const parent = options.parent ?? context.active();
  return tracer.startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (err) {
        // Store errors quote the values they failed on: record the message without them.
        const message = err instanceof Error ? safeErrorMessage(err) : String(err);
        span.recordException({ name: err instanceof Error ? err.name : 'Error', message });
        span.setStatus({ code: SpanStatusCode.ERROR, message });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

export { ROOT_CONTEXT, SpanKind };

/** The span context a context carries, if any (for links from a batch to the traces it serves). */
export const spanContextOf = (ctx: Context) => trace.getSpanContext(ctx);
