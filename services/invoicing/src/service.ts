import { cityProfileFor } from '@recycling/contracts';
import { startMessaging, type Messaging } from '@recycling/messaging';
import type { Logger } from '@recycling/observability';
import {
  kafkaReadiness,
  mongoReadiness,
  tokenVerifierFromConfig,
  type ShutdownManager,
  connectStore,
} from '@recycling/service-kit';
import type { Express } from 'express';
import type { Connection, Model } from 'mongoose';
import type { AppContext } from './app/context';
import { startDeclarationScheduler } from './app/declaration-scheduler';
import { type InvoicingConfig } from './config';
import { pickupsConsumer } from './events/pickups-consumer';
import { purchasesConsumer } from './events/purchases-consumer';
import { invoicingApp } from './http/app';
import { createModels } from './store/models';

export const SERVICE_NAME = 'invoicing';

export interface InvoicingService {
  app: Express;
  messaging: Messaging;
  connection: Connection;
  ctx: AppContext;
  stop(): Promise<void>;
}

/**
 * Connects to the store and the broker, starts the purchases consumer, the outbox relay and the
 * declaration scheduler, and builds the HTTP app (not listening: main.ts or a test does that).
 */
export async function buildService(
  config: InvoicingConfig,
  logger: Logger,
  shutdown?: Pick<ShutdownManager, 'onShutdown' | 'isShuttingDown'>,
): Promise<InvoicingService> {
  const profile = cityProfileFor(config.CITY_PROFILE);
  const verifier = tokenVerifierFromConfig(config);
  const connection = await connectStore(config.MONGO_URL);
  const models = await createModels(connection);

  const ctx = { models, profile, logger, residentKeySecret: config.SELLER_KEY_SECRET } as AppContext;
  let contextReady!: () => void;
  const ready = new Promise<void>((resolve) => (contextReady = resolve));
  let scheduler: { stop(): Promise<void> } | undefined;
  // Registered before messaging's own hook: the scheduler stops writing before the relay's last flush.
  shutdown?.onShutdown('stop declaration scheduler', async () => scheduler?.stop());
  const messaging = await startMessaging({
    service: SERVICE_NAME,
    cityCode: profile.code,
    brokers: config.KAFKA_BROKERS,
    connection,
    logger,
    topicPrefix: config.TOPIC_PREFIX,
    outboxModels: [models.InvoiceRecord, models.Declaration] as unknown as Model<never>[],
    consumers: [purchasesConsumer(ctx, ready), pickupsConsumer(ctx, ready)],
    shutdown,
  });
  ctx.messaging = messaging;
  contextReady();

  if (config.DECLARATION_SCHEDULE_MS > 0) {
    scheduler = startDeclarationScheduler(ctx, config.DECLARATION_SCHEDULE_MS);
  }

  const app = invoicingApp({
    ctx,
    logger,
    verifier,
    feedSettleMs: config.FEED_SETTLE_MS,
    bodyLimit: config.BODY_LIMIT,
    isShuttingDown: shutdown?.isShuttingDown,
    trustProxy: config.TRUST_PROXY,
    readiness: [mongoReadiness(connection), kafkaReadiness(messaging.admin)],
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await scheduler?.stop();
    await messaging.stop();
    await connection.close();
  };
  shutdown?.onShutdown('close mongoose', () => connection.close());
  return { app, messaging, connection, ctx, stop };
}
