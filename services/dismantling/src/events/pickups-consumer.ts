import {
  parseEventSource,
  PickupEventTypes,
  topics,
  type PickupCollectedData,
  type PickupRequestedData,
} from '@recycling/contracts';
import { applyOnceByEventId, type ConsumerSpec, type EventHandler } from '@recycling/messaging';
import type { DocumentLocks } from '@recycling/store';
import type { Logger } from 'pino';
import { backfillIntakesOfPickup } from '../app/pickup-backfill';
import { rawCollection, type ExpectedVehicleDoc, type Models } from '../store/models';

// Vehicle pickups assigned to our sites become "expected vehicles", so a site sees what is coming and
// an intake can take district and owner account from the pickup. The consumer is the only writer of
// these documents, keyed by pickupId (the topic's key), so one partition orders them; every effect is
// guarded by the event id in the same update.
//
// A vehicle taken in before its pickup.requested arrived gets the pickup's resident and district
// when it does (app/pickup-backfill.ts), so the owner can still read the certificate.

export interface PickupsConsumerDeps {
  models: Models;
  cityCode: string;
  locks: Pick<DocumentLocks, 'withLock'>;
  logger: Logger;
}

const collection = (models: Models) => rawCollection(models.ExpectedVehicle);

export function pickupsConsumer({
  models,
  cityCode,
  locks,
  logger: serviceLogger,
}: PickupsConsumerDeps): ConsumerSpec {
  const fromOurCity = (source: string) => parseEventSource(source)?.cityCode === cityCode;

  const requested: EventHandler<PickupRequestedData> = async (event, { logger }) => {
    const data = event.data;
    if (data.kind !== 'vehicle' || !fromOurCity(event.source)) return;
    const site = await models.Dismantler.exists({ _id: data.assignedSite.siteId });
    if (!site) {
      logger.warn(
        { pickupId: data.pickupId, siteId: data.assignedSite.siteId },
        'vehicle pickup for an unknown site ignored',
      );
      return;
    }
    const at = new Date(data.occurredAt);
    await applyOnceByEventId(
      collection(models),
      { _id: data.pickupId },
      event.id,
      {
        $set: {
          dismantlerId: data.assignedSite.siteId,
          residentKey: data.residentKey,
          districtCode: data.districtCode,
          slot: data.slot,
          vehicle: data.vehicle,
          status: 'requested',
          requestedAt: at,
          updatedAt: at,
        },
      },
      { upsert: true },
    );
    // Also on a redelivery: a crash may have come between the two writes.
    await backfillIntakesOfPickup({ models, locks, logger: serviceLogger }, data.pickupId);
  };

  // Later events only touch pickups we are expecting; anything else (appliances) matches nothing.
  const statusChange =
    (status: ExpectedVehicleDoc['status']): EventHandler<{ pickupId: string; occurredAt: string }> =>
    async (event) => {
      if (!fromOurCity(event.source)) return;
      const set: Partial<ExpectedVehicleDoc> = { status, updatedAt: new Date(event.data.occurredAt) };
      const collected = event.data as PickupCollectedData;
      if (status === 'collected' && collected.kind === 'vehicle') set.vehicle = collected.vehicle;
      await applyOnceByEventId(collection(models), { _id: event.data.pickupId }, event.id, { $set: set });
    };

  return {
    name: 'pickups',
    topics: [topics.pickups.name],
    handlers: {
      [PickupEventTypes.requested]: requested,
      [PickupEventTypes.scheduled]: statusChange('scheduled'),
      [PickupEventTypes.collected]: statusChange('collected'),
      [PickupEventTypes.cancelled]: statusChange('cancelled'),
      [PickupEventTypes.failed]: statusChange('failed'),
    },
  };
}
