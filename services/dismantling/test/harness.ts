// Starts the real service in-process against the shared broker and store, with a database and topic
// prefix of its own, plus helpers to mint tokens, publish pickup events and read our topics.
import { randomBytes } from 'node:crypto';
import { vinCheckDigit } from '@recycling/contracts';
import { FIXTURE_PEPPER } from '@recycling/contracts/fixtures';
import { createEventFactory, EventPublisher, registryCatalog, type PendingEvent } from '@recycling/messaging';
import { createLogger } from '@recycling/observability';
import {
  LOCAL_DEV_JWT_SECRET,
  loadConfig,
  mintToken,
  startService,
  type Role,
  type RunningService,
} from '@recycling/service-kit';
import {
  collectMessages,
  testKafka,
  uniqueName,
  uniqueTopicPrefix,
  waitFor,
  type ReceivedMessage,
  testMongoUrl,
} from '@recycling/testkit';
import type { AppContext } from '../src/app/context';
import { DismantlingConfig } from '../src/config';
import { dismantlingService } from '../src/service';

export type DismantlingService = RunningService<AppContext, DismantlingConfig>;

export interface Harness {
  service: DismantlingService;
  prefix: string;
  received: ReceivedMessage[];
  publishPickupEvent(
    type: string,
    data: unknown,
    options?: { id?: string; cityCode?: string },
  ): Promise<PendingEvent>;
  /** A second instance of the service on the same store and topics, as a replica would run. */
  startReplica(): Promise<DismantlingService>;
  eventsFor(vin: string): Array<{ type: string; key?: string; data: Record<string, unknown> }>;
  waitForEvent(
    type: string,
    match: (data: Record<string, unknown>) => boolean,
  ): Promise<{ key?: string; data: Record<string, unknown>; headers: Record<string, string> }>;
  close(): Promise<void>;
}

export async function startHarness(name: string): Promise<Harness> {
  const prefix = uniqueTopicPrefix(name);
  const dbName = uniqueName(`t-${name}`).replace(/[^a-zA-Z0-9_-]/g, '_');
  const config = loadConfig(DismantlingConfig, {
    PORT: '4103',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    MONGO_URL: testMongoUrl(dbName),
    JWT_SECRET: LOCAL_DEV_JWT_SECRET,
    SELLER_KEY_SECRET: FIXTURE_PEPPER,
    TOPIC_PREFIX: prefix,
    LOG_LEVEL: 'silent',
  });
  const logger = createLogger({ service: 'dismantling', level: 'silent' });
  const start = () => startService(dismantlingService, { config, logger, partitions: 1 });
  const service = await start();

  const kafka = testKafka(`dismantling-${name}`);
  const collector = await collectMessages(kafka, [
    `${prefix}.recycling.vehicles.v1`,
    `${prefix}.recycling.purchases.v1`,
  ]);
  const publisher = new EventPublisher({ kafka, topicPrefix: prefix });
  await publisher.connect();
  const pickupEvent = (cityCode: string) =>
    createEventFactory({ catalog: registryCatalog, source: `urn:recycling:${cityCode}:pickup` });
  const replicas: DismantlingService[] = [];

  const parsed = () =>
    collector.received.map((m) => ({
      type: m.headers.ce_type ?? '',
      key: m.key,
      data: JSON.parse(m.value ?? '{}') as Record<string, unknown>,
      headers: m.headers,
    }));

  return {
    service,
    prefix,
    received: collector.received,
    async publishPickupEvent(type, data, options = {}) {
      const event = pickupEvent(options.cityCode ?? '659002')(
        type,
        data,
        options.id ? { id: options.id } : {},
      );
      await publisher.publish([event]);
      return event;
    },
    async startReplica() {
      const replica = await start();
      replicas.push(replica);
      return replica;
    },
    eventsFor: (vin) => parsed().filter((m) => m.data.vin === vin),
    waitForEvent: (type, match) =>
      waitFor(() => parsed().find((m) => m.type === type && match(m.data)), { what: type }),
    async close() {
      await Promise.all(replicas.map((r) => r.stop()));
      await collector.stop();
      await publisher.disconnect();
      await service.connection.dropDatabase().catch(() => undefined);
      await service.stop();
    },
  };
}

export const token = (role: Role, scope?: string) =>
  mintToken({ sub: `${role}-${scope ?? 'city'}`, role, ...(scope ? { scope } : {}) });

/** A VIN with a correct check digit that no other test uses. */
export const freshVin = (): string => {
  const serial = randomBytes(4).readUInt32BE(0).toString().padStart(10, '0').slice(-7);
  const draft = `LSVAG2180A${serial}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
};

/** A short unique id for sites and pickups (site ids prefix certificate numbers, so they stay short). */
export const shortId = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

export const dismantlerBody = (overrides: Record<string, unknown> = {}) => ({
  name: '阿拉尔市报废机动车回收拆解有限公司',
  enterpriseId: 'ent-alar-dismantling',
  qualificationCertificateNo: '新BF-659002-001',
  districtCode: 't10',
  status: 'active',
  ...overrides,
});

export const intakeBody = (dismantlerId: string, vin: string, overrides: Record<string, unknown> = {}) => ({
  dismantlerId,
  vin,
  plate: '新N12323',
  engineNo: 'CEA218765',
  brandModel: '桑塔纳 SVW7182',
  vehicleType: 'passenger-car',
  fuelType: 'gasoline',
  emissionStandard: 'china-3',
  registrationDate: '2009-06-18',
  curbWeightGrams: 1_180_000,
  weighedGrams: 1_162_500,
  documentsReceived: { registrationCertificate: true, drivingLicence: true, plates: 2 },
  photoIds: ['ph-001', 'ph-002'],
  priceFen: 150_000,
  owner: {
    kind: 'person',
    name: '阿依古丽·买买提',
    idType: 'resident-id-card',
    idNumber: '65900219900517234X',
  },
  payment: {
    paidAt: '2026-03-01T04:12:00Z',
    paymentRecordId: 'pay-20260301-0019',
    consentRecordedAt: '2026-03-01T04:11:30Z',
  },
  ...overrides,
});
