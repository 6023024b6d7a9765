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
import type { Connection, Model } from 'mongoose';
import type { AppContext } from './app/context';
import { type DismantlingConfig } from './config';
import { pickupsConsumer } from './events/pickups-consumer';
import { dismantlingRouter } from './http/router';
import { registerModels } from './store/models';

export const SERVICE_NAME = 'dismantling';

export interface DismantlingService {
  app: Express;
  messaging: Messaging;
  connection: Connection;
  context: AppContext;
  stop(): Promise<void>;
}

/** Connects the store, starts messaging and builds the HTTP app; tests run it in-process. */
export async function buildService(
  config: DismantlingConfig,
  logger: Logger,
  shutdown?: Pick<ShutdownManager, 'onShutdown' | 'isShuttingDown'>,
): Promise<DismantlingService> {
  const profile = cityProfileFor(config.CITY_PROFILE);
  const verifier = tokenVerifierFromConfig(config);
  const connection = await connectStore(config.MONGO_URL);
  const models = registerModels(connection);
  await Promise.all(Object.values(models).map((m: Model<never>) => m.syncIndexes()));

  let messaging: Messaging;
  try {
    messaging = await startMessaging({
      service: SERVICE_NAME,
      cityCode: profile.code,
      brokers: config.KAFKA_BROKERS,
      connection,
      logger,
      topicPrefix: config.TOPIC_PREFIX,
      outboxModels: [models.VehicleIntake as unknown as Model<never>],
      consumers: (runtime) => [
        pickupsConsumer({ models, cityCode: profile.code, locks: runtime.locks, logger }),
      ],
      shutdown,
    });
  } catch (error) {
    await connection.close();
    throw error;
  }
  shutdown?.onShutdown('close mongoose', () => connection.close());

  const context: AppContext = {
    models,
    messaging,
    profile,
    sellerKeySecret: config.SELLER_KEY_SECRET,
    purchaseTerms: { taxCategoryCode: config.VEHICLE_TAX_CATEGORY_CODE },
    logger,
    now: () => new Date(),
  };
  const router = dismantlingRouter(context);
  const app = createApp({
    logger,
    verifier,
    bodyLimit: config.BODY_LIMIT,
    isShuttingDown: shutdown?.isShuttingDown,
    readiness: [mongoReadiness(connection), kafkaReadiness(messaging.admin)],
    trustProxy: config.TRUST_PROXY,
    routes: router.mount,
  });

  return {
    app,
    messaging,
    connection,
    context,
    stop: async () => {
      await messaging.stop();
      await connection.close();
    },
  };
}
