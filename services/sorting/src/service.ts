// The sorting service as the kit runs it: what it keeps, what it consumes, what it serves.
import { defineService } from '@recycling/service-kit';
import type { Model } from 'mongoose';
import type { SortingContext } from './app/context';
import { SortingConfig } from './config';
import { pickupsConsumer } from './events/pickups-consumer';
import { sortingEndpoints } from './http/endpoints';
import { ArrivalRepository } from './store/arrival-repository';
import { BatchRepository } from './store/batch-repository';
import { IntakeRepository } from './store/intake-repository';
import { sortingModels } from './store/models';
import { StationRepository } from './store/station-repository';
import { WorkListRepository } from './store/work-list-repository';

export const sortingService = defineService({
  name: 'sorting',
  title: { zh: '家电集中分拣回收站接口', en: 'Sorting stations API' },
  description: {
    zh: '入库（称重、分类、付款）、更正、分拣、发运、流向追溯与待到站上门回收',
    en:
      'Station intake (weighing, classification, payment), corrections, sorting outcomes, dispatch ' +
      'batches, chain of custody and expected arrivals',
  },
  config: SortingConfig,
  store: async ({ connection }) => {
    const models = sortingModels(connection);
    await Promise.all(Object.values(models).map((m: Model<never>) => m.init()));
    return models;
  },
  outbox: (models) => [models.Intake, models.Batch] as unknown as Array<Model<never>>,
  context: ({ store: models, messaging, config, profile, logger, now }): SortingContext => {
    const deps = { locks: messaging.locks, outbox: messaging.relay };
    const arrivals = new ArrivalRepository(models.Arrival, messaging.locks);
    return {
      stations: new StationRepository(models.Station, messaging.locks),
      intakes: new IntakeRepository(models, deps, arrivals),
      batches: new BatchRepository(models, deps),
      arrivals,
      workLists: new WorkListRepository(models.Work, messaging.locks),
      events: messaging.events,
      profile,
      sellerKeySecret: config.SELLER_KEY_SECRET,
      scrapTaxCategoryCode: config.SCRAP_TAX_CATEGORY_CODE,
      logger,
      now,
    };
  },
  consumers: (ctx) => [pickupsConsumer(ctx)],
  endpoints: sortingEndpoints,
});
