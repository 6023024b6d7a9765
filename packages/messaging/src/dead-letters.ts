// Reading and replaying a dead-letter topic, for the runbook: inspect what failed and why, fix the
// cause, then send the events back to their original topic. A replayed record keeps its key, value
// and CloudEvents headers (so its event id is unchanged and consumers that already applied it skip
// it) and loses the dlq-* headers.
import { DLQ_HEADERS } from '@recycling/contracts';
import { Partitioners, type IHeaders, type Kafka, type KafkaMessage } from 'kafkajs';
import { dlqTopicOf, physicalTopic } from './catalog';

export interface DeadLetterRecord {
  offset: string;
  partition: number;
  key: string | undefined;
  value: string | undefined;
  headers: Record<string, string>;
  eventId: string | undefined;
  eventType: string | undefined;
  reason: string | undefined;
  errorKind: string | undefined;
  consumerGroup: string | undefined;
  failedAt: string | undefined;
}

const text = (headers: IHeaders | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== null) out[name] = first.toString();
  }
  return out;
};

function toRecord(partition: number, message: KafkaMessage): DeadLetterRecord {
  const headers = text(message.headers);
  return {
    offset: message.offset,
    partition,
    key: message.key?.toString(),
    value: message.value?.toString(),
    headers,
    eventId: headers.ce_id,
    eventType: headers.ce_type,
    reason: headers[DLQ_HEADERS.reason],
    errorKind: headers[DLQ_HEADERS.errorKind],
    consumerGroup: headers[DLQ_HEADERS.consumerGroup],
    failedAt: headers[DLQ_HEADERS.failedAt],
  };
}

/** Reads every record currently on `<topic>.dlq`, from the beginning to the end offsets of now. */
export async function readDeadLetters(
  kafka: Kafka,
  topic: string,
  topicPrefix?: string,
): Promise<DeadLetterRecord[]> {
  const dlq = physicalTopic(topicPrefix, dlqTopicOf(topic));
  const admin = kafka.admin();
  await admin.connect();
  const ends = await (async () => {
    if (!(await admin.listTopics()).includes(dlq)) throw new Error(`topic ${dlq} does not exist`);
    return admin.fetchTopicOffsets(dlq);
  })().finally(() => admin.disconnect());
  const remaining = new Map(ends.filter((p) => p.high !== p.low).map((p) => [p.partition, BigInt(p.high)]));
  if (remaining.size === 0) return [];

  const records: DeadLetterRecord[] = [];
  const consumer = kafka.consumer({
    groupId: `dlq-reader-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: dlq, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            const high = remaining.get(partition);
            if (high === undefined || BigInt(message.offset) >= high) return;
            records.push(toRecord(partition, message));
            if (BigInt(message.offset) + 1n >= high) remaining.delete(partition);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

/** Sends dead letters back to their original topic, without the dlq-* headers. */
export async function replayDeadLetters(
  kafka: Kafka,
  records: readonly DeadLetterRecord[],
  topicPrefix?: string,
): Promise<number> {
  if (records.length === 0) return 0;
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    for (const record of records) {
      const original = record.headers[DLQ_HEADERS.originalTopic];
      if (!original)
        throw new Error(`dead letter at offset ${record.offset} has no ${DLQ_HEADERS.originalTopic}`);
      const headers = Object.fromEntries(
        Object.entries(record.headers).filter(([name]) => !name.startsWith('dlq-')),
      );
      await producer.send({
        topic: physicalTopic(topicPrefix, original),
        acks: -1,
        messages: [{ key: record.key ?? null, value: record.value ?? null, headers }],
      });
    }
  } finally {
    await producer.disconnect();
  }
  return records.length;
}
