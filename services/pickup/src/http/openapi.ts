import { createDocument, type ZodOpenApiPathsObject } from 'zod-openapi';
import { Problem } from './schemas';
import { openApiPath, type RouteSpec } from './route-table';

const problemResponses = {
  '400': 'Invalid input; errors[] names each field / 输入有误',
  '401': 'No valid bearer token / 未登录',
  '403': 'Role not allowed / 无权操作',
};

export function openApiDocument(specs: readonly RouteSpec[], info: { title: string; version: string }) {
  const paths: ZodOpenApiPathsObject = {};
  for (const spec of specs) {
    const path = openApiPath(spec.path);
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries({
      ...Object.fromEntries(
        Object.entries(problemResponses).map(([s, d]) => [s, { description: d, schema: Problem }]),
      ),
      ...spec.responses,
    })) {
      const contentType = Number(status) >= 400 ? 'application/problem+json' : 'application/json';
      responses[status] = {
        description: r.description,
        ...(r.schema ? { content: { [contentType]: { schema: r.schema } } } : {}),
      };
    }
    paths[path] = {
      ...paths[path],
      [spec.method]: {
        operationId: spec.operationId,
        summary: spec.summary,
        description: `Roles: ${spec.roles.join(', ')}`,
        security: [{ bearer: [] }],
        requestParams: {
          ...(spec.request.params ? { path: spec.request.params } : {}),
          ...(spec.request.query ? { query: spec.request.query } : {}),
          ...(spec.request.headers ? { header: spec.request.headers } : {}),
        },
        ...(spec.request.body
          ? {
              requestBody: { required: true, content: { 'application/json': { schema: spec.request.body } } },
            }
          : {}),
        responses,
      },
    };
  }
  return createDocument({
    openapi: '3.1.0',
    info,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  } as Parameters<typeof createDocument>[0]);
}
