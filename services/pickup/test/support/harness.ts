import {
  alarProfile,
  keyForEvent,
  topicForType,
  type EventDataOf,
  type EventType,
} from '@recycling/contracts';
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
import pino from 'pino';
import request from 'supertest';
import { PickupConfig } from '../../src/config';
import { addDays, localDateOf } from '../../src/domain/local-dates';
import type { PickupContext } from '../../src/app/context';
import { pickupService } from '../../src/service';

export type PickupService = RunningService<PickupContext>;

// Starts the real service in-process on its own database and topic prefix, against the shared
// broker and store, and gives tests what they need to drive it like its users do.

export const STATION = { siteId: 'st-xingfulu-01', enterpriseId: 'ent-lvyuan' };
export const OTHER_STATION = { siteId: 'st-qingsong-02', enterpriseId: 'ent-qingsong' };
export const DISMANTLER = { siteId: 'dm-alar-01', enterpriseId: 'ent-alar-dismantling' };

export const inDays = (n: number) => addDays(localDateOf(new Date(), alarProfile.timezone), n);

export interface Harness {
  service: PickupService;
  prefix: string;
  http: ReturnType<typeof request>;
  token(role: Role, scope?: string, sub?: string): Promise<string>;
  as(role: Role, scope?: string): Promise<{ Authorization: string }>;
  /** Publishes a downstream event as the producing service would (CloudEvents headers, registry key). */
  publish<T extends EventType>(
    type: T,
    data: Partial<EventDataOf<T>>,
    id?: string,
    source?: string,
  ): Promise<PendingEvent>;
  pickupEvents(): Promise<{
    received: Array<{ key?: string; value?: string; headers: Record<string, string> }>;
    stop(): Promise<void>;
  }>;
  stop(): Promise<void>;
}

export async function startHarness(name: string, env: Record<string, string> = {}): Promise<Harness> {
  const prefix = uniqueTopicPrefix(`pk${name}`);
  const url = new URL(process.env.MONGO_URL!);
  url.pathname = `/${uniqueName(`t-pickup-${name}`).replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  const config = loadConfig(PickupConfig, {
    PORT: '4101',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    MONGO_URL: url.toString(),
    JWT_SECRET: LOCAL_DEV_JWT_SECRET,
    SELLER_KEY_SECRET: 'test-seller-key-secret-0123456789',
    TOPIC_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const service = await startService(pickupService, {
    config,
    logger: pino({ level: 'silent' }),
    partitions: 1,
  });
  const kafka = testKafka(`pickup-test-${name}`);
  const publisher = new EventPublisher({ kafka, topicPrefix: prefix });
  await publisher.connect();
  const token = (role: Role, scope?: string, sub = `${role}-${scope ?? 'city'}`) =>
    mintToken({ role, scope, sub });
  return {
    service,
    prefix,
    http: request(service.app),
    token,
    as: async (role, scope) => ({ Authorization: `Bearer ${await token(role, scope)}` }),
    publish: async (type, data, id, source) => {
      const event = fixtureEvent(type, { data: data as never, id });
      const pending: PendingEvent = {
        id: event.id,
        topic: topicForType(type).name,
        key: keyForEvent(type, event.data),
        type,
        source: source ?? event.source,
        time: event.time,
        data: event.data,
      };
      await publisher.publish([pending]);
      return pending;
    },
    pickupEvents: () => collectMessages(kafka, [`${prefix}.recycling.pickups.v1`]),
    stop: async () => {
      await publisher.disconnect();
      await service.connection.dropDatabase().catch(() => undefined);
      await service.stop();
    },
  };
}

export async function registerSites(h: Harness): Promise<void> {
  const admin = await h.as('administrator');
  const sites = [
    {
      ...STATION,
      kind: 'station',
      name: { zh: '幸福路回收站', en: 'Xingfulu station' },
      districts: ['s-xingfulu', 't01'],
    },
    {
      ...OTHER_STATION,
      kind: 'station',
      name: { zh: '青松路回收站', en: 'Qingsonglu station' },
      districts: ['s-qingsonglu'],
    },
    {
      ...DISMANTLER,
      kind: 'dismantler',
      name: { zh: '阿拉尔报废车拆解', en: 'Alar dismantling' },
      districts: ['t10', 's-xingfulu', 't01'],
    },
  ];
  for (const { siteId, ...body } of sites) {
    const res = await h.http
      .put(`/sites/${siteId}`)
      .set(admin)
      .send({ ...body, active: true });
    if (res.status !== 201 && res.status !== 200)
      throw new Error(`site ${siteId}: ${res.status} ${res.text}`);
  }
}

export const applianceBooking = (overrides: Record<string, unknown> = {}) => ({
  kind: 'appliances',
  appliances: [
    { category: 'refrigerator', count: 1, brand: '海尔', ageYears: 14, condition: 'faulty' },
    { category: 'washing-machine', count: 1 },
  ],
  address: { districtCode: 's-xingfulu', detail: '幸福路 12 号 3 栋 2 单元 401' },
  contact: { name: '王建新', phone: '13912345678' },
  slot: { date: inDays(2), window: '10:00-13:00' },
  ...overrides,
});

export const vehicleBooking = (overrides: Record<string, unknown> = {}) => ({
  kind: 'vehicle',
  vehicle: {
    plate: '新N12323',
    vin: 'LSVAG218892512345',
    vehicleType: 'passenger-car',
    fuelType: 'gasoline',
    emissionStandard: 'china-3',
    registrationDate: '2009-06-18',
  },
  address: { districtCode: 't10', detail: '昌安镇 3 连 15 号' },
  contact: { phone: '0997-4612345' },
  slot: { date: inDays(3), window: '16:00-19:00' },
  ...overrides,
});

export { waitFor };
