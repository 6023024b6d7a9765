import { cityProfileFor } from '@recycling/contracts';
// Builds the statistics service in-process: store, messaging (producer and outbox relay for the
// used-car topic), one consumer group per live rollup generation, and the HTTP app.
import { startMessaging, type Messaging, type ShutdownRegistrar } from '@recycling/messaging';
import type { Logger } from '@recycling/observability';
import {
  ROLES,
  createApp,
  kafkaReadiness,
  mongoReadiness,
  tokenVerifierFromConfig,
  connectStore,
} from '@recycling/service-kit';
import type { Express } from 'express';
import type { Connection, Model } from 'mongoose';
import { RollupGenerations } from './app/rollup-generations';
import { type StatisticsConfig } from './config';
import { openApiDocument } from './http/openapi';
import { mountRoutes, route, type RouteSpec } from './http/route-spec';
import { routeSpecs } from './http/routes';
import { CounterStore } from './store/counters';
import { GenerationStore } from './store/generations';
import { MarketMonthStore } from './store/market-months';
import { RecordStore } from './store/records';
import { TargetStore } from './store/targets';
import { usedCarTransactionModel } from './store/used-car-transactions';

export const SERVICE_NAME = 'statistics';

export interface StatisticsService {
  app: Express;
  messaging: Messaging;
  connection: Connection;
  generations: RollupGenerations;
  specs: RouteSpec[];
  stop(): Promise<void>;
}

export interface BuildOptions {
  /** Partition count of topics this service creates (tests use fewer). */
  partitions?: number;
  now?: () => Date;
}

export async function buildService(
  config: StatisticsConfig,
  logger: Logger,
  shutdown?: ShutdownRegistrar,
  options: BuildOptions = {},
): Promise<StatisticsService> {
  const profile = cityProfileFor(config.CITY_PROFILE);
  const verifier = tokenVerifierFromConfig(config);
  const connection = await connectStore(config.MONGO_URL);

  const counters = new CounterStore(connection);
  const records = new RecordStore(connection);
  const targets = new TargetStore(connection);
  const generationStore = new GenerationStore(connection);
  const usedCars = usedCarTransactionModel(connection);
  await records.ensureIndexes();
  // Before any consumer writes: counters of the earlier one-document-per-cell layout move over.
  const migrated = await counters.migrateLegacy();
  if (migrated.cells > 0) logger.info(migrated, 'migrated rollup counters to the yearly layout');
  await usedCars.init();
  await targets.seed(profile);

  // Rollup consumers stop before messaging (their dead letters go through its producer).
  const rollups: { generations?: RollupGenerations } = {};
  shutdown?.onShutdown('stop rollup consumers', () => rollups.generations?.stop());
  const messaging = await startMessaging({
    service: SERVICE_NAME,
    cityCode: profile.code,
    brokers: config.KAFKA_BROKERS,
    connection,
    logger,
    topicPrefix: config.TOPIC_PREFIX,
    outboxModels: [usedCars as unknown as Model<never>],
    partitions: options.partitions,
    shutdown,
  });
  const generations = new RollupGenerations({
    messaging,
    generations: generationStore,
    counters,
    records,
    logger,
    timeZone: profile.timezone,
    topicPrefix: config.TOPIC_PREFIX,
    syncIntervalMs: config.GENERATION_SYNC_MS,
  });
  rollups.generations = generations;
  await generations.start();
  shutdown?.onShutdown('close mongoose', () => connection.close());

  const specs = routeSpecs({
    profile,
    counters,
    targets,
    generationStore,
    generations,
    usedCars,
    marketMonths: new MarketMonthStore(connection, messaging.locks),
    messaging,
    connection,
    now: options.now,
  });
  let document: ReturnType<typeof openApiDocument> | undefined;
  const openApiRoute = route({
    method: 'get',
    path: '/openapi.json',
    summary: 'OpenAPI 文档 / This API as OpenAPI 3.1',
    roles: [...ROLES],
    schemas: {},
    responses: { 200: { description: 'OpenAPI 3.1' } },
    handler: async (_input, _req, res) => {
      document ??= openApiDocument(allSpecs);
      res.json(document);
    },
  });
  const allSpecs = [...specs, openApiRoute];

  const app = createApp({
    logger,
    verifier,
    bodyLimit: config.BODY_LIMIT,
    readiness: [mongoReadiness(connection), kafkaReadiness(messaging.admin)],
    routes: (router) => mountRoutes(router, allSpecs),
  });

  let stopped = false;
  return {
    app,
    messaging,
    connection,
    generations,
    specs: allSpecs,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await generations.stop();
      await messaging.stop();
      await connection.close();
    },
  };
}
