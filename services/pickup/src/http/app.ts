import { createApp, type ReadinessCheck, type TokenVerifier } from '@recycling/service-kit';
import type { Logger } from '@recycling/observability';
import type { PickupContext } from '../app/context';
import { openApiDocument } from './openapi';
import { mountRoutes, route, type RouteSpec } from './route-table';
import { pickupRoutes } from './routes';
import { httpSchemas } from './schemas';
import { z } from 'zod';
import { ROLES } from '@recycling/service-kit';

export const SERVICE_VERSION = '0.1.0';

/** Every route of the service, the OpenAPI document's own included. */
export function allRoutes(ctx: PickupContext): { specs: RouteSpec[]; document: () => unknown } {
  const specs = pickupRoutes(ctx, httpSchemas(ctx.profile));
  let document: unknown;
  const documentOf = () =>
    (document ??= openApiDocument(specs, {
      title: '上门回收预约服务 / Pickup service',
      version: SERVICE_VERSION,
    }));
  specs.push(
    route({
      method: 'get',
      path: '/openapi.json',
      operationId: 'openApi',
      summary: 'This document / 接口文档',
      roles: [...ROLES],
      request: {},
      responses: { '200': { description: 'OpenAPI 3.1', schema: z.object({ openapi: z.string() }).loose() } },
      handler: async (_input, _req, res) => {
        res.json(documentOf());
      },
    }),
  );
  return { specs, document: documentOf };
}

export function pickupApp(options: {
  ctx: PickupContext;
  logger: Logger;
  verifier: TokenVerifier;
  bodyLimit?: string;
  readiness?: ReadinessCheck[];
  isShuttingDown?: () => boolean;
}) {
  const { specs } = allRoutes(options.ctx);
  return createApp({
    logger: options.logger,
    verifier: options.verifier,
    bodyLimit: options.bodyLimit,
    readiness: options.readiness,
    isShuttingDown: options.isShuttingDown,
    routes: (router) => mountRoutes(router, specs),
  });
}
