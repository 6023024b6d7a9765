// Starts the real service in-process against the shared broker and store, on a database and topic
// prefix of its own (and, where a test needs it, the dismantling service on the same topics), with
// helpers to mint tokens, publish the network's events as their producers would, and read our topics.
import { randomBytes, randomUUID } from 'node:crypto';
import { alarProfile, validateResidentIdNumber, vinCheckDigit, type CityProfile } from '@recycling/contracts';
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
  testMongoUrl,
  uniqueName,
  uniqueTopicPrefix,
  waitFor,
  type ReceivedMessage,
} from '@recycling/testkit';
import request from 'supertest';
import type { SubsidyContext } from '../../src/app/context';
import { SubsidiesConfig } from '../../src/config';
import { subsidiesService } from '../../src/service';

export type SubsidiesService = RunningService<SubsidyContext, SubsidiesConfig>;

export interface HarnessOptions {
  /** Changes to Alar's profile (a small budget), handed to the service as CITY_PROFILE JSON. */
  profile?: (profile: CityProfile) => void;
  /** The service's clock starts at this instant and runs on (rules follow the date of sale). */
  clockStartsAt?: string;
}

export interface Harness {
  service: SubsidiesService;
  prefix: string;
  received: ReceivedMessage[];
  http: ReturnType<typeof request>;
  /** A second instance on the same store and topics, as a replica runs. */
  startReplica(): Promise<SubsidiesService>;
  /** Publishes an event as `producer` would (validated, keyed by the registry, CloudEvents headers). */
  publish(type: string, data: unknown, producer?: string): Promise<PendingEvent>;
  /** Publishes what a buggy producer might: no validation at all. */
  publishRaw(type: string, topic: string, key: string, data: unknown): Promise<void>;
  /** Our events, parsed. */
  events(type?: string): Array<{ type: string; key?: string; id: string; data: Record<string, unknown> }>;
  close(): Promise<void>;
}

export const env = (prefix: string, dbName: string, profile?: CityProfile) => ({
  PORT: '4106',
  KAFKA_BROKERS: process.env.KAFKA_BROKERS,
  MONGO_URL: testMongoUrl(dbName),
  JWT_SECRET: LOCAL_DEV_JWT_SECRET,
  SELLER_KEY_SECRET: FIXTURE_PEPPER,
  TOPIC_PREFIX: prefix,
  LOG_LEVEL: 'silent',
  ...(profile ? { CITY_PROFILE: JSON.stringify(profile) } : {}),
});

export async function startHarness(name: string, options: HarnessOptions = {}): Promise<Harness> {
  const prefix = uniqueTopicPrefix(name);
  const dbName = uniqueName(`t-${name}`).replace(/[^a-zA-Z0-9_-]/g, '_');
  let profile: CityProfile | undefined;
  if (options.profile) {
    profile = structuredClone(alarProfile);
    options.profile(profile);
  }
  const config = loadConfig(SubsidiesConfig, env(prefix, dbName, profile));
  const logger = createLogger({
    service: 'subsidies',
    level: (process.env.TEST_LOG_LEVEL as 'silent') ?? 'silent',
  });
  const startedAt = Date.now();
  const now = options.clockStartsAt
    ? () => new Date(Date.parse(options.clockStartsAt!) + (Date.now() - startedAt))
    : undefined;
  const start = () =>
    startService(subsidiesService, { config, logger, partitions: 1, ...(now ? { now } : {}) });
  const service = await start();
  const replicas: SubsidiesService[] = [];

  const kafka = testKafka(`subsidies-${name}`);
  const collector = await collectMessages(kafka, [
    `${prefix}.recycling.subsidies.v1`,
    `${prefix}.recycling.vehicles.v1.dlq`,
    `${prefix}.recycling.used-cars.v1.dlq`,
  ]);
  const publisher = new EventPublisher({ kafka, topicPrefix: prefix });
  await publisher.connect();

  return {
    service,
    prefix,
    received: collector.received,
    http: request(service.app),
    async startReplica() {
      const replica = await start();
      replicas.push(replica);
      return replica;
    },
    async publish(type, data, producer = 'dismantling') {
      const event = createEventFactory({
        catalog: registryCatalog,
        source: `urn:recycling:659002:${producer}`,
      })(type, data);
      await publisher.publish([event]);
      return event;
    },
    async publishRaw(type, topic, key, data) {
      await publisher.publish([
        {
          id: randomUUID(),
          topic,
          key,
          type,
          source: 'urn:recycling:659002:dismantling',
          time: new Date().toISOString(),
          data,
        },
      ]);
    },
    events: (type) =>
      collector.received
        .filter((m) => m.topic === `${prefix}.recycling.subsidies.v1`)
        .map((m) => ({
          type: m.headers.ce_type ?? '',
          key: m.key,
          id: m.headers.ce_id ?? '',
          data: JSON.parse(m.value ?? '{}') as Record<string, unknown>,
        }))
        .filter((e) => type === undefined || e.type === type),
    async close() {
      await Promise.all(replicas.map((r) => r.stop()));
      await collector.stop();
      await publisher.disconnect();
      await service.connection.dropDatabase().catch(() => undefined);
      await service.stop();
    },
  };
}

export const token = (role: Role, scope?: string, sub = `${role}-${scope ?? 'city'}`) =>
  mintToken({ sub, role, ...(scope ? { scope } : {}) });

