// Does the broker (or the store) really answer? Not an open port: a Kafka admin client that sees
// the cluster, writes to a probe topic and finds a group coordinator; a MongoDB client that
// pings and writes.
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';

function kafkaClient(brokers: string, timeoutMs: number): Kafka {
  return new Kafka({
    clientId: 'infra-local-probe',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 3_000),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
}

/** Quick check for an already running broker: it answers metadata with a controller. */
export async function kafkaAnswers(brokers: string, timeoutMs = 3_000): Promise<{ clusterId: string }> {
  const admin = kafkaClient(brokers, timeoutMs).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0 || cluster.controller === null || cluster.controller < 0) {
      throw new Error('the broker has no active controller yet');
    }
    return { clusterId: cluster.clusterId };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export const PROBE_TOPIC = '__infra_probe';

/**
 * Full check after a start: metadata, a probe topic (created once) that takes a write with
 * acks=all, and the group coordinator (its first lookup creates __consumer_offsets, so the first
 * test's consumer does not pay for it).
 */
export async function kafkaWorks(brokers: string, timeoutMs = 15_000): Promise<void> {
  await kafkaAnswers(brokers, timeoutMs);
  const kafka = new Kafka({
    clientId: 'infra-local-probe',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    requestTimeout: timeoutMs,
    retry: { retries: 6, initialRetryTime: 200, maxRetryTime: 2_000 },
  });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  try {
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic: PROBE_TOPIC,
          numPartitions: 1,
          replicationFactor: 1,
          configEntries: [{ name: 'retention.ms', value: String(60 * 60_000) }],
        },
      ],
      waitForLeaders: true,
    });
    await producer.connect();
    await producer.send({
      topic: PROBE_TOPIC,
      acks: -1,
      messages: [{ key: String(process.pid), value: new Date().toISOString() }],
    });
    await admin.fetchOffsets({ groupId: PROBE_TOPIC, topics: [PROBE_TOPIC] });
  } finally {
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

/** The store answers a ping; with `write`, also an upsert (SQLite files writable, disk not full). */
export async function mongoAnswers(url: string, { timeoutMs = 3_000, write = false } = {}): Promise<void> {
  const client = new MongoClient(url, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs * 2,
    appName: 'infra-local-probe',
  });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    if (write) {
      await client
        .db('infra_probe')
        .collection<{ _id: string; at: Date; pid: number }>('readiness')
        .updateOne({ _id: 'probe' }, { $set: { at: new Date(), pid: process.pid } }, { upsert: true });
    }
  } finally {
    await client.close().catch(() => undefined);
  }
}
