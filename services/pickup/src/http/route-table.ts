import { authorize, validated, type ValidatedInput, type Role } from '@recycling/service-kit';
import type { Request, Response, Router } from 'express';
import type { z } from 'zod';

// One table drives both the express routes and the OpenAPI document, so a route cannot exist
// without its documentation, nor be documented with other schemas than those it validates with.

export interface RouteSpec {
  method: 'get' | 'post' | 'put';
  /** Express path, e.g. /pickups/:pickupId */
  path: string;
  operationId: string;
  summary: string;
  roles: Role[];
  request: { body?: z.ZodType; query?: z.ZodType; params?: z.ZodType; headers?: z.ZodObject };
  responses: Record<string, { description: string; schema?: z.ZodType }>;
  // The table is heterogeneous; each handler is typed where it is written (see `route`).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handler: (input: ValidatedInput<any, any, any>, req: Request, res: Response) => Promise<void>;
}

/** Types a route's handler by its schemas. */
export const route = <
  B extends z.ZodType = z.ZodNever,
  Q extends z.ZodType = z.ZodNever,
  P extends z.ZodType = z.ZodNever,
>(
  spec: Omit<RouteSpec, 'request' | 'handler'> & {
    request: { body?: B; query?: Q; params?: P; headers?: z.ZodObject };
    handler: (
      input: ValidatedInput<z.output<B>, z.output<Q>, z.output<P>>,
      req: Request,
      res: Response,
    ) => Promise<void>;
  },
): RouteSpec => spec as RouteSpec;

export function mountRoutes(router: Router, specs: readonly RouteSpec[]): void {
  for (const spec of specs) {
    const { body, query, params } = spec.request;
    router[spec.method](
      spec.path,
      authorize(...spec.roles),
      validated({ body, query, params }, spec.handler),
    );
  }
}

export { openApiPath } from '@recycling/service-kit';
