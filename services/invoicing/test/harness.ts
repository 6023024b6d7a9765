import {
  PickupEventTypes,
  PurchaseEventTypes,
  eventSource,
  type PickupRequestedData,
  type PurchaseCorrectedData,
  type PurchaseRecordedData,
} from '@recycling/contracts';
import { EventPublisher, createEventFactory, registryCatalog, type PendingEvent } from '@recycling/messaging';
import { createLogger } from '@recycling/observability';
import {
  LOCAL_DEV_JWT_SECRET,
  loadConfig,
  mintToken,
  startService,
  type Role,
  type RunningService,
} from '@recycling/service-kit';
import { requireEnv, testKafka, uniqueName, uniqueTopicPrefix, testMongoUrl } from '@recycling/testkit';
import type { Kafka } from 'kafkajs';
import type { InvoicingContext } from '../src/app/context';
import { InvoicingConfig } from '../src/config';
import { invoicingService } from '../src/service';
import { registerModels, type Models } from '../src/store/models';

export type InvoicingService = RunningService<InvoicingContext, InvoicingConfig>;

// Starts the real service in-process against the shared broker and store, with a topic prefix and a
// database of its own, and publishes purchases as sorting and dismantling would.

export interface Harness {
  service: InvoicingService;
  /** The service's models, for tests that look at (or set up) what it stored. */
  models: Models;
  kafka: Kafka;
  prefix: string;
  mongoUrl: string;
  publish(events: PendingEvent[]): Promise<void>;
  purchase(type: 'recorded' | 'corrected', data: PurchaseRecordedData | PurchaseCorrectedData): PendingEvent;
  /** A pickup.requested as the pickup service of `cityCode` (default Alar) publishes it. */
  pickupRequested(data: PickupRequestedData, options?: { id?: string; cityCode?: string }): PendingEvent;
  token(role: Role, scope?: string): Promise<string>;
  /** Moves the service's clock (`ctx.now`) so that it reads `iso` now; it runs on from there. */
  setNow(iso: string): void;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The secret residents' keys are made with, as the pickup service makes them. */
export const TEST_SELLER_KEY_SECRET = 'invoicing-test-seller-key-secret-0123456789';

/**
 * `now`: where the service's clock starts (it runs on from there, across restarts). Sales are
 * decided against it (a sale of a closed month is invoiced in the open one, an older one refused),
 * so tests that sell on fixed dates set it near them. Default: the real time.
 */
export async function startHarness(name: string, options: { now?: string } = {}): Promise<Harness> {
  let offsetMs = options.now ? Date.parse(options.now) - Date.now() : 0;
  const now = () => new Date(Date.now() + offsetMs);
  const prefix = uniqueTopicPrefix(name);
  const mongoUrl = testMongoUrl(uniqueName(`t-${name}`).replace(/[^a-zA-Z0-9_-]/g, '_'));
  const config = loadConfig(InvoicingConfig, {
    PORT: '4104',
    KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
    MONGO_URL: mongoUrl,
    JWT_SECRET: LOCAL_DEV_JWT_SECRET,
    TOPIC_PREFIX: prefix,
    SELLER_KEY_SECRET: TEST_SELLER_KEY_SECRET,
    FEED_SETTLE_MS: '0',
    DECLARATION_SCHEDULE_MS: '0',
  });
  const logger = createLogger({ service: 'invoicing', level: 'silent' });
  const start = () => startService(invoicingService, { config, logger, partitions: 1, now });
  const kafka = testKafka(`${name}-test`);
  const publisher = new EventPublisher({ kafka, topicPrefix: prefix });
  const makeEvent = createEventFactory({
    catalog: registryCatalog,
    source: eventSource('659002', 'sorting'),
  });
  const service = await start();
  const harness: Harness = {
    service,
    models: registerModels(service.connection),
    kafka,
    prefix,
    mongoUrl,
    publish: (events) => publisher.publish(events),
    purchase: (type, data) => makeEvent(PurchaseEventTypes[type], data),
    pickupRequested: (data, options = {}) =>
      createEventFactory({
        catalog: registryCatalog,
        source: eventSource(options.cityCode ?? '659002', 'pickup'),
      })(PickupEventTypes.requested, data, options.id ? { id: options.id } : {}),
    token: (role, scope) => mintToken({ sub: `${role}-1`, role, scope }),
    setNow(iso) {
      offsetMs = Date.parse(iso) - Date.now();
    },
    async restart() {
      await harness.service.stop();
      harness.service = await start();
      harness.models = registerModels(harness.service.connection);
    },
    async stop() {
      await publisher.disconnect();
      await harness.service.connection.dropDatabase().catch(() => undefined);
      await harness.service.stop();
    },
  };
  await publisher.connect();
  return harness;
}