export const auth = async (role: Role, scope?: string, sub?: string) => ({
  Authorization: `Bearer ${await token(role, scope, sub)}`,
});

/** A VIN with a correct check digit that no other test uses. */
export const freshVin = (): string => {
  const serial = randomBytes(4).readUInt32BE(0).toString().padStart(10, '0').slice(-7);
  const draft = `LSVAG2180A${serial}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
};

/**
 * A resident id number of Alar with a correct check character, born on `birth` (YYYYMMDD), by
 * default a day between 1960 and 1999: with one birthday and 1,000 sequence numbers, twenty people
 * shared an id number about one run in five, and the second was refused as the same person.
 */
export const freshIdNumber = (birth = randomBirthDate()): string => {
  const body = `659002${birth}${String(randomBytes(2).readUInt16BE(0) % 1000).padStart(3, '0')}`;
  for (const check of '0123456789X') {
    const id = `${body}${check}`;
    if (validateResidentIdNumber(id).valid) return id;
  }
  throw new Error(`no check character fits ${body}`);
};

export const freshDigits = (n: number): string =>
  Array.from(randomBytes(n), (b) => String(b % 10))
    .join('')
    .replace(/^0/, '1');

function randomBirthDate(): string {
  const days = randomBytes(2).readUInt16BE(0) % 14_600; // 40 years
  return new Date(Date.UTC(1960, 0, 1) + days * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
}

/** A card number with a correct Luhn digit. */
export const freshCard = (): string => {
  const body = `622848${freshDigits(12)}`;
  for (let d = 0; d <= 9; d++) {
    const card = `${body}${d}`;
    let sum = 0;
    for (let i = 0; i < card.length; i++) {
      let x = Number(card[card.length - 1 - i]);
      if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 === 0) return card;
  }
  throw new Error('no Luhn digit');
};

export const shortId = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

export interface Person {
  name: string;
  idNumber: string;
  phone: string;
  resident: string;
}

export const freshPerson = (name = '阿依古丽·买买提'): Person => ({
  name,
  idNumber: freshIdNumber(),
  phone: `139${freshDigits(8)}`,
  resident: shortId('r'),
});

/** A scrap-and-buy (or sell-and-buy) claim body of `person`, bought in 2025 under the 2025 rule. */
export const carClaimBody = (
  person: Person,
  cars: { oldVin: string; newVin: string; certificateNo?: string; invoiceNo?: string },
  overrides: { programmeCode?: string; purchaseDate?: string } = {},
) => ({
  programmeCode: overrides.programmeCode ?? 'car-scrap',
  applicant: {
    name: person.name,
    idType: 'resident-id-card',
    idNumber: person.idNumber,
    phone: person.phone,
    districtCode: 't10',
  },
  bankCard: { cardNo: freshCard(), bankName: '中国农业银行阿拉尔分行', holderName: person.name },
  oldCar: {
    vin: cars.oldVin,
    vehicleType: 'passenger-car',
    fuelType: 'gasoline',
    emissionStandard: 'china-3',
    registrationDate: '2009-06-18',
    ownedSince: '2012-03-01',
    ...(cars.certificateNo ? { certificateNo: cars.certificateNo } : {}),
  },
  newCar: {
    vin: cars.newVin,
    vehicleType: 'passenger-car',
    fuelType: 'bev',
    priceFen: 15_980_000,
    invoiceNo: cars.invoiceNo ?? freshDigits(20),
    purchaseDate: overrides.purchaseDate ?? '2025-03-01',
    registrationDate: '2025-03-04',
    registration: { certificateNo: `DJ${freshDigits(10)}`, ownerIdNumber: person.idNumber },
    dealer: { name: '阿拉尔市比亚迪汽车销售服务有限公司', districtCode: 's-jinyinchuanlu' },
  },
});

/** The dismantler's certificate and completed deregistration of `vin`, as dismantling publishes them. */
export async function publishScrapEvidence(
  h: Harness,
  vin: string,
  certificateNo: string,
  { deregistered = true }: { deregistered?: boolean } = {},
) {
  const vehicleIntakeId = shortId('vi');
  const certificate = await h.publish('recycling.vehicle.certificate-issued.v1', {
    vin,
    vehicleIntakeId,
    certificateNo,
    dismantlerId: 'dm-alar-01',
    enterpriseId: 'ent-alar-dismantling',
    occurredAt: '2025-02-28T03:00:00Z',
  });
  const deregistration = deregistered
    ? await h.publish('recycling.vehicle.deregistered.v1', {
        vin,
        vehicleIntakeId,
        dismantlerId: 'dm-alar-01',
        certificateNo,
        deregistrationCertificateNo: `ZX-${certificateNo}`,
        deregisteredOn: '2025-03-02',
        occurredAt: '2025-03-02T06:00:00Z',
      })
    : undefined;
  return { certificate, deregistration };
}

/** Waits for a claim to reach `status`, reading it as `as`. */
export async function claimReaches(
  h: { http: ReturnType<typeof request> },
  claimId: string,
  status: string,
  as: { Authorization: string },
) {
  return waitFor(
    async () => {
      const r = await h.http.get(`/claims/${claimId}`).set(as);
      return r.body.status === status && r.body;
    },
    { what: `claim ${claimId} ${status}`, timeoutMs: 30_000 },
  );
}

export { waitFor };
