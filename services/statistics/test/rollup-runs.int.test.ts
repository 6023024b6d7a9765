// The rollup consumer on the real broker and store, as the generations run it: a run of events goes
// to the batch handler; when the run fails (here: the store refuses the cells of one event), the
// runner applies its events again one at a time, so the poison event alone is dead-lettered and every
// other event of the run is counted exactly once.
import { eventSource } from '@recycling/contracts';
import { fixtures } from '@recycling/contracts/fixtures';
import {
  ConsumerRunner,
  EventPublisher,
  createEventFactory,
  ensureTopics,
  readDeadLetters,
  registryCatalog,
} from '@recycling/messaging';
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
import type { Fields } from '../src/domain/facts';
import { rollupBatch } from '../src/events/rollup-handler';
import { CounterStore } from '../src/store/counters';
import { RecordStore } from '../src/store/records';

jest.setTimeout(120_000);

const logger = pino({ level: 'silent' });
const TOPIC = 'recycling.intakes.v1';
let kafka: Kafka;
let connection: Connection;
let prefix: string;
let publisher: EventPublisher;

/** The store refuses to write any cell of the poison district (say, a document grown too large). */
class PickyCounters extends CounterStore {
  override async applyRun(
    gen: number,
    part: string,
    run: ReadonlyArray<{ offset: number; deltas: ReadonlyMap<string, Fields> }>,
  ): Promise<{ read: number; written: number }> {
    if (run.some((r) => [...r.deltas.keys()].some((k) => k.includes('poison')))) {
      throw new Error('the store refused the poison district');
    }
    return super.applyRun(gen, part, run);
  }
}

beforeAll(async () => {
  kafka = testKafka('stat-runs');
  connection = await openTestDatabase('stat-runs');
  prefix = uniqueTopicPrefix('stat-runs');
  await ensureTopics(kafka, registryCatalog, { topicPrefix: prefix, partitions: 1 });
  publisher = new EventPublisher({ kafka, topicPrefix: prefix });
  await publisher.connect();
});

afterAll(async () => {
  await publisher.disconnect();
  await dropTestDatabase(connection);
});

it('dead-letters a poison event of a run alone and counts the others of the run once', async () => {
  const counters = new PickyCounters(connection);
  const records = new RecordStore(connection);
  const batch = rollupBatch({ gen: 1, counters, records, timeZone: 'Asia/Shanghai' });
  const runs: number[] = [];
  const runner = new ConsumerRunner({
    kafka,
    groupId: uniqueName('stat-runs'),
    topics: [TOPIC],
    topicPrefix: prefix,
    catalog: registryCatalog,
    dlqProducer: publisher.rawProducer,
    logger,
    retry: { attempts: 2, initialDelayMs: 10, maxDelayMs: 20 },
    handlers: {},
    batch: {
      ...batch,
      handle: async (events, ctx) => {
        runs.push(events.length);
        await batch.handle(events, ctx);
      },
    },
  });
  const make = createEventFactory({ catalog: registryCatalog, source: eventSource('659002', 'sorting') });
  const intake = fixtures['recycling.intake.recorded.v1'];
  const events = ['in-r1', 'in-r2', 'in-poison', 'in-r3', 'in-r4'].map((intakeId) =>
    make('recycling.intake.recorded.v1', {
      ...intake,
      intakeId,
      districtCode: intakeId === 'in-poison' ? 'poison' : 't01',
    }),
  );
  // On the topic before the consumer starts, so that they come in one fetch, as one run.
  await publisher.publish(events);
  await runner.start();
  try {
    const dead = await waitFor(
      async () => {
        const found = await readDeadLetters(kafka, TOPIC, prefix);
        return found.length > 0 ? found : undefined;
      },
      { what: 'the poison event dead-lettered', timeoutMs: 60_000 },
    );
    expect(dead.map((d) => d.eventId)).toEqual([events[2]!.id]);
    expect(dead[0]!.reason).toMatch(/poison district/);
    const units = intake.contents.lines.reduce((s, l) => s + l.units, 0);
    await waitFor(
      async () =>
        (await counters.allCells(1)).get(`appliances|2025-03|district|t01`)?.units === 4 * units || undefined,
      { what: 'the four other intakes counted', timeoutMs: 30_000 },
    );
    // Tried as one run first, then one event at a time.
    expect(Math.max(...runs)).toBeGreaterThan(1);
    expect(runs.filter((n) => n === 1).length).toBeGreaterThanOrEqual(events.length);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const cells = await counters.allCells(1);
    expect(cells.get('appliances|2025-03|district|t01')).toEqual({
      units: 4 * units,
      grams: 4 * intake.contents.totalWeightGrams,
      fen: 4 * intake.contents.totalFen,
    });
    expect([...cells.keys()].filter((k) => k.includes('poison'))).toEqual([]);
    expect(await records.find(1, 'intake:in-poison')).toBeNull();
    expect((await records.find(1, 'intake:in-r3'))?.appliedEvents).toEqual([events[3]!.id]);
  } finally {
    await runner.stop();
  }
});
