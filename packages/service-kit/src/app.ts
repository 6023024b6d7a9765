// The express app every service starts from: security headers, request ids, request logging
// without personal data, a bounded JSON body, the operator-key guard, health and readiness, the
// service's routes (behind authentication when a verifier is given), 404 and problem+json errors.
import { randomUUID } from 'node:crypto';
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { collectDefaultMetrics, register as metricsRegister } from 'prom-client';
import { pinoHttp } from 'pino-http';
import type { Logger } from '@recycling/observability';
import { authenticate, type TokenVerifier } from './auth';
import { errorHandler, notFound } from './error-handler';
import { problem, sendProblem } from './problem';
import { runReadinessChecks, type ReadinessCheck } from './readiness';
import { shedLoad } from './shed-load';
import { rejectOperatorKeys } from './validate';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export interface AppOptions {
  logger: Logger;
  /** Mounts the service's routes on a router at '/'. */
  routes: (router: Router) => void;
  /** Checks behind /readyz; all must pass. */
  readiness?: readonly ReadinessCheck[];
  /** Largest JSON body; default '256kb'. */
  bodyLimit?: string;
  /** When given, every route of `routes` requires a valid bearer token (health routes do not). */
  verifier?: TokenVerifier;
  /** /readyz answers 503 while this returns true (a ShutdownManager's isShuttingDown). */
  isShuttingDown?: () => boolean;
  /** Each readiness check's time limit; default 2000 ms. */
  readinessTimeoutMs?: number;
  /** express' 'trust proxy' setting, when behind a proxy. */
  trustProxy?: boolean | number | string;
  /** Requests in flight past which the service answers 503 at once (shed-load.ts); 0 or absent: no bound. */
  maxInFlight?: number;
}

let defaultMetrics = false;

export function createApp(options: AppOptions): Express {
  if (!defaultMetrics) {
    collectDefaultMetrics();
    defaultMetrics = true;
  }
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);

  app.use(helmet());
  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
        res.setHeader(REQUEST_ID_HEADER, id);
        return id;
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      autoLogging: { ignore: (req) => ['/healthz', '/readyz', '/metrics'].includes(req.url ?? '') },
      // The logger's own serializers (path without query, headers redacted) apply.
      wrapSerializers: false,
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Prometheus text format: store commands, broker requests, events, process memory and CPU. Like
  // the probes, for the operator's network, not behind a token (no personal data is counted).
  app.get('/metrics', async (_req, res) => {
    res.type(metricsRegister.contentType).send(await metricsRegister.metrics());
  });
  app.get('/readyz', async (_req, res) => {
    if (options.isShuttingDown?.()) {
      sendProblem(res, problem(503, undefined, 'Shutting down.', { checks: {} }));
      return;
    }
    const report = await runReadinessChecks(options.readiness ?? [], options.readinessTimeoutMs);
    if (report.ready) {
      res.json({ status: report.degraded ? 'degraded' : 'ready', checks: report.checks });
      return;
    }
    const failed = Object.entries(report.checks)
      .filter(([, c]) => c.status === 'failed' && c.required !== false)
      .map(([name]) => name);
    sendProblem(res, problem(503, undefined, `Not ready: ${failed.join(', ')}.`, { checks: report.checks }));
  });

  // After the probes and /metrics, which must answer however busy the service is.
  if (options.maxInFlight) app.use(shedLoad(options.maxInFlight));
  app.use(express.json({ limit: options.bodyLimit ?? '256kb', strict: true }));
  app.use(rejectOperatorKeys());

  const router = express.Router();
  if (options.verifier) router.use(authenticate(options.verifier));
  options.routes(router);
  app.use(router);

  app.use(notFound());
  app.use(errorHandler({ logger: options.logger }));
  return app;
}
