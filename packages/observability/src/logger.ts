// The one way a service logs: pino, JSON lines on stdout, personal data scrubbed (see redaction.ts).
// Trace correlation (trace_id, span_id, trace_flags) is added by OpenTelemetry's pino instrumentation
// when telemetry was started before pino was first loaded (the `register` entry does that).
import { hostname } from 'node:os';
import { pino, stdSerializers, stdTimeFunctions } from 'pino';
import type {
  Bindings,
  ChildLoggerOptions,
  DestinationStream,
  Level,
  Logger as PinoLogger,
  LoggerOptions as PinoOptions,
} from 'pino';
import { REDACTED, REDACT_PATHS, createScrubber, errorToObject } from './redaction';

export type Logger = PinoLogger;
export type LogLevel = Level | 'silent';

export interface LoggerOptions {
  /** The service name, written on every line as `service`. */
  service: string;
  /** Default `info`. */
  level?: LogLevel | string;
  /** Where lines go; default stdout. Tests pass a stream that collects them. */
  destination?: DestinationStream;
  /** More keys whose values are personal data, on top of PERSONAL_DATA_KEYS. */
  redactKeys?: readonly string[];
  /** More fields for every line. */
  base?: Record<string, unknown>;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Serializers for the keys services use: `err` (type, message without store values, stack),
 * `req` and `res` as pino-http logs them (method, path without the query string, status).
 */
export function createSerializers(scrub: (value: unknown) => unknown): PinoOptions['serializers'] {
  return {
    err: (err: unknown) => (err instanceof Error ? scrub(errorToObject(err)) : scrub(err)),
    req: (req: Parameters<typeof stdSerializers.req>[0]) => {
      const r = stdSerializers.req(req);
      // The query string can hold personal data (a phone number to search by): log the path only.
      return { id: r.id, method: r.method, url: String(r.url ?? '').split('?')[0], headers: r.headers };
    },
    res: (res: Parameters<typeof stdSerializers.res>[0]) => {
      const r = stdSerializers.res(res);
      return { statusCode: r.statusCode, headers: r.headers };
    },
  };
}

export function createLogger(options: LoggerOptions): Logger {
  const scrub = createScrubber({ keys: options.redactKeys });
  const serializers = createSerializers(scrub) ?? {};
  const serializedKeys = new Set(Object.keys(serializers));
  const pinoOptions: PinoOptions = {
    level: options.level ?? 'info',
    base: { service: options.service, pid: process.pid, hostname: hostname(), ...options.base },
    timestamp: stdTimeFunctions.isoTime,
    messageKey: 'msg',
    errorKey: 'err',
    serializers,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => scrub(bindings) as Record<string, unknown>,
      log: (record) => scrubRecord(record),
    },
  };
  const logger = options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
  // pino does not run formatters.bindings on a child's bindings: scrub them on the way in. Children
  // inherit this method (a child is created from its parent's prototype), so grandchildren too.
  const child = logger.child as unknown as (
    this: Logger,
    bindings: Bindings,
    options?: ChildLoggerOptions,
  ) => Logger;
  logger.child = function scrubbedChild(this: Logger, bindings: Bindings, options?: ChildLoggerOptions) {
    return child.call(this, scrubRecord(bindings), options);
  } as unknown as Logger['child'];
  return logger;

  function scrubRecord(record: Record<string, unknown>): Record<string, unknown> {
    // Keys with a serializer are shaped (and scrubbed) there; everything else is walked here.
    const walked: Record<string, unknown> = {};
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) (serializedKeys.has(key) ? kept : walked)[key] = value;
    return { ...(scrub(walked) as Record<string, unknown>), ...kept };
  }
}
