// Broker helpers for tests: a client, a unique topic prefix per test file, and a reader that
// collects what reached a topic (the real broker, never a mock).
import { Kafka, logLevel, type EachMessagePayload, type IHeaders } from 'kafkajs';
import { requireEnv, uniqueName } from './store';

export function testKafka(clientId = 'test'): Kafka {
  return new Kafka({
    clientId,
    brokers: requireEnv('KAFKA_BROKERS').split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 200 },
  });
}

/** A topic prefix of its own keeps a test file's topics apart from every other run. */
export const uniqueTopicPrefix = (prefix: string) => uniqueName(`t${prefix}`).replace(/[^a-zA-Z0-9_-]/g, '_');

export interface ReceivedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | undefined;
  value: string | undefined;
  headers: Record<string, string>;
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}

/** Reads topics from the beginning into an array until stopped. */
export async function collectMessages(kafka: Kafka, topics: string[]) {
  const received: ReceivedMessage[] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('collector') });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }: EachMessagePayload) => {
      received.push({
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString(),
        value: message.value?.toString(),
        headers: headerStrings(message.headers),
      });
    },
  });
  return { received, stop: () => consumer.disconnect() };
}

/** Polls until `check` returns a value other than undefined/false, or fails with what it saw. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 30_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Test topics are named by `uniqueName`: `<t…|e2e…>-<Date.now() in base 36>-<6 hex>…`. */
const TEST_TOPIC = /^(?:t[a-z0-9]*|e2e)[-_].*?([0-9a-z]{8})-[0-9a-f]{6}(?:[._-]|$)/;

/**
 * Deletes the test topics of earlier runs (older than `olderThanMs`, 3 hours by default) from a
 * broker that tests share. Every test file makes topics of its own, and a broker that keeps them
 * all grows by thousands of partitions a run until its heap no longer holds them at start-up. The
 * age is read from the name, so a run still going (on this broker, from another terminal) keeps its
 * topics. Answers how many were deleted.
 */
export function dropOldTestTopics(
  brokers: string,
  { olderThanMs = 3 * 60 * 60 * 1000, now = Date.now() } = {},
): Promise<number> {
  return deleteTopicsWhere(brokers, (topic) => {
    const stamp = TEST_TOPIC.exec(topic)?.[1];
    if (!stamp) return false;
    const at = parseInt(stamp, 36);
    return at > Date.UTC(2020, 0, 1) && now - at > olderThanMs;
  });
}

/**
 * Deletes the topics whose names start with `prefix` (a test network's own, with their DLQs), so a
 * shared broker holds only the topics of the networks running now. A full run starts about sixty
 * networks of some seventy partitions each: kept until the next run's sweep, they filled the
 * broker's heap in the middle of a run. Best effort: a broker that is gone has nothing to clean.
 */
export function dropTopicsWithPrefix(brokers: string, prefix: string): Promise<number> {
  return deleteTopicsWhere(brokers, (topic) => topic.startsWith(prefix), { retries: 2 }).catch(() => 0);
}

/** Deletes the broker's topics that `select` picks; answers how many. */
async function deleteTopicsWhere(
  brokers: string,
  select: (topic: string) => boolean,
  retry?: { retries: number },
): Promise<number> {
  const kafka = new Kafka({
    clientId: 'test-topic-cleanup',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    ...(retry ? { retry } : {}),
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const chosen = (await admin.listTopics()).filter(select);
    // A few hundred a request keeps each answer well inside the admin timeout.
    for (let i = 0; i < chosen.length; i += 200) {
      await admin.deleteTopics({ topics: chosen.slice(i, i + 200), timeout: 60_000 });
    }
    return chosen.length;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
