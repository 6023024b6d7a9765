import { ROLES, authorize, validated } from '@recycling/service-kit';
import type { Router } from 'express';
import type { AppContext } from '../app/context';
import { buildOpenApiDocument } from './openapi';
import { toHttpProblem } from './problems';
import type { RouteSpec } from './route-spec';
import { dismantlingRoutes } from './routes';

export function mountRoutes(router: Router, routes: readonly RouteSpec[]): void {
  for (const r of routes) {
    router[r.method](
      r.path,
      authorize(...r.roles),
      validated(r.schemas, async (input, req, res) => {
        try {
          await r.handler(input as never, req, res);
        } catch (error) {
          throw toHttpProblem(error);
        }
      }),
    );
  }
}

/** The service's routes and its OpenAPI document (any signed-in caller may read the document). */
export function dismantlingRouter(ctx: AppContext): { routes: RouteSpec[]; mount: (router: Router) => void } {
  const routes = dismantlingRoutes(ctx);
  const document = buildOpenApiDocument(routes);
  return {
    routes,
    mount: (router) => {
      router.get('/openapi.json', authorize(...ROLES), (_req, res) => {
        res.json(document);
      });
      mountRoutes(router, routes);
    },
  };
}
