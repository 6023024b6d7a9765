// The statistics service as the kit runs it: what it keeps, what it serves, and the consumer groups
// of its rollup generations, which it runs itself as background work (one group per live
// generation, started and stopped as rebuilds come and go).
import { createKafka } from '@recycling/messaging';
import { defineService } from '@recycling/service-kit';
import type { Model } from 'mongoose';
import type { StatisticsContext } from './app/context';
import { StatisticsConfig } from './config';
import { RollupGenerations } from './events/rollup-generations';
import { statisticsEndpoints } from './http/endpoints';
import { CounterStore } from './store/counters';
import { GenerationStore } from './store/generations';
import { MarketMonthStore } from './store/market-months';
import { RecordStore } from './store/records';
import { TargetStore } from './store/targets';
import { UsedCarTransactionRepository, usedCarTransactionModel } from './store/used-car-transactions';

export const SERVICE_NAME = 'statistics';

/** The use cases' context, and the runner of the rollup consumer groups behind its `rollups`. */
export type StatisticsRuntime = StatisticsContext & { rollups: RollupGenerations };

export const statisticsService = defineService({
  name: SERVICE_NAME,
  title: { zh: '统计服务', en: 'Recycling statistics' },
  description: {
    zh: '回收量统计、二手车交易登记与 2027 目标进度',
    en: 'Recovery rollups, used-car transactions and progress against the 2027 targets',
  },
  config: StatisticsConfig,
  store: async ({ connection, profile, logger }) => {
    const counters = new CounterStore(connection);
    const records = new RecordStore(connection);
    const targets = new TargetStore(connection);
    const usedCars = usedCarTransactionModel(connection);
    await records.ensureIndexes();
    // Before any consumer writes: counters of the earlier one-document-per-cell layout move over.
    const migrated = await counters.migrateLegacy();
    if (migrated.cells > 0) logger.info(migrated, 'migrated rollup counters to the yearly layout');
    await usedCars.init();
    await targets.seed(profile);
    return { counters, records, targets, usedCars };
  },
  outbox: ({ usedCars }) => [usedCars as unknown as Model<never>],
  context: ({ store, messaging, connection, config, profile, logger, now }): StatisticsRuntime => {
    const generations = new GenerationStore(connection, messaging.locks);
    return {
      profile,
      counters: store.counters,
      targets: store.targets,
      generations,
      // Its own Kafka client: the kit's messaging port offers no consumer groups of a service's own
      // making nor offset reads. Dead letters go through messaging's producer.
      rollups: new RollupGenerations({
        kafka: createKafka({
          brokers: config.KAFKA_BROKERS,
          clientId: config.KAFKA_CLIENT_ID ?? SERVICE_NAME,
          logger,
        }),
        publisher: messaging.publisher,
        generations,
        counters: store.counters,
        records: store.records,
        logger,
        timeZone: profile.timezone,
        topicPrefix: config.TOPIC_PREFIX,
        syncIntervalMs: config.GENERATION_SYNC_MS,
      }),
      usedCars: new UsedCarTransactionRepository(store.usedCars, {
        locks: messaging.locks,
        outbox: messaging.relay,
      }),
      marketMonths: new MarketMonthStore(connection, messaging.locks),
      events: messaging.events,
      now,
    };
  },
  endpoints: (ctx, profile) => statisticsEndpoints(ctx, profile),
  // The rollup consumer groups start after messaging and stop before it.
  background: async ({ rollups }) => {
    await rollups.start();
    return [{ name: 'rollup generations', stop: () => rollups.stop() }];
  },
});
