import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { openApiPath } from '@recycling/service-kit';
import { z } from 'zod';
import type { RouteSpec } from './routes';

// The OpenAPI 3.1 document, generated from the route table and its zod schemas.

export { openApiPath };

const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    title_zh: z.string().optional(),
    status: z.int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string(), code: z.string() })).optional(),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});

function operation(spec: RouteSpec): ZodOpenApiOperationObject {
  return {
    summary: spec.summary,
    description: `Roles: ${spec.roles.join(', ')}`,
    security: [{ bearer: [] }],
    ...(spec.params || spec.query || spec.headers
      ? {
          requestParams: {
            ...(spec.params ? { path: spec.params } : {}),
            ...(spec.query ? { query: spec.query } : {}),
            ...(spec.headers ? { header: spec.headers } : {}),
          },
        }
      : {}),
    ...(spec.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: spec.body } } } }
      : {}),
    responses: {
      [spec.status]: { description: spec.status === 201 ? 'Created' : 'OK' },
      ...(spec.body || spec.query || spec.params
        ? { 400: problem('Bad input; errors name the fields') }
        : {}),
      401: problem('No valid bearer token'),
      403: problem('Role or station scope does not allow this'),
      ...(spec.params ? { 404: problem('Not found') } : {}),
      ...(spec.method !== 'get'
        ? {
            409: problem(
              spec.idempotency
                ? 'Conflicts with the current state, or the same Idempotency-Key is still in progress (Retry-After)'
                : 'Conflicts with the current state',
            ),
          }
        : {}),
      ...(spec.idempotency ? { 422: problem('The Idempotency-Key was used with another request') } : {}),
    },
  };
}

export function buildOpenApiDocument(table: readonly RouteSpec[]) {
  const paths: ZodOpenApiPathsObject = {};
  for (const spec of table) {
    const path = openApiPath(spec.path);
    paths[path] = { ...(paths[path] ?? {}), [spec.method]: operation(spec) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Sorting stations API / 家电集中分拣回收站接口',
      version: '1.0.0',
      description:
        'Station intake (weighing, classification, payment), corrections, sorting outcomes, dispatch batches, ' +
        'chain of custody and expected arrivals. 入库、更正、分拣、发运、流向追溯与待到站上门回收。',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  });
}
