// Starting the real service in-process against the shared broker and store, with a database and a
// topic prefix of its own, plus the pickups a pickup service would publish.
import { PickupEventTypes, type PickupRequestedData } from '@recycling/contracts';
import { fixtures } from '@recycling/contracts/fixtures';
import { EventPublisher, createEventFactory, registryCatalog, type PendingEvent } from '@recycling/messaging';
import { createLogger, type Logger } from '@recycling/observability';
import {
  LOCAL_DEV_JWT_SECRET,
  loadConfig,
  mintToken,
  startService,
  type RunningService,
} from '@recycling/service-kit';
import { testKafka, uniqueName, testMongoUrl } from '@recycling/testkit';
import type { SortingContext } from '../src/app/context';
import { SortingConfig } from '../src/config';
import { sortingService } from '../src/service';

export type SortingService = RunningService<SortingContext, SortingConfig>;

export const SELLER_KEY_SECRET = 'sorting-test-seller-key-secret';

export const testConfig = (dbName: string, topicPrefix: string) =>
  loadConfig(SortingConfig, {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    MONGO_URL: testMongoUrl(dbName),
    JWT_SECRET: LOCAL_DEV_JWT_SECRET,
    SELLER_KEY_SECRET,
    TOPIC_PREFIX: topicPrefix,
    LOG_LEVEL: 'silent',
  });

export const uniqueDbName = (prefix: string) => uniqueName(`t-${prefix}`).replace(/[^a-zA-Z0-9_-]/g, '_');

export interface StartOptions {
  /**
   * false leaves this instance's outboxes unpublished, as if the process died right after each
   * save: tests use it to show that the next instance publishes what was saved, exactly once.
   */
  publishOutbox?: boolean;
  logger?: Logger;
}

/** The real service in-process, on its own database and topic prefix. */
export const startSorting = (
  dbName: string,
  topicPrefix: string,
  options: StartOptions = {},
): Promise<SortingService> =>
  startService(options.publishOutbox === false ? { ...sortingService, outbox: () => [] } : sortingService, {
    config: testConfig(dbName, topicPrefix),
    logger: options.logger ?? createLogger({ service: 'sorting', level: 'silent' }),
    partitions: 1,
  });

export const bearer = async (role: 'administrator' | 'station-operator' | 'resident', scope?: string) =>
  `Bearer ${await mintToken({ sub: `${role}-1`, role, scope })}`;

const pickupEvents = createEventFactory({ catalog: registryCatalog, source: 'urn:recycling:659002:pickup' });

/** What the pickup service would publish for one appliance pickup booked for `stationId`. */
export function pickupStory(pickupId: string, stationId: string) {
  const requestedData: PickupRequestedData = {
    ...(fixtures[PickupEventTypes.requested] as PickupRequestedData),
    pickupId,
    assignedSite: { kind: 'station', siteId: stationId },
  } as PickupRequestedData;
  const requested = pickupEvents(PickupEventTypes.requested, requestedData);
  const scheduled = pickupEvents(PickupEventTypes.scheduled, {
    pickupId,
    siteId: stationId,
    slot: { date: '2025-03-01', window: '10:00-13:00' },
    crewId: 'crew-3',
    occurredAt: '2025-02-28T06:00:00Z',
  });
  const collected = pickupEvents(PickupEventTypes.collected, {
    pickupId,
    siteId: stationId,
    kind: 'appliances',
    appliances: [
      { category: 'refrigerator', count: 1 },
      { category: 'washing-machine', count: 1 },
    ],
    occurredAt: '2025-03-01T02:40:00Z',
  });
  return { requested, scheduled, collected, data: requestedData };
}

export async function publishPickupEvents(topicPrefix: string, events: PendingEvent[]): Promise<void> {
  const publisher = new EventPublisher({ kafka: testKafka('pickup-test'), topicPrefix });
  await publisher.connect();
  try {
    await publisher.publish(events);
  } finally {
    await publisher.disconnect();
  }
}

/** A natural-person seller as the desk enters them (fictitious, well-formed id number). */
export const personSeller = {
  kind: 'person' as const,
  name: '王建新',
  idType: 'resident-id-card' as const,
  idNumber: '659002197803124511',
  consentToReverseInvoicing: true as const,
};
