// Starting the real service in-process against the shared broker and store, with a database and a
// topic prefix of its own, plus the pickups a pickup service would publish.
import { PickupEventTypes, type PickupRequestedData } from '@recycling/contracts';
import { fixtures } from '@recycling/contracts/fixtures';
import { EventPublisher, createEventFactory, registryCatalog, type PendingEvent } from '@recycling/messaging';
import { createLogger } from '@recycling/observability';
import { LOCAL_DEV_JWT_SECRET, loadConfig, mintToken } from '@recycling/service-kit';
import { testKafka, uniqueName, testMongoUrl } from '@recycling/testkit';
import { SortingConfig } from '../src/config';
import { buildService, type BuildOptions, type SortingService } from '../src/service';

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

export const startSorting = (
  dbName: string,
  topicPrefix: string,
  options: BuildOptions = {},
): Promise<SortingService> =>
  buildService(
    testConfig(dbName, topicPrefix),
    createLogger({ service: 'sorting', level: 'silent' }),
    undefined,
    options,
  );

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
