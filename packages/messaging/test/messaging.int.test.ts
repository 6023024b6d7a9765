import { randomUUID } from 'node:crypto';
import {
  collectMessages,
  dropTestDatabase,
  openTestDatabase,
  testKafka,
  uniqueName,
  uniqueTopicPrefix,
  waitFor,
} from '@recycling/testkit';
import type { Kafka } from 'kafkajs';
import mongoose, { type Connection, type Model } from 'mongoose';
import pino from 'pino';
import {
  ConsumerRunner,
  EventPublisher,
  OutboxRelay,
  applyOnceByEventId,
  createEventFactory,
  ensureTopics,
  outboxPlugin,
  enqueue,
  outboxUpdate,
  PermanentEventError,
  type OutboxFields,
  type PendingEvent,
} from '../src';
import { testCatalog } from './test-catalog';

const logger = pino({ level: 'silent' });
const makeEvent = createEventFactory({ catalog: testCatalog, source: 'urn:recycling:000000:messaging' });

interface CounterDoc extends OutboxFields {
  _id: string;
  value: number;
}

let kafka: Kafka;
let db: Connection;
let prefix: string;
let Counter: Model<CounterDoc>;
let publisher: EventPublisher;

beforeAll(async () => {
  kafka = testKafka('messaging-test');
  db = await openTestDatabase('messaging');
  prefix = uniqueTopicPrefix('msg');
  await ensureTopics(kafka, testCatalog, { topicPrefix: prefix, partitions: 3 });
  const schema = new mongoose.Schema<CounterDoc>({ _id: String, value: { type: Number, default: 0 } });
  schema.plugin(outboxPlugin);
  Counter = db.model<CounterDoc>('Counter', schema);
  publisher = new EventPublisher({ kafka, topicPrefix: prefix });
  await publisher.connect();
});

afterAll(async () => {
  await publisher.disconnect();
  await dropTestDatabase(db);
});

const topic = () => `${prefix}.counters.v1`;
/** The writer's side of the relay protocol (a relay that is never started). */
const writer = () =>
  new OutboxRelay({
    connection: db,
    sources: [{ name: 'counters', collection: Counter.collection }],
    publisher,
    logger,
  });
const dlq = () => `${prefix}.counters.v1.dlq`;

/**
 * The state change and its event in one single-document write, as every use case does it, the
 * event announced to the relay's safety net first (`expect`, what repositories do for use cases).
 */
async function incrementWithOutbox(counterId: string, by: number): Promise<PendingEvent> {
  const event = makeEvent('recycling.counter.incremented.v1', { counterId, by });
  await writer().expect({ modelName: 'counters' }, [{ docId: counterId, eventIds: [event.id] }]);
  await Counter.updateOne(
    { _id: counterId },
    { $inc: { value: by }, ...outboxUpdate([event]) },
    { upsert: true },
  );
  return event;
}

