// OpenTelemetry start-up. Import nothing here that loads an instrumented library (pino, express,
// kafkajs, mongoose, http clients): the instrumentations patch a module when it is first required,
// so telemetry must start before the service loads them. `register.ts` does it from a --require.
//
// Where spans go (decided once, from the environment):
// - OTEL_SDK_DISABLED=true          → 'disabled': nothing is started.
// - spanProcessors / traceExporter  → 'custom' (tests pass an InMemorySpanExporter).
// - OTEL_TRACES_EXPORTER (not none) → 'env': the SDK builds the exporters it names.
// - OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT → 'otlp' (http/protobuf
//   unless OTEL_EXPORTER_OTLP_PROTOCOL says otherwise).
// - otherwise                       → 'local': spans are created, so trace ids reach the log lines
//   and traceparents flow through the outbox and Kafka, but nothing is exported (no noise about a
//   collector that is not there).
// Metrics are exported only where traces go to OTLP or OTEL_METRICS_EXPORTER is set. Logs stay
// JSON on stdout; they are also sent through OTLP only when OTEL_LOGS_EXPORTER is set.
import { diag, trace } from '@opentelemetry/api';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { MongooseInstrumentation } from '@opentelemetry/instrumentation-mongoose';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { NodeSDK, type NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { NoopSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';

/** An instrumentation (or a list of them) as the SDK takes it. */
export type Instrumentations = NodeSDKConfiguration['instrumentations'];

export type TelemetryMode = 'disabled' | 'custom' | 'env' | 'otlp' | 'local';

export interface TelemetryOptions {
  /** service.name; OTEL_SERVICE_NAME wins when set. */
  serviceName: string;
  serviceVersion?: string;
  /** Span processors to use instead of the environment's exporters. */
  spanProcessors?: SpanProcessor[];
  /** An exporter to use with a SimpleSpanProcessor (each span exported when it ends): for tests. */
  traceExporter?: SpanExporter;
  /** More instrumentations, on top of http, express, kafkajs, mongoose and pino. */
  instrumentations?: Instrumentations;
  /** Incoming request paths that get no span (probes). Default /healthz and /readyz. */
  ignoreIncomingPaths?: readonly string[];
  /** Read for the decisions above; default process.env (the SDK itself reads process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface Telemetry {
  readonly mode: TelemetryMode;
  readonly serviceName: string;
  /** Exports every ended span now. Spans end before they are exported: the processor waits for
   *  the resource's async attributes (host, process detectors) first, so read an in-memory exporter
   *  only after this. */
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

let active: { telemetry: Telemetry; sdk?: NodeSDK } | undefined;

/** Picks where spans go; see the top of this file. */
export function telemetryMode(env: NodeJS.ProcessEnv, custom = false): TelemetryMode {
  if (/^true$/i.test(env.OTEL_SDK_DISABLED?.trim() ?? '')) return 'disabled';
  if (custom) return 'custom';
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (exporters.length > 0 && !exporters.every((e) => e === 'none')) return 'env';
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim())
    return 'otlp';
  return 'local';
}

/** The instrumentations every service gets. */
export function defaultInstrumentations(
  options: Pick<TelemetryOptions, 'ignoreIncomingPaths'> & { logSending?: boolean } = {},
): Instrumentations {
  const ignored = new Set(options.ignoreIncomingPaths ?? ['/healthz', '/readyz']);
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) => ignored.has((req.url ?? '').split('?')[0] ?? ''),
    }),
    new ExpressInstrumentation(),
    new KafkaJsInstrumentation(),
    // No db.statement: queries carry personal values (the default serializer is off; keep it so).
    new MongooseInstrumentation(),
    new PinoInstrumentation({ disableLogSending: !options.logSending }),
  ];
}

/**
 * Starts the OpenTelemetry SDK once per process (later calls return the running one). Call it
 * before loading instrumented libraries, or use `--require @recycling/observability/register`.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (active) return active.telemetry;
  const env = options.env ?? process.env;
  const custom = Boolean(options.spanProcessors || options.traceExporter);
  const mode = telemetryMode(env, custom);
  const serviceName = env.OTEL_SERVICE_NAME?.trim() || options.serviceName;
  if (mode === 'disabled') {
    active = {
      telemetry: { mode, serviceName, forceFlush: async () => undefined, shutdown: async () => undefined },
    };
    return active.telemetry;
  }

  const logSending = Boolean(env.OTEL_LOGS_EXPORTER?.trim()) && env.OTEL_LOGS_EXPORTER?.trim() !== 'none';
  const metricsFromEnv = Boolean(env.OTEL_METRICS_EXPORTER?.trim()) || mode === 'otlp' || mode === 'env';
  let spanProcessors: SpanProcessor[] | undefined;
  if (options.spanProcessors) spanProcessors = options.spanProcessors;
  else if (options.traceExporter)
    spanProcessors = [new SimpleSpanProcessor({ exporter: options.traceExporter })];
  else if (mode === 'local') spanProcessors = [new NoopSpanProcessor()];

  const sdk = new NodeSDK({
    serviceName,
    ...(spanProcessors ? { spanProcessors } : {}),
    ...(metricsFromEnv ? {} : { metricReaders: [] }),
    ...(logSending ? {} : { logRecordProcessors: [] }),
    instrumentations: [
      ...defaultInstrumentations({ ignoreIncomingPaths: options.ignoreIncomingPaths, logSending }),
      ...(options.instrumentations ?? []),
    ],
  });
  sdk.start();
  diag.debug(`telemetry started for ${serviceName} (${mode})`);

  const telemetry: Telemetry = {
    mode,
    serviceName,
    forceFlush: async () => {
      // NodeSDK does not expose its provider; the global one is a proxy delegating to it.
      const proxy = trace.getTracerProvider() as { getDelegate?: () => unknown };
      const provider = (proxy.getDelegate?.() ?? proxy) as { forceFlush?: () => Promise<void> };
      await provider.forceFlush?.();
    },
    shutdown: async () => {
      if (active?.sdk !== sdk) return;
      active = undefined;
      await sdk.shutdown();
    },
  };
  active = { telemetry, sdk };
  return telemetry;
}

/** Flushes and stops the running SDK (no-op when none runs). Call it last in a shutdown. */
export async function shutdownTelemetry(): Promise<void> {
  await active?.telemetry.shutdown();
  active = undefined;
}

/** The running telemetry, if any. */
export function activeTelemetry(): Telemetry | undefined {
  return active?.telemetry;
}

/** service.name for a process started by a package script: OTEL_SERVICE_NAME or the package name
 *  without its scope (`@recycling/pickup` → `pickup`). */
export function serviceNameFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const name = env.OTEL_SERVICE_NAME?.trim() || env.npm_package_name?.trim() || 'unknown_service:node';
  return name.replace(/^@[^/]+\//, '');
}
