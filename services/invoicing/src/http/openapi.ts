import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { z } from 'zod';
import { openApiPath, type RouteDef } from './route';

const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    title_zh: z.string().optional(),
    status: z.int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string(), code: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});

export function openApiDocument(routes: readonly RouteDef[]) {
  const paths: ZodOpenApiPathsObject = {};
  for (const r of routes) {
    const operation: ZodOpenApiOperationObject = {
      summary: r.summary,
      description: `Roles: ${r.roles.join(', ')}`,
      security: [{ bearer: [] }],
      requestParams: {
        ...(r.schemas.params ? { path: r.schemas.params } : {}),
        ...(r.schemas.query ? { query: r.schemas.query } : {}),
      },
      ...(r.schemas.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: r.schemas.body } } } }
        : {}),
      responses: {
        ...Object.fromEntries(
          Object.entries(r.responses).map(([status, res]) => [
            status,
            {
              description: res.description,
              ...(res.schema
                ? { content: { [res.contentType ?? 'application/json']: { schema: res.schema } } }
                : res.contentType
                  ? { content: { [res.contentType]: { schema: z.string() } } }
                  : {}),
            },
          ]),
        ),
        ...(r.schemas.body || r.schemas.query || r.schemas.params
          ? { 400: problem('Invalid input, naming each field') }
          : {}),
        401: problem('Missing or invalid bearer token'),
        403: problem('Role or scope does not allow this'),
      },
    };
    const path = openApiPath(r.path);
    paths[path] = { ...paths[path], [r.method]: operation };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Invoicing service / 反向开票服务',
      version: '1.0.0',
      description:
        '反向开票、按月代扣代缴申报与税务机关数据接口 / Reverse invoicing, monthly withholding declarations and the tax office feed',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  });
}