describe('outbox relay', () => {
  it('publishes an event saved before a crash once the relay (re)starts, and marks it published', async () => {
    const collector = await collectMessages(kafka, [topic()]);
    try {
      // The service saved the change and died before any relay ran.
      const event = await incrementWithOutbox(uniqueName('c'), 2);
      expect((await Counter.findById(event.key).lean())?.outbox).toHaveLength(1);

      // After restart, a new relay publishes what was pending.
      const relay = new OutboxRelay({
        connection: db,
        sources: [{ name: 'counters', collection: Counter.collection }],
        publisher,
        logger,
      });
      relay.start();
      const message = await waitFor(() => collector.received.find((m) => m.headers.ce_id === event.id), {
        what: 'the pending event on the topic',
      });
      await relay.stop();

      expect(message.key).toBe(event.key);
      expect(message.headers).toMatchObject({
        ce_specversion: '1.0',
        ce_type: 'recycling.counter.incremented.v1',
        ce_source: 'urn:recycling:000000:messaging',
        'content-type': 'application/json',
      });
      expect(JSON.parse(message.value!)).toEqual({ counterId: event.key, by: 2 });
      expect(await relay.publishedAmong([event.id])).toEqual(new Set([event.id]));
      expect(await relay.flush()).toBe(0); // nothing left to publish
      expect(collector.received.filter((m) => m.headers.ce_id === event.id)).toHaveLength(1);
    } finally {
      await collector.stop();
    }
  });

  it('keeps an event appended while the relay was publishing, and the writer prunes published ones', async () => {
    const counterId = uniqueName('c');
    const first = await incrementWithOutbox(counterId, 1);
    const relay = new OutboxRelay({
      connection: db,
      sources: [{ name: 'counters', collection: Counter.collection }],
      publisher,
      logger,
    });
    const publishing = relay.flush();
    const second = await incrementWithOutbox(counterId, 1);
    await publishing;
    await relay.flush();
    expect(await relay.publishedAmong([first.id, second.id])).toEqual(new Set([first.id, second.id]));

    // The writer's next save drops what was published and keeps what is new.
    const doc = await Counter.findById(counterId);
    const third = makeEvent('recycling.counter.incremented.v1', { counterId, by: 1 });
    enqueue(doc!, [third], await relay.publishedAmong(doc!.outbox.map((e) => e.id)));
    doc!.value += 1;
    await doc!.save();
    const saved = await Counter.findById(counterId).lean();
    expect(saved?.outbox.map((e) => e.id)).toEqual([third.id]);
    expect(saved?.value).toBe(3);
  });

  it('publishes a nudged document at once, by _id, without waiting for the scan', async () => {
    const collector = await collectMessages(kafka, [topic()]);
    const relay = new OutboxRelay({
      connection: db,
      sources: [{ name: 'counters', collection: Counter.collection }],
      publisher,
      logger,
      pollIntervalMs: 3_600_000, // the scan runs once, at start
    });
    try {
      relay.start();
      await relay.flush();
      const counterId = uniqueName('c');
      const event = await incrementWithOutbox(counterId, 1);
      const started = Date.now();
      relay.nudge({ modelName: 'counters' }, [counterId]);
      await waitFor(() => collector.received.find((m) => m.headers.ce_id === event.id), {
        what: 'the nudged event',
      });
      expect(Date.now() - started).toBeLessThan(30_000); // not the hour of the scan
    } finally {
      await relay.stop();
      await collector.stop();
    }
  });

  it('never reads a source collection but by _id: the safety net follows the pending markers', async () => {
    const counterId = uniqueName('c');
    const event = await incrementWithOutbox(counterId, 1);
    // A collection whose scans fail: only findOne by _id is allowed.
    const guarded = new Proxy(Counter.collection, {
      get(target, property, receiver) {
        if (property === 'find') throw new Error('the relay scanned a source collection');
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const relay = new OutboxRelay({
      connection: db,
      sources: [{ name: 'counters', collection: guarded as never }],
      publisher,
      logger,
      settleMs: 0,
    });
    expect(await relay.flush()).toBeGreaterThanOrEqual(1);
    expect(await relay.publishedAmong([event.id])).toEqual(new Set([event.id]));
  });

  it('drops a marker whose event never reached its document, once it is old', async () => {
    const relay = new OutboxRelay({
      connection: db,
      sources: [{ name: 'counters', collection: Counter.collection }],
      publisher,
      logger,
      settleMs: 0,
      orphanAfterMs: 0,
    });
    // The writer announced an event and died before its write.
    await relay.expect({ modelName: 'counters' }, [
      { docId: uniqueName('never'), eventIds: ['ghost-event'] },
    ]);
    expect(await relay.publishedAmong(['ghost-event'])).toEqual(new Set());
    await relay.flush();
    expect(await relay.publishedAmong(['ghost-event'])).toEqual(new Set(['ghost-event']));
  });

  it('publishes once, at start, what a relay of the earlier design left unpublished', async () => {
    const collector = await collectMessages(kafka, [topic()]);
    try {
      // Saved before pending markers existed: no marker, only the old scan's cursor.
      const counterId = uniqueName('c');
      const event = makeEvent('recycling.counter.incremented.v1', { counterId, by: 1 });
      await Counter.updateOne(
        { _id: counterId },
        { $inc: { value: 1 }, ...outboxUpdate([event]) },
        { upsert: true },
      );
      await db
        .collection('outbox_cursors')
        .updateOne(
          { _id: 'counters' as never },
          { $set: { at: new Date(Date.now() - 5_000) } },
          { upsert: true },
        );
      await db.collection('outbox_cursors').deleteOne({ _id: 'counters:swept-for-pending-markers' as never });
      const relay = new OutboxRelay({
        connection: db,
        sources: [{ name: 'counters', collection: Counter.collection }],
        publisher,
        logger,
      });
      await relay.flush();
      await waitFor(() => collector.received.find((m) => m.headers.ce_id === event.id), {
        what: 'the event left by the earlier design',
      });
      const swept = await db
        .collection('outbox_cursors')
        .findOne({ _id: 'counters:swept-for-pending-markers' as never });
      expect(swept?.done).toBe(true);
    } finally {
      await collector.stop();
    }
  });

  it('still scans on schedule while nudges keep it busy: an un-nudged write is not stranded', async () => {
    const collector = await collectMessages(kafka, [topic()]);
    const relay = new OutboxRelay({
      connection: db,
      sources: [{ name: 'counters', collection: Counter.collection }],
      publisher,
      logger,
      pollIntervalMs: 1_500,
      settleMs: 500,
    });
    let nudging = true;
    try {
      relay.start();
      await relay.flush();
      // A writer that crashed before its nudge (or a replica that died) left this behind.
      const stranded = await incrementWithOutbox(uniqueName('c'), 1);
      const busy = (async () => {
        while (nudging) {
          const id = uniqueName('c');
          await incrementWithOutbox(id, 1);
          relay.nudge({ modelName: 'counters' }, [id]);
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      await waitFor(() => collector.received.find((m) => m.headers.ce_id === stranded.id), {
        what: 'the stranded event, found by the scheduled scan',
        timeoutMs: 20_000,
      });
      nudging = false;
      await busy;
    } finally {
      nudging = false;
      await relay.stop();
      await collector.stop();
    }
  });

  it('lets two relays run side by side: every event is published and marked', async () => {
    const counterId = uniqueName('c');
    const events: PendingEvent[] = [];
    for (let i = 0; i < 5; i++) events.push(await incrementWithOutbox(counterId, 1));
    const source = { name: 'counters', collection: Counter.collection };
    const a = new OutboxRelay({ connection: db, sources: [source], publisher, logger });
    const b = new OutboxRelay({ connection: db, sources: [source], publisher, logger });
    const [pa, pb] = await Promise.all([a.flush(), b.flush()]);
    expect(pa + pb).toBeGreaterThanOrEqual(5); // duplicates are allowed, losses are not
    expect(await a.publishedAmong(events.map((e) => e.id))).toEqual(new Set(events.map((e) => e.id)));
  });
});

describe('consumer runner', () => {
  interface AppliedDoc {
    _id: string;
    value: number;
    appliedEvents: string[];
  }

  async function startRunner(
    handlers: ConstructorParameters<typeof ConsumerRunner>[0]['handlers'],
    retryAttempts = 3,
  ) {
    const runner = new ConsumerRunner({
      kafka,
      groupId: uniqueName('group'),
      topics: ['counters.v1'],
      topicPrefix: prefix,
      handlers,
      catalog: testCatalog,
      dlqProducer: publisher.rawProducer,
      logger,
      retry: { attempts: retryAttempts, initialDelayMs: 20, maxDelayMs: 50 },
    });
    await runner.start();
    return runner;
  }

  it('applies an event delivered twice only once', async () => {
    const applied = db.collection<AppliedDoc>(uniqueName('applied'));
    const counterId = uniqueName('c');
    const event = makeEvent('recycling.counter.incremented.v1', { counterId, by: 5 });
    const seen: string[] = [];
    const runner = await startRunner({
      'recycling.counter.incremented.v1': async (e: {
        id: string;
        data: { counterId: string; by: number };
      }) => {
        if (e.data.counterId === counterId) seen.push(e.id);
        await applyOnceByEventId(
          applied,
          { _id: e.data.counterId },
          e.id,
          { $inc: { value: e.data.by } },
          { upsert: true },
        );
      },
    });
    try {
      await publisher.publish([event]);
      await publisher.publish([event]); // the relay crashed after sending, before marking it sent
      await waitFor(() => seen.length >= 2, { what: 'both deliveries' });
      expect(await applied.findOne({ _id: counterId })).toMatchObject({
        value: 5,
        appliedEvents: [event.id],
      });
    } finally {
      await runner.stop();
    }
  });

  it('sends an event that fails its schema to the DLQ with the reason and goes on', async () => {
    const counterId = uniqueName('c');
    const dlqCollector = await collectMessages(kafka, [dlq()]);
    const handled: string[] = [];
    const runner = await startRunner({
      'recycling.counter.incremented.v1': async (e: { id: string; data: { counterId: string } }) => {
        if (e.data.counterId === counterId) handled.push(e.id);
      },
    });
    try {
      const good1 = makeEvent('recycling.counter.incremented.v1', { counterId, by: 1 });
      const poison: PendingEvent = { ...good1, id: randomUUID(), data: { counterId, by: 'many' } };
      const good2 = makeEvent('recycling.counter.incremented.v1', { counterId, by: 3 });
      await publisher.publish([good1, poison, good2]);

      await waitFor(() => handled.includes(good2.id), { what: 'the event after the poison one' });
      const dead = await waitFor(() => dlqCollector.received.find((m) => m.headers.ce_id === poison.id), {
        what: 'the poison event on the DLQ',
      });
      expect(handled).toEqual([good1.id, good2.id]);
      expect(dead.headers['dlq-reason']).toMatch(/^schema: by:/);
      expect(dead.headers['dlq-original-topic']).toBe('counters.v1');
      expect(dead.headers['dlq-attempts']).toBe('0');
      expect(dead.headers['dlq-error-kind']).toBe('invalid-data');
      expect(JSON.parse(dead.value!)).toEqual({ counterId, by: 'many' });
    } finally {
      await runner.stop();
      await dlqCollector.stop();
    }
  });

  it('retries a failing handler with backoff, then dead-letters it when it keeps failing', async () => {
    const counterId = uniqueName('c');
    const dlqCollector = await collectMessages(kafka, [dlq()]);
    const attempts = new Map<string, number>();
    const flaky = makeEvent('recycling.counter.incremented.v1', { counterId, by: 1 });
    const broken = makeEvent('recycling.counter.reset.v1', { counterId });
    const rejected = makeEvent('recycling.counter.incremented.v1', { counterId, by: 7 });
    const count = (id: string) => attempts.set(id, (attempts.get(id) ?? 0) + 1).get(id)!;
    const runner = await startRunner({
      'recycling.counter.incremented.v1': async (e: { id: string }) => {
        if (e.id === rejected.id) throw new PermanentEventError('counter is closed');
        if (count(e.id) < 3) throw new Error('transient');
      },
      'recycling.counter.reset.v1': async (e: { id: string }) => {
        count(e.id);
        throw new Error('always broken');
      },
    });
    try {
      await publisher.publish([flaky, broken, rejected]);
      const deadBroken = await waitFor(
        () => dlqCollector.received.find((m) => m.headers.ce_id === broken.id),
        {
          what: 'the broken event on the DLQ',
        },
      );
      const deadRejected = await waitFor(
        () => dlqCollector.received.find((m) => m.headers.ce_id === rejected.id),
        {
          what: 'the rejected event on the DLQ',
        },
      );
      expect(attempts.get(flaky.id)).toBe(3);
      expect(attempts.get(broken.id)).toBe(3);
      expect(deadBroken.headers).toMatchObject({ 'dlq-attempts': '3', 'dlq-reason': 'Error: always broken' });
      expect(deadRejected.headers).toMatchObject({ 'dlq-attempts': '1' });
      expect(dlqCollector.received.some((m) => m.headers.ce_id === flaky.id)).toBe(false);
    } finally {
      await runner.stop();
      await dlqCollector.stop();
    }
  });
});
