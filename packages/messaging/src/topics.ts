// Topics are created from the registry at start-up, never by auto-creation, so partition counts
// are what the registry says (keying by seller only orders sales if partitions stay fixed).
import type { Admin, Kafka } from 'kafkajs';
import { dlqTopicOf, physicalTopic, type EventCatalog } from './catalog';

export interface EnsureTopicsOptions {
  topicPrefix?: string;
  replicationFactor?: number;
  /** Overrides every topic's partition count (tests use fewer to start faster). */
  partitions?: number;
}

export async function ensureTopics(kafka: Kafka, catalog: EventCatalog, options: EnsureTopicsOptions = {}) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = catalog.topics().flatMap(({ name, partitions }) => [
      { topic: physicalTopic(options.topicPrefix, name), numPartitions: options.partitions ?? partitions },
      { topic: physicalTopic(options.topicPrefix, dlqTopicOf(name)), numPartitions: 1 },
    ]);
    const missing = wanted
      .filter((t) => !existing.has(t.topic))
      .map((t) => ({ ...t, replicationFactor: options.replicationFactor ?? -1 }));
    if (missing.length > 0) {
      // Several services start at once and race to create the same topics; losing the race is fine.
      await admin.createTopics({ topics: missing, waitForLeaders: false }).catch((error: unknown) => {
        if (!(error instanceof Error) || !/already exists/i.test(error.message)) throw error;
      });
      await waitForLeaders(
        admin,
        missing.map((t) => t.topic),
      );
    }
    return { created: missing.map((t) => t.topic) };
  } finally {
    await admin.disconnect();
  }
}

/**
 * kafkajs' own `waitForLeaders` gives up on UNKNOWN_TOPIC_OR_PARTITION, which a broker answers for a
 * moment after creating a topic; here that is one more reason to ask again.
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    try {
      const { topics: described } = await admin.fetchTopicMetadata({ topics });
      if (described.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`topics have no leaders after ${timeoutMs} ms: ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
