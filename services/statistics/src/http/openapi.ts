// The OpenAPI 3.1 document, generated from the same route table and zod schemas the routes validate
// with.
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import type { z } from 'zod';
import { openApiPath, type RouteSpec } from './route-spec';

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

export function openApiDocument(specs: readonly RouteSpec[]) {
  const paths: ZodOpenApiPathsObject = {};
  for (const spec of specs) {
    const responses: Record<string, ZodOpenApiResponseObject> = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      responses[status] = {
        description: r.description,
        content: {
          [r.contentType ?? 'application/json']: { schema: { type: r.contentType ? 'string' : 'object' } },
        },
      };
    }
    if (spec.schemas.body || spec.schemas.query || spec.schemas.params) {
      responses['400'] = problemResponse('输入有误 / Validation failed: the problem names each bad field');
    }
    responses['401'] = problemResponse('未认证 / Missing or invalid bearer token');
    responses['403'] = problemResponse(`无权访问 / Allowed roles: ${spec.roles.join(', ')}`);
    const operation: ZodOpenApiOperationObject = {
      summary: spec.summary,
      security: [{ bearerAuth: [] }],
      'x-roles': spec.roles,
      responses,
    };
    const requestParams: ZodOpenApiOperationObject['requestParams'] = {};
    if (spec.schemas.query) requestParams.query = spec.schemas.query as z.ZodObject;
    if (spec.schemas.params) requestParams.path = spec.schemas.params as z.ZodObject;
    if (spec.headers) requestParams.header = spec.headers;
    if (requestParams.query || requestParams.path || requestParams.header) {
      operation.requestParams = requestParams;
    }
    if (spec.schemas.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: spec.schemas.body } },
      };
    }
    const path = openApiPath(spec.path);
    paths[path] = { ...paths[path], [spec.method]: operation };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: '统计服务 / Recycling statistics',
      version: '0.1.0',
      description:
        '回收量统计、二手车交易登记与 2027 目标进度 / Recovery rollups, used-car transactions and progress against the 2027 targets',
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            title_zh: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  field: { type: 'string' },
                  message: { type: 'string' },
                  code: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
    paths,
  });
}
