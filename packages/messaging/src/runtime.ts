// Everything a service needs to take part in the event flow, wired the same way in every service:
// topics created from the registry, one idempotent producer, the outbox relay over the service's
// collections, its consumer groups, document locks, and shutdown steps in the order that loses
// nothing (consumers stop taking events, the relay publishes what is pending, then the producer).
import { eventSource } from '@recycling/contracts';
import type { Admin, Kafka } from 'kafkajs';
import type { Connection, Model } from 'mongoose';
import type { Logger } from 'pino';
import { registryCatalog, type EventCatalog } from './catalog';
import { ConsumerRunner, type BatchHandling, type EventHandler, type RetryPolicy } from './consumer-runner';
import { DocumentLocks } from '@recycling/store';
import { createEventFactory, type EventFactory } from './events';
import { createKafka } from './kafka-client';
import { OutboxRelay } from './outbox';
import { EventPublisher } from './publisher';
import { ensureTopics } from './topics';

export interface ShutdownRegistrar {
  onShutdown(name: string, fn: () => Promise<void> | void): void;
}

export interface ConsumerSpec {
  /** Short name, part of the group id: `<service>.<name>`. */
  name: string;
  topics: string[];
  handlers: Record<string, EventHandler>;
  /** Event types applied a run at a time with bulk writes (see ConsumerRunner). */
  batch?: BatchHandling;
  retry?: Partial<RetryPolicy>;
  /** Partitions whose batches are applied at the same time (default 1; see ConsumerRunnerOptions). */
  partitionsConsumedConcurrently?: number;
  /** How long the broker may hold a fetch to gather more (see ConsumerRunnerOptions). */
  fetch?: { minBytes: number; maxWaitTimeInMs: number };
}

export interface MessagingOptions {
  service: string;
  cityCode: string;
  brokers: string[];
  connection: Connection;
  logger: Logger;
  topicPrefix?: string;
  /** Models whose documents carry an outbox (see outboxPlugin). */
  outboxModels?: Model<never>[];
  /**
   * The service's consumer groups. Pass a function when handlers need the runtime (events, relay,
   * locks): it is called once those exist, before any consumer starts.
   */
  consumers?:
    | ConsumerSpec[]
    | ((messaging: Omit<Messaging, 'consumers' | 'stop'>) => ConsumerSpec[] | Promise<ConsumerSpec[]>);
  /** The Kafka client id; default the service name. */
  clientId?: string;
  shutdown?: ShutdownRegistrar;
  catalog?: EventCatalog;
  /** Partition count override for topic creation (tests). */
  partitions?: number;
  relayPollIntervalMs?: number;
}

export interface Messaging {
  kafka: Kafka;
  admin: Admin;
  publisher: EventPublisher;
  relay: OutboxRelay;
  events: EventFactory;
  locks: DocumentLocks;
  consumers: ConsumerRunner[];
  stop(): Promise<void>;
}

export async function startMessaging(options: MessagingOptions): Promise<Messaging> {
  const catalog = options.catalog ?? registryCatalog;
  const { logger, topicPrefix } = options;
  const kafka = createKafka({
    brokers: options.brokers,
    clientId: options.clientId ?? options.service,
    logger,
  });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(kafka, catalog, { topicPrefix, partitions: options.partitions });

  const publisher = new EventPublisher({ kafka, topicPrefix });
  await publisher.connect();
  const relay = new OutboxRelay({
    connection: options.connection,
    sources: (options.outboxModels ?? []).map((model) => ({
      name: model.modelName,
      collection: model.collection,
    })),
    publisher,
    logger: logger.child({ component: 'outbox-relay' }),
    pollIntervalMs: options.relayPollIntervalMs,
  });
  relay.start();

  const events = createEventFactory({ catalog, source: eventSource(options.cityCode, options.service) });
  const locks = new DocumentLocks(options.connection);
  let specs: ConsumerSpec[];
  try {
    specs =
      typeof options.consumers === 'function'
        ? await options.consumers({ kafka, admin, publisher, relay, events, locks })
        : (options.consumers ?? []);
  } catch (error) {
    // The service could not build what its consumers need: leave nothing running behind.
    await relay.stop().catch(() => undefined);
    await publisher.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    throw error;
  }
  const consumers = specs.map(
    (spec) =>
      new ConsumerRunner({
        kafka,
        groupId: [topicPrefix, options.service, spec.name].filter(Boolean).join('.'),
        topics: spec.topics,
        handlers: spec.handlers,
        batch: spec.batch,
        cityCode: options.cityCode,
        catalog,
        dlqProducer: publisher.rawProducer,
        logger: logger.child({ component: `consumer:${spec.name}` }),
        topicPrefix,
        retry: spec.retry,
        ...(spec.partitionsConsumedConcurrently
          ? { partitionsConsumedConcurrently: spec.partitionsConsumedConcurrently }
          : {}),
        ...(spec.fetch ? { fetch: spec.fetch } : {}),
      }),
  );
  await Promise.all(consumers.map((c) => c.start()));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(consumers.map((c) => c.stop()));
    await relay.stop();
    await publisher.disconnect();
    await admin.disconnect();
  };
  options.shutdown?.onShutdown('stop messaging (consumers, outbox relay, producer)', stop);

  return {
    kafka,
    admin,
    publisher,
    relay,
    events,
    locks,
    consumers,
    stop,
  };
}
