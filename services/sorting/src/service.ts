import { cityProfileFor } from '@recycling/contracts';
import { startMessaging, type Messaging } from '@recycling/messaging';
import type { Logger } from '@recycling/observability';
import {
  createApp,
  kafkaReadiness,
  mongoReadiness,
  tokenVerifierFromConfig,
  type ShutdownManager,
  connectStore,
} from '@recycling/service-kit';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import type { SortingContext } from './app/context';
import { type SortingConfig } from './config';
import { pickupsConsumer } from './events/pickups-consumer';
import { buildOpenApiDocument } from './http/openapi';
import { mountRoutes, routeTable } from './http/routes';
import { sortingModels } from './store/models';

export interface BuildOptions {
  /**
   * false leaves this instance's outboxes unpublished, as if the process died right after each
   * save: tests use it to show that the next instance publishes what was saved, exactly once.
   */
  publishOutbox?: boolean;
  now?: () => Date;
}

export interface SortingService {
  app: Express;
  messaging: Messaging;
  connection: Connection;
  context: SortingContext;
  stop(): Promise<void>;
}

export async function buildService(
  config: SortingConfig,
  logger: Logger,
  shutdown?: ShutdownManager,
  options: BuildOptions = {},
): Promise<SortingService> {
  const profile = cityProfileFor(config.CITY_PROFILE);
  const verifier = tokenVerifierFromConfig(config);
  const connection = await connectStore(config.MONGO_URL);
  const models = sortingModels(connection);
  await Promise.all(Object.values(models).map((m) => m.init()));

  // Consumers start inside startMessaging, before the context exists: their handlers wait for it.
  let ready!: (ctx: SortingContext) => void;
  const contextReady = new Promise<SortingContext>((resolve) => (ready = resolve));
  const messaging = await startMessaging({
    service: 'sorting',
    cityCode: profile.code,
    brokers: config.KAFKA_BROKERS,
    connection,
    logger,
    topicPrefix: config.TOPIC_PREFIX,
    outboxModels: options.publishOutbox === false ? [] : ([models.Intake, models.Batch] as never[]),
    consumers: [pickupsConsumer(() => contextReady)],
    shutdown,
  }).catch(async (error: unknown) => {
    await connection.close();
    throw error;
  });
  // After messaging's own step: consumers and the relay still need the store while they stop.
  shutdown?.onShutdown('close mongoose', () => connection.close());
  const context: SortingContext = {
    models,
    messaging,
    profile,
    sellerKeySecret: config.SELLER_KEY_SECRET,
    scrapTaxCategoryCode: config.SCRAP_TAX_CATEGORY_CODE,
    logger,
    now: options.now ?? (() => new Date()),
  };
  ready(context);

  // The document lists every route of the table, the /openapi.json route included.
  const openApi: { document?: unknown } = {};
  const table = routeTable(context, () => openApi.document);
  openApi.document = buildOpenApiDocument(table);
  const app = createApp({
    logger,
    verifier,
    bodyLimit: config.BODY_LIMIT,
    isShuttingDown: shutdown?.isShuttingDown,
    trustProxy: config.TRUST_PROXY,
    readiness: [mongoReadiness(connection), kafkaReadiness(messaging.admin)],
    routes: (router) => mountRoutes(router, table),
  });

  let stopped = false;
  return {
    app,
    messaging,
    connection,
    context,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await messaging.stop();
      await connection.close();
    },
  };
}
