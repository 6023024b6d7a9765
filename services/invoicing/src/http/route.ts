import type { Role } from '@recycling/service-kit';
import type { Request, Response } from 'express';
import type { z } from 'zod';

// One description per route serves both express (validation, roles) and the OpenAPI document, so the
// document cannot drift from what the routes accept.

export interface RouteSchemas {
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<S extends RouteSchemas> {
  params: Out<S['params']>;
  query: Out<S['query']>;
  body: Out<S['body']>;
}

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  /** Default application/json. */
  contentType?: string;
}

export interface RouteDef<S extends RouteSchemas = RouteSchemas> {
  method: 'get' | 'post' | 'put';
  /** Express path, e.g. /enterprises/:enterpriseId */
  path: string;
  summary: string;
  roles: Role[];
  schemas: S;
  responses: Record<number, RouteResponse>;
  handler: (input: RouteInput<S>, req: Request, res: Response) => Promise<void>;
}

export const route = <S extends RouteSchemas>(def: RouteDef<S>): RouteDef => def as unknown as RouteDef;

export { openApiPath } from '@recycling/service-kit';
