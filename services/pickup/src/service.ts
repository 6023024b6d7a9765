import { cityProfileFor } from '@recycling/contracts';
import type { Logger } from '@recycling/observability';
import {
  startMessaging,
  type EventHandler,
  type Messaging,
  type ShutdownRegistrar,
} from '@recycling/messaging';
import {
  kafkaReadiness,
  mongoReadiness,
  tokenVerifierFromConfig,
  connectStore,
} from '@recycling/service-kit';
import type { Express } from 'express';
import type { Connection, Model } from 'mongoose';
import type { PickupContext } from './app/context';
import { type PickupConfig } from './config';
import { downstreamConsumers } from './events/downstream-consumers';
import { pickupApp } from './http/app';
import { registerModels } from './store/models';
import { SeatRepository } from './store/seat-repository';

export interface PickupService {
  app: Express;
  messaging: Messaging;
  connection: Connection;
  ctx: PickupContext;
  stop(): Promise<void>;
}

export interface BuildOptions {
  shutdown?: ShutdownRegistrar & { isShuttingDown?: () => boolean };
  now?: () => Date;
  /** Partition count of topics this service creates (tests). */
  partitions?: number;
}

/** Connects, starts messaging and returns the app; main.ts listens, tests drive it in-process. */
export async function buildService(
  config: PickupConfig,
  logger: Logger,
  options: BuildOptions = {},
): Promise<PickupService> {
  const profile = cityProfileFor(config.CITY_PROFILE);
  const verifier = tokenVerifierFromConfig(config);
  const connection = await connectStore(config.MONGO_URL);
  const models = registerModels(connection);
  await Promise.all(Object.values(models).map((m: Model<never>) => m.init()));

  // The consumers need the context and the context needs messaging: handlers wait until both exist.
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const ctx: PickupContext = {
    models,
    seats: new SeatRepository(models.Seat),
    messaging: undefined as unknown as PickupContext['messaging'],
    profile,
    policy: {
      windows: config.PICKUP_SLOT_WINDOWS,
      capacity: config.PICKUP_SLOT_CAPACITY,
      minLeadDays: config.PICKUP_MIN_LEAD_DAYS,
      horizonDays: Math.max(config.PICKUP_HORIZON_DAYS, config.PICKUP_MIN_LEAD_DAYS),
    },
    residentKeySecret: config.SELLER_KEY_SECRET,
    logger,
    now: options.now ?? (() => new Date()),
  };
  const consumers = downstreamConsumers(ctx).map((spec) => ({
    ...spec,
    handlers: Object.fromEntries(
      Object.entries(spec.handlers).map(([type, handle]): [string, EventHandler] => [
        type,
        async (event, context) => {
          await started;
          await handle(event, context);
        },
      ]),
    ),
  }));

  let messaging: Messaging;
  try {
    messaging = await startMessaging({
      service: 'pickup',
      cityCode: profile.code,
      brokers: config.KAFKA_BROKERS,
      connection,
      logger,
      topicPrefix: config.TOPIC_PREFIX,
      outboxModels: [models.Pickup as unknown as Model<never>],
      consumers,
      shutdown: options.shutdown,
      partitions: options.partitions,
    });
  } catch (error) {
    await connection.close();
    throw error;
  }
  ctx.messaging = messaging;
  ready();
  options.shutdown?.onShutdown('close mongoose', () => connection.close());

  const app = pickupApp({
    ctx,
    logger,
    verifier,
    bodyLimit: config.BODY_LIMIT,
    readiness: [mongoReadiness(connection), kafkaReadiness(messaging.admin)],
    isShuttingDown: options.shutdown?.isShuttingDown,
  });

  let stopped = false;
  return {
    app,
    messaging,
    connection,
    ctx,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await messaging.stop();
      await connection.close();
    },
  };
}
