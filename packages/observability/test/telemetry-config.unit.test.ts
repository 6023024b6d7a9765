import { ROOT_CONTEXT } from '@opentelemetry/api';
import {
  contextFromTraceparent,
  currentTraceContext,
  currentTraceparent,
  extractTraceContext,
  serviceNameFromEnv,
  telemetryMode,
} from '../src';

describe('telemetryMode', () => {
  it.each([
    [{}, false, 'local'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, false, 'otlp'],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }, false, 'otlp'],
    [{ OTEL_TRACES_EXPORTER: 'console' }, false, 'env'],
    [{ OTEL_TRACES_EXPORTER: 'none' }, false, 'local'],
    [{ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318' }, false, 'otlp'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318' }, true, 'custom'],
    [{ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318' }, true, 'disabled'],
  ])('%j (custom processors: %s) → %s', (env, custom, mode) => {
    expect(telemetryMode(env, custom)).toBe(mode);
  });
});

describe('serviceNameFromEnv', () => {
  it('prefers OTEL_SERVICE_NAME, then the package name without its scope', () => {
    expect(serviceNameFromEnv({ OTEL_SERVICE_NAME: 'pickup-a', npm_package_name: '@recycling/pickup' })).toBe(
      'pickup-a',
    );
    expect(serviceNameFromEnv({ npm_package_name: '@recycling/pickup' })).toBe('pickup');
    expect(serviceNameFromEnv({})).toBe('unknown_service:node');
  });
});

describe('stored trace context', () => {
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('round-trips a stored traceparent and tracestate without a running SDK', () => {
    const ctx = contextFromTraceparent({ traceparent, tracestate: 'city=bj' });
    expect(currentTraceparent(ctx)).toBe(traceparent);
    expect(currentTraceContext(ctx)).toEqual({ traceparent, tracestate: 'city=bj' });
  });

  it('returns the base context for a missing or malformed traceparent', () => {
    expect(contextFromTraceparent(undefined)).toBe(ROOT_CONTEXT);
    expect(currentTraceparent(contextFromTraceparent('00-zz-yy-01'))).toBeUndefined();
    expect(currentTraceparent()).toBeUndefined();
  });

  it('extracts nothing from missing headers', () => {
    expect(extractTraceContext(undefined)).toBe(ROOT_CONTEXT);
  });
});
