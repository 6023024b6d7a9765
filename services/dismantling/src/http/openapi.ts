import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { openApiPath, type RouteSpec } from './route-spec';

// The OpenAPI 3.1 document, generated from the route list the app registers.

const Problem = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    title_zh: z.string().optional(),
    status: z.int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string(), code: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'Problem details (RFC 9457); title_zh carries the Chinese title' });

const PROBLEM = {
  description: 'Problem details (RFC 9457)',
  content: { 'application/problem+json': { schema: Problem } },
};

export function buildOpenApiDocument(routes: readonly RouteSpec[]) {
  const paths: ZodOpenApiPathsObject = {};
  for (const r of routes) {
    const operation: ZodOpenApiOperationObject = {
      operationId: r.operationId,
      summary: r.summary,
      description: `Roles: ${r.roles.join(', ')}`,
      security: [{ bearer: [] }],
      ...(r.schemas.params || r.schemas.query
        ? {
            requestParams: {
              ...(r.schemas.params ? { path: r.schemas.params as never } : {}),
              ...(r.schemas.query ? { query: r.schemas.query as never } : {}),
            },
          }
        : {}),
      ...(r.schemas.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: r.schemas.body } } } }
        : {}),
      responses: {
        [String(r.successStatus)]: {
          description: 'Done',
          content: { [r.produces]: { schema: r.produces === 'text/html' ? z.string() : z.looseObject({}) } },
        },
        '400': PROBLEM,
        '401': PROBLEM,
        '403': PROBLEM,
        '404': PROBLEM,
        '409': PROBLEM,
      },
    };
    const path = openApiPath(r.path);
    paths[path] = { ...(paths[path] ?? {}), [r.method]: operation };
  }
  paths['/openapi.json'] = {
    get: {
      operationId: 'getOpenApiDocument',
      summary: '接口说明（本文档） / This OpenAPI document',
      security: [{ bearer: [] }],
      responses: {
        '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: z.looseObject({}) } } },
      },
    },
  };
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: '报废机动车回收拆解 / Dismantling service',
      version: '1.0.0',
      description: 'Scrapped-vehicle intake, recycling certificates, deregistration and dismantling records.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  });
}
