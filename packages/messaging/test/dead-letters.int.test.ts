import {
  dropTestDatabase,
  openTestDatabase,
  testKafka,
  uniqueName,
  uniqueTopicPrefix,
  waitFor,
} from '@recycling/testkit';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import pino from 'pino';
import {
  ConsumerRunner,
  EventPublisher,
  applyOnceByEventId,
  createEventFactory,
  ensureTopics,
  readDeadLetters,
  replayDeadLetters,
} from '../src';
import { testCatalog } from './test-catalog';

const logger = pino({ level: 'silent' });
const makeEvent = createEventFactory({ catalog: testCatalog, source: 'urn:recycling:000000:messaging' });
let kafka: Kafka;
let db: Connection;
let prefix: string;
let publisher: EventPublisher;

beforeAll(async () => {
  kafka = testKafka('dlq-test');
  db = await openTestDatabase('dlq');
  prefix = uniqueTopicPrefix('dlq');
  await ensureTopics(kafka, testCatalog, { topicPrefix: prefix, partitions: 2 });
  publisher = new EventPublisher({ kafka, topicPrefix: prefix });
  await publisher.connect();
});

afterAll(async () => {
  await publisher.disconnect();
  await dropTestDatabase(db);
});

it('replays dead letters after the cause is fixed, and a second replay changes nothing', async () => {
  const totals = db.collection<{ _id: string; value: number }>(uniqueName('totals'));
  let fixed = false;
  const runner = new ConsumerRunner({
    kafka,
    groupId: uniqueName('group'),
    topics: ['counters.v1'],
    topicPrefix: prefix,
    catalog: testCatalog,
    dlqProducer: publisher.rawProducer,
    logger,
    retry: { attempts: 2, initialDelayMs: 10, maxDelayMs: 20 },
    handlers: {
      'recycling.counter.incremented.v1': async (event: {
        id: string;
        data: { counterId: string; by: number };
      }) => {
        if (!fixed) throw new Error('bug: totals collection misconfigured');
        await applyOnceByEventId(
          totals,
          { _id: event.data.counterId },
          event.id,
          { $inc: { value: event.data.by } },
          {
            upsert: true,
          },
        );
      },
    },
  });
  await runner.start();
  try {
    const events = [1, 2, 3].map((by) =>
      makeEvent('recycling.counter.incremented.v1', { counterId: 'c', by }),
    );
    await publisher.publish(events);
    const dead = await waitFor(
      async () => {
        const found = await readDeadLetters(kafka, 'counters.v1', prefix);
        return found.length === 3 ? found : undefined;
      },
      { what: 'three dead letters' },
    );
    expect(dead.map((d) => d.eventId)).toEqual(events.map((e) => e.id));
    expect(
      dead.every((d) => d.errorKind === 'processing-failed' && /misconfigured/.test(d.reason ?? '')),
    ).toBe(true);

    fixed = true;
    expect(await replayDeadLetters(kafka, dead, prefix)).toBe(3);
    await waitFor(async () => (await totals.findOne({ _id: 'c' }))?.value === 6, {
      what: 'the replayed events applied',
    });

    await replayDeadLetters(kafka, dead, prefix); // an operator replays twice by mistake
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await totals.findOne({ _id: 'c' }))?.value).toBe(6);
  } finally {
    await runner.stop();
  }
});
