// The raw kafkajs figure: messages of a purchase event's size produced (acks=all, idempotent, one
// request in flight per producer, as the services' producers are) at the benchmark's concurrency and
// consumed on a topic with the purchases topic's partitions, each timed from send to receipt. The
// ceiling the network's messaging could reach with the client it uses.
import { purchasesTopic } from '@recycling/contracts';
import { purchaseRecorded } from '@recycling/contracts/fixtures';
import { uniqueName } from '@recycling/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { percentiles, type Latency } from './report';

export interface RawKafkaResult {
  rate: number;
  received: number;
  latency: Latency;
  partitions: number;
}

/** A purchase event as sorting publishes it (data in the value, CloudEvents attributes in headers). */
const samplePurchase = (i: number): string =>
  JSON.stringify({ ...purchaseRecorded, purchaseId: `intake:I-BENCH-${i}` });

export async function rawKafka(options: {
  brokers: string;
  messages: number;
  concurrency: number;
  sellers: number;
  /** Gives up waiting for the last messages after this long (default 120 s). */
  timeoutMs?: number;
  stopped?: () => boolean;
}): Promise<RawKafkaResult> {
  const { messages, concurrency, sellers } = options;
  const kafka = new Kafka({
    clientId: 'bench-raw',
    brokers: options.brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const topic = uniqueName('bench-raw').replace(/[^a-zA-Z0-9_-]/g, '_');
  const admin = kafka.admin();
  await admin.connect();
  const partitions = purchasesTopic.partitions;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${topic}-g` });
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topic, fromBeginning: true });
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    let lastAt = 0;
    await consumer.run({
      eachMessage: async ({ message }) => {
        const key = message.key?.toString() ?? '';
        const t0 = sentAt.get(key);
        if (t0 === undefined) return;
        sentAt.delete(key);
        lastAt = performance.now();
        latencies.push(lastAt - t0);
        if (latencies.length === messages) done();
      },
    });
    await new Promise((r) => setTimeout(r, 3_000)); // let the group settle before timing
    const start = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < messages && !options.stopped?.()) {
          const i = next++;
          const key = `seller-${i % sellers}-${i}`;
          sentAt.set(key, performance.now());
          await producer.send({ topic, acks: -1, messages: [{ key, value: samplePurchase(i) }] });
        }
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      all,
      new Promise((r) => (timer = setTimeout(r, options.timeoutMs ?? 120_000))),
      ...(options.stopped?.() ? [Promise.resolve()] : []),
    ]);
    clearTimeout(timer);
    const rate = latencies.length / ((lastAt - start) / 1000);
    return { rate, received: latencies.length, latency: percentiles(latencies), partitions };
  } finally {
    await Promise.all([producer.disconnect(), consumer.disconnect()]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
