import type { Role } from '@recycling/service-kit';
import type { Request, Response } from 'express';
import type { z } from 'zod';

// One description per route: express registers it, and the OpenAPI document is generated from the
// same object, so every route is documented with exactly the schemas it validates with.

export interface RouteSchemas {
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
}

export interface RouteSpec<S extends RouteSchemas = RouteSchemas> {
  method: 'get' | 'post' | 'put';
  /** Express path, e.g. /vehicle-intakes/:vehicleIntakeId */
  path: string;
  operationId: string;
  summary: string;
  roles: Role[];
  schemas: S;
  /** Media type of a successful answer. */
  produces: 'application/json' | 'text/html';
  successStatus: 200 | 201;
  handler: (
    input: { body: Out<S['body']>; query: Out<S['query']>; params: Out<S['params']> },
    req: Request,
    res: Response,
  ) => Promise<void>;
}

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;

/** Keeps each route's input types while collecting routes of different shapes in one list. */
export const route = <S extends RouteSchemas>(spec: RouteSpec<S>): RouteSpec => spec as unknown as RouteSpec;

export { openApiPath } from '@recycling/service-kit';
