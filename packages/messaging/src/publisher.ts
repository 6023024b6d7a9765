// The one producer a service has. Idempotent (the broker drops a retried batch it already has),
// acks from all in-sync replicas, one request in flight so the order of events of one key holds.
import { toCloudEventHeaders } from '@recycling/contracts';
import {
  ROOT_CONTEXT,
  SpanKind,
  contextFromTraceparent,
  inSpan,
  injectTraceContext,
  spanContextOf,
} from '@recycling/observability';
import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import { physicalTopic } from './catalog';
import { countBrokerRequests, messagingMetrics } from './metrics';
import type { PendingEvent } from './events';

export interface PublisherOptions {
  kafka: Kafka;
  topicPrefix?: string;
  /** Most bytes of messages in one producer request (default 512 KB, half the broker's default limit). */
  maxRequestBytes?: number;
}

const MAX_REQUEST_BYTES = 512 * 1024;

/** What a message takes on the wire, near enough: key, value and headers. */
export function messageBytes(message: Message): number {
  let bytes = Buffer.byteLength(String(message.key ?? '')) + Buffer.byteLength(String(message.value ?? ''));
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(String(value ?? ''));
  }
  return bytes + 64; // record overhead
}

/** Consecutive slices of at most `maxBytes` each (a message larger than that is a slice alone), in order. */
export function slicesOf<T extends { message: Message }>(items: readonly T[], maxBytes: number): T[][] {
  const slices: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    const bytes = messageBytes(item.message);
    if (current.length > 0 && size + bytes > maxBytes) {
      slices.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length > 0) slices.push(current);
  return slices;
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
    countBrokerRequests(this.producer, 'producer');
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
   * Publishes events in order, in as few producer requests as the broker's size limit allows. Events of one trace (a request that made
   * them) are sent under it, so the send span and the traceparent header continue that trace; a
   * batch of several traces is sent under one span linked to each of them (the OpenTelemetry way to
   * trace a batch), so a relay pass never splits into one request per trace.
   */
  async publish(events: readonly PendingEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.connect();
    const traces = distinctTraces(events);
    const parent = traces.length === 1 ? contextFromTraceparent(traces[0]) : undefined;
    const links =
      traces.length > 1
        ? traces.flatMap((t) => {
            const context = spanContextOf(contextFromTraceparent(t));
            return context ? [{ context }] : [];
          })
        : undefined;
    await inSpan(
      'outbox publish',
      {
        parent: parent ?? ROOT_CONTEXT,
        links,
        kind: SpanKind.INTERNAL,
        attributes: { 'messaging.batch.message_count': events.length },
      },
      async () => {
        // One request per slice: the broker refuses a record batch over its message.max.bytes
        // (1 MB by default), and a relay pass can hold more than that.
        const messages = events.map((event) => ({ event, message: toMessage(event) }));
        for (const slice of slicesOf(messages, this.options.maxRequestBytes ?? MAX_REQUEST_BYTES)) {
          await this.producer.sendBatch({
            acks: -1,
            topicMessages: groupByTopic(slice.map((m) => m.event)).map(([topic]) => ({
              topic: physicalTopic(this.options.topicPrefix, topic),
              messages: slice.filter((m) => m.event.topic === topic).map((m) => m.message),
            })),
          });
        }
      },
    );
    for (const [topic, batch] of groupByTopic(events))
      messagingMetrics.published.inc({ topic }, batch.length);
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

/** The stored trace contexts among the events, each once. */
function distinctTraces(
  events: readonly PendingEvent[],
): Array<{ traceparent?: string; tracestate?: string }> {
  const byParent = new Map<string, { traceparent?: string; tracestate?: string }>();
  for (const e of events) {
    if (e.traceparent && !byParent.has(e.traceparent)) {
      byParent.set(e.traceparent, { traceparent: e.traceparent, tracestate: e.tracestate });
    }
  }
  return [...byParent.values()];
}

function groupByTopic(events: readonly PendingEvent[]): Array<[string, PendingEvent[]]> {
  const byTopic = new Map<string, PendingEvent[]>();
  for (const event of events) {
    const list = byTopic.get(event.topic);
    if (list) list.push(event);
    else byTopic.set(event.topic, [event]);
  }
  return [...byTopic.entries()];
}
