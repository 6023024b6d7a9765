import {
  LOCAL_DEV_JWT_SECRET,
  loadConfig,
  mintToken,
  startService,
  type Role,
  type RunningService,
} from '@recycling/service-kit';
import { collectMessages, testKafka, uniqueName, uniqueTopicPrefix, waitFor } from '@recycling/testkit';
import pino from 'pino';
import request from 'supertest';
import type { AppContext } from '../../src/app/context';
import { DisposalsConfig } from '../../src/config';
import { disposalsService } from '../../src/service';

// Starts the real service in-process on its own database and topic prefix, against the shared
// broker and store, and gives tests tokens for its parties and a reader of topics.

export interface Harness {
  service: RunningService<AppContext>;
  prefix: string;
  http: ReturnType<typeof request>;
  as(role: Role, scope?: string): Promise<{ Authorization: string }>;
  collect(topics: string[]): ReturnType<typeof collectMessages>;
  stop(): Promise<void>;
}

export async function startHarness(name: string): Promise<Harness> {
  const prefix = uniqueTopicPrefix(`dp${name}`);
  const url = new URL(process.env.MONGO_URL!);
  url.pathname = `/${uniqueName(`t-disposals-${name}`).replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  const config = loadConfig(DisposalsConfig, {
    PORT: '4107',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    MONGO_URL: url.toString(),
    JWT_SECRET: LOCAL_DEV_JWT_SECRET,
    TOPIC_PREFIX: prefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  const service = await startService(disposalsService, {
    config,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    partitions: 1,
  });
  const kafka = testKafka(`disposals-test-${name}`);
  const collectors: Array<{ stop(): Promise<void> }> = [];
  return {
    service,
    prefix,
    http: request(service.app),
    as: async (role, scope) => ({
      Authorization: `Bearer ${await mintToken({ role, scope, sub: `${role}-${scope ?? 'city'}` })}`,
    }),
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
      await service.connection.dropDatabase().catch(() => undefined);
      await service.stop();
    },
  };
}

export { waitFor };
