// Runs under node's test runner (jest's module registry hides modules from require hooks):
//   pnpm --filter @recycling/observability test:node
// Checks that telemetry started before the libraries load instruments them, that log lines inside a
// span carry its trace id, and that a traceparent stored beside an outbox event continues the trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import type * as Express from 'express';
import type { Server } from 'node:http';
import type * as Observability from '../src';
import { shutdownTelemetry, startTelemetry } from '../src/telemetry';

const exporter = new InMemorySpanExporter();
const telemetry = startTelemetry({ serviceName: 'observability-test', traceExporter: exporter });

// Loaded after telemetry started, as register.ts arranges for services.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const obs = require('../src') as typeof Observability;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const express = require('express') as typeof Express.default;

function collectLogs(): { logger: Observability.Logger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return {
    logger: obs.createLogger({ service: 'test', destination }),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('telemetry', () => {
  after(async () => {
    await shutdownTelemetry();
  });

  it('runs with the given exporter', () => {
    assert.equal(telemetry.mode, 'custom');
    assert.equal(obs.startTelemetry({ serviceName: 'again' }), telemetry, 'a second start returns the first');
  });

  it('puts trace_id and span_id on log lines inside a span', async () => {
    const { logger, lines } = collectLogs();
    let traceId: string | undefined;
    await obs.inSpan('work', {}, async () => {
      traceId = obs.currentTraceId();
      logger.info('inside');
    });
    logger.info('outside');
    const [inside, outside] = lines();
    assert.ok(traceId);
    assert.equal(inside?.trace_id, traceId);
    assert.match(String(inside?.span_id), /^[0-9a-f]{16}$/);
    assert.equal(outside?.trace_id, undefined);
  });

  describe('an HTTP request through the outbox into a consumer', () => {
    let server: Server;
    let port = 0;
    let stored: string | undefined;

    before(async () => {
      const app = express();
      app.post('/pickups', (_req, res) => {
        // The use case saves the state change and, in the same document, the traceparent.
        stored = obs.currentTraceparent();
        res.status(201).json({ ok: true });
      });
      server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      port = (server.address() as { port: number }).port;
    });

    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('continues one trace from the request to the relay and the consumer', async () => {
      exporter.reset();
      const res = await fetch(`http://127.0.0.1:${port}/pickups`, { method: 'POST' });
      assert.equal(res.status, 201);
      assert.ok(stored, 'a traceparent was captured inside the request');
      const [, requestTraceId, requestSpanId] = stored.split('-');

      // Later, the relay publishes under the stored context, and writes the Kafka headers there.
      const headers: Record<string, string> = {};
      await obs.inSpan(
        'outbox publish',
        { parent: obs.contextFromTraceparent(stored), kind: obs.SpanKind.PRODUCER },
        async () => {
          obs.injectTraceContext(headers);
        },
      );
      // The consumer gets Buffer header values, as kafkajs delivers them.
      const kafkaHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));
      await obs.inSpan(
        'consume',
        { parent: obs.extractTraceContext(kafkaHeaders), kind: obs.SpanKind.CONSUMER },
        async () => undefined,
      );

      await telemetry.forceFlush();
      const spans = exporter.getFinishedSpans();
      const relay = spans.find((s) => s.name === 'outbox publish');
      const consume = spans.find((s) => s.name === 'consume');
      const server = spans.find((s) => s.kind === obs.SpanKind.SERVER);
      assert.ok(relay && consume && server, `spans: ${spans.map((s) => s.name).join(', ')}`);
      assert.equal(server.spanContext().traceId, requestTraceId);
      assert.equal(relay.spanContext().traceId, requestTraceId);
      assert.equal(relay.parentSpanContext?.spanId, requestSpanId);
      assert.equal(consume.spanContext().traceId, requestTraceId);
      assert.equal(consume.parentSpanContext?.spanId, relay.spanContext().spanId);
      assert.match(headers.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    });

    it('ignores a malformed stored traceparent', () => {
      const ctx = obs.contextFromTraceparent('garbage');
      assert.equal(obs.currentTraceparent(ctx), undefined);
    });
  });
});

describe('tsx --import @recycling/observability/register', () => {
  it('instruments CommonJS modules of a service started that way', () => {
    const root = path.resolve(__dirname, '..');
    const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
    const run = spawnSync(
      tsx,
      ['--import', '@recycling/observability/register', 'test/fixtures/instrumented-app.ts'],
      {
        cwd: root,
        encoding: 'utf8',
        env: {
          ...process.env,
          OTEL_SERVICE_NAME: '',
          npm_package_name: '@recycling/fixture',
          OTEL_EXPORTER_OTLP_ENDPOINT: '',
          OTEL_TRACES_EXPORTER: '',
        },
        timeout: 60_000,
      },
    );
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.split('\n').filter(Boolean);
    const report = JSON.parse(lines.find((l) => l.startsWith('REPORT '))!.slice('REPORT '.length)) as {
      mode: string;
      serviceName: string;
      traceparent?: string;
      wrapped: Record<string, boolean>;
    };
    assert.equal(report.mode, 'local');
    assert.equal(report.serviceName, 'fixture');
    assert.deepEqual(report.wrapped, { http: true, express: true, kafkajs: true, mongoose: true });
    assert.match(report.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const logs = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const inRequest = logs.find((l) => l.msg === 'inside request');
    assert.equal(inRequest?.trace_id, report.traceparent?.split('-')[1]);
    assert.equal(inRequest?.phone, '[redacted]');
    assert.ok(logs.find((l) => l.msg === 'inside span')?.trace_id);
  });
});
