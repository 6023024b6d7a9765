import { keyForEvent, topicForType, type EventDataOf, type EventType } from '@recycling/contracts';
import { fixtureEvent } from '@recycling/contracts/fixtures';
import { EventPublisher, type PendingEvent } from '@recycling/messaging';
import {
  LOCAL_DEV_JWT_SECRET,
  loadConfig,
  mintToken,
  startService,
  type Role,
  type RunningService,
} from '@recycling/service-kit';
import { collectMessages, testKafka, uniqueName, uniqueTopicPrefix, waitFor } from '@recycling/testkit';
import type { Kafka } from 'kafkajs';
import pino from 'pino';
import request from 'supertest';
import type { AppContext } from '../../src/app/context';
import { RemanufacturingConfig } from '../../src/config';
import { remanufacturingService } from '../../src/service';

// Starts the real service in-process on its own database and topic prefix, against the shared
// broker and store, and publishes the dismantlers' and stations' events as their producers would
// (CloudEvents headers, the registry's key, ce_source of the producing service).

export interface Harness {
  service: RunningService<AppContext>;
  prefix: string;
  kafka: Kafka;
  http: ReturnType<typeof request>;
  as(role: Role, scope?: string): Promise<{ Authorization: string }>;
  /** Publishes an event of another service, its fixture with `data` laid over it. */
  publish<T extends EventType>(type: T, data: Partial<EventDataOf<T>>, id?: string): Promise<PendingEvent>;
  /** Publishes exactly what it is given (an event that breaks its schema). */
  publishRaw(event: PendingEvent): Promise<void>;
  collect(topics: string[]): ReturnType<typeof collectMessages>;
  stop(): Promise<void>;
}

export async function startHarness(name: string): Promise<Harness> {
  const prefix = uniqueTopicPrefix(`rm${name}`);
  const url = new URL(process.env.MONGO_URL!);
  url.pathname = `/${uniqueName(`t-reman-${name}`).replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  const config = loadConfig(RemanufacturingConfig, {
    PORT: '4108',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    MONGO_URL: url.toString(),
    JWT_SECRET: LOCAL_DEV_JWT_SECRET,
    TOPIC_PREFIX: prefix,
    LOG_LEVEL: 'silent',
  });
  const service = await startService(remanufacturingService, {
    config,
    logger: pino({ level: 'silent' }),
    partitions: 1,
  });
  const kafka = testKafka(`reman-test-${name}`);
  const publisher = new EventPublisher({ kafka, topicPrefix: prefix });
  await publisher.connect();
  const token = (role: Role, scope?: string) => mintToken({ role, scope, sub: `${role}-${scope ?? 'city'}` });
  // Collectors still reading when the file ends (a failed assertion skipped their stop) stop with it.
  const collectors: Array<{ stop(): Promise<void> }> = [];
  return {
    service,
    prefix,
    kafka,
    http: request(service.app),
    as: async (role, scope) => ({ Authorization: `Bearer ${await token(role, scope)}` }),
    publish: async (type, data, id) => {
      const event = fixtureEvent(type, { data: data as never, id });
      const pending: PendingEvent = {
        id: event.id,
        topic: topicForType(type).name,
        key: keyForEvent(type, event.data),
        type,
        source: event.source,
        time: event.time,
        data: event.data,
      };
      await publisher.publish([pending]);
      return pending;
    },
    publishRaw: (event) => publisher.publish([event]),
    collect: async (topics) => {
      const collector = await collectMessages(
        kafka,
        topics.map((t) => `${prefix}.${t}`),
      );
      collectors.push(collector);
      return collector;
    },
    stop: async () => {
      await Promise.all(collectors.map((c) => c.stop().catch(() => undefined)));
      await publisher.disconnect();
      await service.connection.dropDatabase().catch(() => undefined);
      await service.stop();
    },
  };
}

export { waitFor };
