import { createApp, type ReadinessCheck, type TokenVerifier } from '@recycling/service-kit';
import type { Logger } from '@recycling/observability';
import type { Express } from 'express';
import type { AppContext } from '../app/context';
import { mountRoutes, routeTable } from './routes';

export interface InvoicingAppOptions {
  ctx: AppContext;
  logger: Logger;
  verifier: TokenVerifier;
  feedSettleMs: number;
  readiness?: ReadinessCheck[];
  bodyLimit?: string;
  isShuttingDown?: () => boolean;
  trustProxy?: string;
}

export function invoicingApp(options: InvoicingAppOptions): Express {
  return createApp({
    logger: options.logger,
    verifier: options.verifier,
    bodyLimit: options.bodyLimit,
    isShuttingDown: options.isShuttingDown,
    trustProxy: options.trustProxy,
    readiness: options.readiness,
    routes: (router) => mountRoutes(router, routeTable(options.ctx, { feedSettleMs: options.feedSettleMs })),
  });
}
