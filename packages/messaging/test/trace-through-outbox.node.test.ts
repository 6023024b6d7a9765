// One trace from an HTTP request, through a state change saved with its event (the outbox), the
// relay, the real Kafka broker, into a consumer's handler. Runs under node's test runner, not jest:
// OpenTelemetry's require hooks do not see modules loaded through jest's module registry.
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports -- modules must load after telemetry starts */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startTelemetry, shutdownTelemetry, SpanKind } from '@recycling/observability';
import { InMemorySpanExporter } from '@recycling/observability/testing';

const exporter = new InMemorySpanExporter();
const telemetry = startTelemetry({ serviceName: 'trace-test', traceExporter: exporter });

// Loaded after telemetry started, so the instrumentations patch them.
const express = require('express') as typeof import('express');
const mongoose = require('mongoose') as typeof import('mongoose');
const messaging = require('../src') as typeof import('../src');
const testkit = require('@recycling/testkit') as typeof import('@recycling/testkit');
const { testCatalog } = require('./test-catalog') as typeof import('./test-catalog');
const { trace } = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
const pino = require('pino') as typeof import('pino');

const logger = pino({ level: 'silent' });
let cleanup: Array<() => Promise<unknown>> = [];

before(() => {
  assert.ok(process.env.KAFKA_BROKERS && process.env.MONGO_URL, 'KAFKA_BROKERS and MONGO_URL must be set');
});

after(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
  cleanup = [];
  await shutdownTelemetry();
});

it('continues the trace of an HTTP request through the outbox and Kafka into the consumer', async () => {
  const db = await testkit.openTestDatabase('trace');
  cleanup.push(() => testkit.dropTestDatabase(db));
  const kafka = testkit.testKafka('trace-test');
  const topicPrefix = testkit.uniqueTopicPrefix('trace');
  await messaging.ensureTopics(kafka, testCatalog, { topicPrefix, partitions: 1 });
  const publisher = new messaging.EventPublisher({ kafka, topicPrefix });
  await publisher.connect();
  cleanup.push(() => publisher.disconnect());

  const schema = new mongoose.Schema({ _id: String, value: Number });
  schema.plugin(messaging.outboxPlugin);
  const Counter = db.model('TraceCounter', schema);
  const relay = new messaging.OutboxRelay({
    connection: db,
    sources: [{ name: 'counters', collection: Counter.collection }],
    publisher,
    logger,
  });
  const makeEvent = messaging.createEventFactory({
    catalog: testCatalog,
    source: 'urn:recycling:000000:trace',
  });

  // The consumer records the trace it runs in.
  let consumedIn: { traceId: string; eventId: string } | undefined;
  const runner = new messaging.ConsumerRunner({
    kafka,
    groupId: testkit.uniqueName('trace-group'),
    topics: ['counters.v1'],
    topicPrefix,
    catalog: testCatalog,
    dlqProducer: publisher.rawProducer,
    logger,
    handlers: {
      'recycling.counter.incremented.v1': async (event) => {
        consumedIn = { traceId: trace.getActiveSpan()!.spanContext().traceId, eventId: event.id };
      },
    },
  });
  await runner.start();
  cleanup.push(() => runner.stop());

  // The use case: state change and event in one write, inside the request's span.
  const app = express();
  let requestTraceId = '';
  let eventId = '';
  app.post('/counters/:id/increment', async (req, res) => {
    requestTraceId = trace.getActiveSpan()!.spanContext().traceId;
    const event = makeEvent('recycling.counter.incremented.v1', { counterId: req.params.id, by: 1 });
    eventId = event.id;
    await relay.expect({ modelName: 'counters' }, [{ docId: req.params.id, eventIds: [event.id] }]);
    await Counter.updateOne(
      { _id: req.params.id },
      { $inc: { value: 1 }, ...messaging.outboxUpdate([event]) },
      { upsert: true },
    );
    res.status(202).json({ eventId });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  const { port } = server.address() as { port: number };

  const res = await fetch(`http://127.0.0.1:${port}/counters/c1/increment`, { method: 'POST' });
  assert.equal(res.status, 202);
  assert.match(requestTraceId, /^[0-9a-f]{32}$/);

  // Publication happens later, outside the request, as after a restart.
  await relay.flush();
  const consumed = await testkit.waitFor(() => consumedIn, { what: 'the event in the consumer' });
  assert.equal(consumed.eventId, eventId);
  assert.equal(consumed.traceId, requestTraceId, 'the consumer runs in the trace of the HTTP request');

  // Ended spans are exported once the resource's async attributes settle; flush before reading.
  await telemetry.forceFlush();
  const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === requestTraceId);
  const kinds = new Set(spans.map((s) => s.kind));
  assert.ok(kinds.has(SpanKind.SERVER), 'the HTTP server span');
  assert.ok(kinds.has(SpanKind.PRODUCER), 'the kafkajs send span');
  assert.ok(kinds.has(SpanKind.CONSUMER), 'the kafkajs process span');
  assert.ok(
    spans.some((s) => s.name === 'outbox publish'),
    `the relay span; spans: ${spans.map((s) => s.name).join(', ')}`,
  );
});
