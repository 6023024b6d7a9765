// The one producer a service has. Idempotent (the broker drops a retried batch it already has),
// acks from all in-sync replicas, one request in flight so the order of events of one key holds.
import { toCloudEventHeaders } from '@recycling/contracts';
import { SpanKind, contextFromTraceparent, inSpan, injectTraceContext } from '@recycling/observability';
import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import { physicalTopic } from './catalog';
import type { PendingEvent } from './events';

export interface PublisherOptions {
  kafka: Kafka;
  topicPrefix?: string;
}

export class EventPublisher {
  private readonly producer: Producer;
  private connected = false;

  constructor(private readonly options: PublisherOptions) {
    this.producer = options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // The Java client's murmur2 partitioner, so keys land where every other Kafka client puts them.
      createPartitioner: Partitioners.DefaultPartitioner,
      // No retry limit here: kafkajs warns that limiting an idempotent producer's retries can
      // break its exactly-once delivery to the log.
    });
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect();
  }

  /** The raw producer, for the consumer runner's dead-letter messages. */
  get rawProducer(): Producer {
    return this.producer;
  }

  /**
   * Publishes events in order. Events that carry a stored trace context are sent under it, so the
   * send span (and the traceparent header) continues the trace of the request that made them.
   */
  async publish(events: readonly PendingEvent[]): Promise<void> {
    await this.connect();
    for (const group of groupByTrace(events)) {
      const parent = contextFromTraceparent({
        traceparent: group[0]!.traceparent,
        tracestate: group[0]!.tracestate,
      });
      await inSpan(
        'outbox publish',
        { parent, kind: SpanKind.INTERNAL, attributes: { 'messaging.batch.message_count': group.length } },
        () =>
          this.producer.sendBatch({
            acks: -1,
            topicMessages: groupByTopic(group).map(([topic, batch]) => ({
              topic: physicalTopic(this.options.topicPrefix, topic),
              messages: batch.map(toMessage),
            })),
          }),
      );
    }
  }
}

function toMessage(event: PendingEvent): Message {
  const headers = injectTraceContext({ ...toCloudEventHeaders(event) } as Record<string, string>);
  return {
    key: event.key,
    value: JSON.stringify(event.data),
    headers,
    timestamp: String(Date.parse(event.time)),
  };
}

/** Consecutive events with the same trace go in one request; order across groups is kept. */
function groupByTrace(events: readonly PendingEvent[]): PendingEvent[][] {
  const groups: PendingEvent[][] = [];
  for (const event of events) {
    const last = groups.at(-1);
    if (last && last[0]!.traceparent === event.traceparent) last.push(event);
    else groups.push([event]);
  }
  return groups;
}

function groupByTopic(events: readonly PendingEvent[]): Array<[string, PendingEvent[]]> {
  const byTopic = new Map<string, PendingEvent[]>();
  for (const event of events) byTopic.set(event.topic, [...(byTopic.get(event.topic) ?? []), event]);
  return [...byTopic.entries()];
}
