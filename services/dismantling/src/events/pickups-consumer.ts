import { parseEventSource, PickupEventTypes, topics, type PickupRequestedData } from '@recycling/contracts';
import type { ConsumerSpec, EventHandler } from '@recycling/messaging';
import type { AppContext } from '../app/context';
import { expectVehicle, followPickup } from '../app/expected-vehicles';
import type { ExpectedVehicleDoc } from '../store/models';

// Vehicle pickups of this city (ce_source) assigned to our sites become "expected vehicles"; later
// events of the pickup move their status. Every effect is applied once per event id. A vehicle taken
// in before its pickup.requested arrived gets the pickup's resident and district when it does
// (app/pickup-backfill.ts), so the owner can still read the certificate.

export function pickupsConsumer(ctx: AppContext): ConsumerSpec {
  const fromOurCity = (source: string) => parseEventSource(source)?.cityCode === ctx.profile.code;

  const requested: EventHandler<PickupRequestedData> = async (event, { logger }) => {
    const data = event.data;
    if (data.kind !== 'vehicle' || !fromOurCity(event.source)) return;
    if ((await expectVehicle(ctx, data, event.id)) === 'unknown-site') {
      logger.warn(
        { pickupId: data.pickupId, siteId: data.assignedSite.siteId },
        'vehicle pickup for an unknown site ignored',
      );
    }
  };

  // Later events only touch pickups we are expecting; anything else (appliances) matches nothing.
  const statusChange =
    (status: ExpectedVehicleDoc['status']): EventHandler<{ pickupId: string; occurredAt: string }> =>
    async (event) => {
      if (!fromOurCity(event.source)) return;
      await followPickup(ctx, event.id, status, event.data);
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
