// The pickup service as the kit runs it: what it keeps, what it consumes, what it serves.
import { defineService } from '@recycling/service-kit';
import type { Model } from 'mongoose';
import type { PickupContext } from './app/context';
import { PickupConfig } from './config';
import { downstreamConsumers } from './events/downstream-consumers';
import { pickupEndpoints } from './http/endpoints';
import { registerModels } from './store/models';
import { PickupRepository } from './store/pickup-repository';
import { ResidentPickupsRepository } from './store/resident-pickups-repository';
import { SeatRepository } from './store/seat-repository';
import { SiteRepository } from './store/site-repository';
import { SlotDayRepository } from './store/slot-day-repository';

export const pickupService = defineService({
  name: 'pickup',
  title: { zh: '上门回收预约服务', en: 'Pickup service' },
  description: {
    zh: '居民预约上门回收旧家电和报废车辆，站点安排上门并登记取走',
    en: 'Residents book door-to-door pickup of old appliances and scrapped vehicles; sites schedule and collect',
  },
  config: PickupConfig,
  store: async ({ connection }) => {
    const models = registerModels(connection);
    await Promise.all(Object.values(models).map((m: Model<never>) => m.init()));
    return models;
  },
  outbox: (models) => [models.Pickup as unknown as Model<never>],
  context: ({ store: models, messaging, config, profile, logger, now }): PickupContext => {
    const deps = { locks: messaging.locks, outbox: messaging.relay };
    return {
      pickups: new PickupRepository(models, deps),
      residentPickups: new ResidentPickupsRepository(models.ResidentPickups, messaging.locks),
      seats: new SeatRepository(models.Seat),
      sites: new SiteRepository(models, messaging.locks),
      slotDays: new SlotDayRepository(models, messaging.locks),
      events: messaging.events,
      profile,
      policy: {
        windows: config.PICKUP_SLOT_WINDOWS,
        capacity: config.PICKUP_SLOT_CAPACITY,
        minLeadDays: config.PICKUP_MIN_LEAD_DAYS,
        horizonDays: Math.max(config.PICKUP_HORIZON_DAYS, config.PICKUP_MIN_LEAD_DAYS),
      },
      residentKeySecret: config.SELLER_KEY_SECRET,
      logger,
      now,
    };
  },
  consumers: downstreamConsumers,
  endpoints: pickupEndpoints,
});
