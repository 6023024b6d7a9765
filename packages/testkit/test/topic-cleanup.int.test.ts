// The shared broker's clean-up: a test network's own topics go when it stops, and the topics of
// earlier runs go by the age their names carry, while a run still going keeps its topics.
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { dropOldTestTopics, dropTopicsWithPrefix, requireEnv } from '../src';

const brokers = requireEnv('KAFKA_BROKERS');
const kafka = new Kafka({
  clientId: 'topic-cleanup-test',
  brokers: brokers.split(','),
  logLevel: logLevel.NOTHING,
});
const admin = kafka.admin();

/** A test topic name as uniqueName makes them, stamped at `at`. */
const stamped = (at: number, rest: string) =>
  `tcleanup-${at.toString(36)}-${randomBytes(3).toString('hex')}.${rest}`;

beforeAll(() => admin.connect());
afterAll(() => admin.disconnect());

const create = (topics: string[]) =>
  admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });

it("deletes a network's own topics and no other", async () => {
  const now = Date.now();
  const prefix = stamped(now, 'net');
  const other = stamped(now, 'other.recycling.intakes.v1');
  await create([`${prefix}.recycling.intakes.v1`, `${prefix}.recycling.intakes.v1.dlq`, other]);

  expect(await dropTopicsWithPrefix(brokers, `${prefix}.`)).toBe(2);
  const left = await admin.listTopics();
  expect(left).toContain(other);
  expect(left.filter((t) => t.startsWith(`${prefix}.`))).toEqual([]);
  await admin.deleteTopics({ topics: [other] });
});

it('deletes the test topics of earlier runs by the age in their names, and keeps a running one', async () => {
  const now = Date.now();
  const old = stamped(now - 4 * 60 * 60 * 1000, 'recycling.intakes.v1');
  const running = stamped(now - 10 * 60 * 1000, 'recycling.intakes.v1');
  await create([old, running]);

  expect(await dropOldTestTopics(brokers, { now })).toBeGreaterThanOrEqual(1);
  const left = await admin.listTopics();
  expect(left).not.toContain(old);
  expect(left).toContain(running);
  await admin.deleteTopics({ topics: [running] });
});

it('answers 0, not an error, when the broker cannot be reached', async () => {
  expect(await dropTopicsWithPrefix('127.0.0.1:1', 'anything.')).toBe(0);
});
