// A route as data: method, path, roles and request schemas, so that one table mounts the express
// routes and generates the OpenAPI document.
import type { Role } from '@recycling/service-kit';
import { authorize, validated, type InputSchemas, type ValidatedInput } from '@recycling/service-kit';
import type { Request, Response, Router } from 'express';
import type { z } from 'zod';

export interface RouteSpec<S extends InputSchemas = InputSchemas> {
  method: 'get' | 'post' | 'put';
  /** Express path, e.g. /targets/:metric. */
  path: string;
  summary: string;
  roles: Role[];
  schemas: S;
  /** Request headers the handler reads itself (e.g. Idempotency-Key); documented only. */
  headers?: z.ZodObject;
  /** Status codes and what they carry; a contentType other than JSON for exports. */
  responses: Record<number, { description: string; contentType?: string }>;
  handler: (
    input: ValidatedInput<
      S['body'] extends z.ZodType ? z.output<S['body']> : undefined,
      S['query'] extends z.ZodType ? z.output<S['query']> : undefined,
      S['params'] extends z.ZodType ? z.output<S['params']> : undefined
    >,
    req: Request,
    res: Response,
  ) => Promise<void>;
}

/** Keeps each spec's handler typed by its own schemas. */
export const route = <S extends InputSchemas>(spec: RouteSpec<S>): RouteSpec => spec as unknown as RouteSpec;

export { openApiPath } from '@recycling/service-kit';

export function mountRoutes(router: Router, specs: readonly RouteSpec[]): void {
  for (const spec of specs) {
    router[spec.method](
      spec.path,
      authorize(...spec.roles),
      validated(spec.schemas, (input, req, res) => spec.handler(input as never, req, res)),
    );
  }
}
