// Starts the real statistics service in-process against the shared broker and store, with a topic
// prefix and a database of its own, and publishes events as their producing services would.
import { eventSource, topicForType } from '@recycling/contracts';
import { EventPublisher, createEventFactory, registryCatalog, type PendingEvent } from '@recycling/messaging';
import {
  LOCAL_DEV_JWT_SECRET,
  loadConfig,
  mintToken,
  startService,
  type Role,
  type RunningService,
} from '@recycling/service-kit';
import { testKafka, uniqueName, uniqueTopicPrefix, waitFor } from '@recycling/testkit';
import pino from 'pino';
import request from 'supertest';
import { StatisticsConfig } from '../src/config';
import { statisticsService, type StatisticsRuntime } from '../src/service';

export type StatisticsService = RunningService<StatisticsRuntime>;

export interface Harness {
  prefix: string;
  mongoUrl: string;
  service: StatisticsService;
  publisher: EventPublisher;
  publish(type: string, data: unknown, options?: { id?: string }): Promise<PendingEvent>;
  republish(events: PendingEvent[]): Promise<void>;
  token(role?: Role, scope?: string): Promise<string>;
  get(path: string): Promise<request.Response>;
  cell(metric: string, month: string, dim: string, value: string, field: string): Promise<number>;
  waitForCell(
    metric: string,
    month: string,
    dim: string,
    value: string,
    field: string,
    expected: number,
  ): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const silent = pino({ level: process.env.STAT_TEST_LOG ?? 'silent' });

export const mongoUrlFor = (name: string): string => {
  const url = new URL(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:37017/');
  url.pathname = `/${name}`;
  return url.toString();
};

export async function startHarness(name: string): Promise<Harness> {
  const prefix = uniqueTopicPrefix(name);
  const mongoUrl = mongoUrlFor(uniqueName(`t-stat-${name}`).replace(/[^a-zA-Z0-9_-]/g, '_'));
  const config = loadConfig(StatisticsConfig, {
    PORT: '4105',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    MONGO_URL: mongoUrl,
    JWT_SECRET: LOCAL_DEV_JWT_SECRET,
    TOPIC_PREFIX: prefix,
    GENERATION_SYNC_MS: '500',
    LOG_LEVEL: process.env.STAT_TEST_LOG ?? 'silent',
  });
  const start = () => startService(statisticsService, { config, logger: silent, partitions: 1 });
  let service = await start();
  const publisher = new EventPublisher({ kafka: testKafka(`stat-${name}`), topicPrefix: prefix });
  await publisher.connect();
  const factories = new Map<string, ReturnType<typeof createEventFactory>>();
  const factoryFor = (type: string) => {
    const producer = topicForType(type as never).producers[0] ?? 'unknown';
    let f = factories.get(producer);
    if (!f) {
      f = createEventFactory({ catalog: registryCatalog, source: eventSource('659002', producer) });
      factories.set(producer, f);
    }
    return f;
  };
  const tokens = new Map<string, string>();
  const token = async (role: Role = 'administrator', scope?: string) => {
    const key = `${role}|${scope ?? ''}`;
    let t = tokens.get(key);
    if (!t) {
      t = await mintToken({ sub: `${role}-1`, role, scope });
      tokens.set(key, t);
    }
    return t;
  };
  const get = async (path: string) =>
    request(service.app)
      .get(path)
      .set('Authorization', `Bearer ${await token()}`);
  const cell = async (metric: string, month: string, dim: string, value: string, field: string) => {
    const res = await get(`/rollups?metric=${metric}&dim=${dim}&from=${month}&to=${month}`);
    if (res.status !== 200) throw new Error(`GET /rollups: ${res.status} ${JSON.stringify(res.body)}`);
    const row = (
      res.body.rows as Array<{ month: string; value: string; fields: Record<string, number> }>
    ).find((r) => r.value === value);
    return row?.fields[field] ?? 0;
  };
  const harness: Harness = {
    prefix,
    mongoUrl,
    get service() {
      return service;
    },
    publisher,
    async publish(type, data, options = {}) {
      const event = factoryFor(type)(type, data, options.id ? { id: options.id } : {});
      await publisher.publish([event]);
      return event;
    },
    async republish(events) {
      await publisher.publish(events);
    },
    token,
    get,
    cell,
    async waitForCell(metric, month, dim, value, field, expected) {
      let last: number | undefined;
      await waitFor(
        async () => {
          last = await cell(metric, month, dim, value, field);
          return last === expected;
        },
        {
          timeoutMs: 60_000,
          intervalMs: 250,
          what: `${metric} ${month} ${dim}=${value} ${field} = ${expected}`,
        },
      ).catch((error: unknown) => {
        throw new Error(`${String(error)} (last seen ${last})`);
      });
    },
    async restart() {
      await service.stop();
      service = await start();
    },
    async stop() {
      await publisher.disconnect();
      await service.connection.dropDatabase().catch(() => undefined);
      await service.stop();
    },
  };
  return harness;
}
