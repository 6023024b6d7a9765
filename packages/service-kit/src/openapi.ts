// The OpenAPI 3.1 document of a service, made from its endpoint declarations with zod-openapi: the
// same zod schemas the routes validate with, one Problem schema, one security scheme, and the
// standard answers every endpoint can give (bad input, no token, wrong role, body too large or not
// JSON, store unreachable) added here so that no declaration has to repeat them.
import { z } from 'zod';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { successStatusOf, type Bilingual, type Endpoint, type ResponseSpec } from './endpoint';
import { idempotencyKeyHeader } from './idempotency';
import { PROBLEM_CONTENT_TYPE } from './problem';

/** The one security scheme: a bearer JWT (see auth.ts for its claims). */
export const SECURITY_SCHEME = 'bearerAuth';

export const FieldErrorSchema = z
  .object({
    field: z.string().describe('dotted path of the input field: `lines.0.priceFen`, `query.month`'),
    message: z.string(),
    code: z.string().describe('the rule broken: a zod issue code or a domain code'),
  })
  .meta({ id: 'FieldError' });

/**
 * RFC 9457 problem details as every service answers them. Extension members beyond these are
 * allowed (RFC 9457 §3.2) and named in the endpoint's own response where it adds any.
 */
export const ProblemSchema = z
  .object({
    type: z.string().describe('about:blank unless a problem type URI is given'),
    title: z.string().describe('short English summary of the problem type'),
    title_zh: z.string().optional().describe('the same summary in Chinese'),
    status: z.int().min(400).max(599),
    detail: z.string().optional().describe('this occurrence, for people: Chinese first, then English'),
    instance: z.string().optional().describe('the request path'),
    requestId: z.string().optional().describe('the X-Request-Id of the request, for support'),
    code: z.string().optional().describe('stable code of a domain refusal, to translate and branch on'),
    errors: z.array(FieldErrorSchema).optional().describe('each bad input field (400)'),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem' });

export const problemResponse = (description: string): ResponseSpec => ({
  description,
  schema: ProblemSchema,
  contentType: PROBLEM_CONTENT_TYPE,
});

/** An express path in OpenAPI form: `/pickups/:pickupId` → `/pickups/{pickupId}`, `{*rest}` → `{rest}`. */
export const openApiPath = (expressPath: string): string =>
  expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\{\*([A-Za-z0-9_]+)\}/g, '{$1}');

/** The answers the kit gives on an endpoint's behalf, by what the endpoint takes. */
export function standardResponses(e: Endpoint): Record<number, ResponseSpec> {
  const r = e.request ?? {};
  const out: Record<number, ResponseSpec> = {};
  if (r.body || r.query || r.params || r.headers || e.idempotency) {
    out[400] = problemResponse('输入有误，errors 逐项指明字段 / Invalid input; errors[] names each field');
  }
  if (e.roles !== 'public') {
    out[401] = problemResponse('未登录或登录已失效 / No valid bearer token');
    out[403] = problemResponse(
      `无权操作 / Not allowed: roles ${e.roles.join(', ')}${e.scope ? `; ${e.scope.rule}` : ''}`,
    );
  }
  if (e.idempotency) {
    out[409] = problemResponse(
      '相同请求正在处理 / The same Idempotency-Key is being processed: retry (Retry-After)',
    );
    out[422] = problemResponse('幂等键已用于另一请求 / The Idempotency-Key was used with another request');
  }
  if (r.body) {
    out[413] = problemResponse('请求体过大 / The body exceeds the size limit');
    out[415] = problemResponse('请求体须为 JSON / The body must be application/json');
  }
  out[503] = problemResponse(
    '服务繁忙（Retry-After）或存储、消息服务暂不可用，稍后用同一幂等键重试 / Busy (Retry-After), or store or broker unreachable: retry later',
  );
  return out;
}

function responseObject(spec: ResponseSpec, status: number): ZodOpenApiResponseObject {
  if (!spec.schema && !spec.contentType) return { description: spec.description };
  const type = spec.contentType ?? (status >= 400 ? PROBLEM_CONTENT_TYPE : 'application/json');
  return {
    description: spec.description,
    content: {
      [type]: { schema: spec.schema ?? z.string() },
      ...Object.fromEntries(Object.entries(spec.alternatives ?? {}).map(([t, schema]) => [t, { schema }])),
    },
  };
}

const text = (b: Bilingual) => `${b.zh} / ${b.en}`;

function operationOf(e: Endpoint): ZodOpenApiOperationObject {
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, spec] of Object.entries({ ...standardResponses(e), ...e.responses })) {
    responses[status] = responseObject(spec, Number(status));
  }
  const r = e.request ?? {};
  const headers = e.idempotency ? idempotencyKeyHeader().extend(r.headers?.shape ?? {}) : r.headers;
  const requestParams: NonNullable<ZodOpenApiOperationObject['requestParams']> = {};
  if (r.params) requestParams.path = r.params as z.ZodObject;
  if (r.query) requestParams.query = r.query as z.ZodObject;
  if (headers) requestParams.header = headers;
  const access =
    e.roles === 'public' ? '公开，无需登录 / Public, no token' : `角色 Roles: ${e.roles.join(', ')}`;
  return {
    operationId: e.operationId,
    summary: text(e.summary),
    description: [
      access,
      e.scope ? `范围 Scope: ${e.scope.rule}` : undefined,
      e.idempotency
        ? '幂等 Idempotent: a retry with the same Idempotency-Key gets the first answer'
        : undefined,
      e.description,
    ]
      .filter(Boolean)
      .join('\n\n'),
    security: e.roles === 'public' ? [] : [{ [SECURITY_SCHEME]: [] }],
    'x-roles': e.roles === 'public' ? [] : [...e.roles],
    ...(e.scope ? { 'x-scope': e.scope.rule } : {}),
    ...(e.idempotency ? { 'x-idempotent': true } : {}),
    'x-success-status': successStatusOf(e),
    ...(Object.keys(requestParams).length > 0 ? { requestParams } : {}),
    ...(r.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } }
      : {}),
    responses,
  };
}

export interface DocumentInfo {
  title: Bilingual;
  version: string;
  description?: Bilingual;
}

/** The service's OpenAPI 3.1 document. */
export function openApiDocument(endpoints: readonly Endpoint[], info: DocumentInfo) {
  const paths: ZodOpenApiPathsObject = {};
  for (const e of endpoints) {
    const path = openApiPath(e.path);
    paths[path] = { ...paths[path], [e.method]: operationOf(e) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: text(info.title),
      version: info.version,
      ...(info.description ? { description: text(info.description) } : {}),
    },
    components: {
      securitySchemes: { [SECURITY_SCHEME]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: ProblemSchema },
    },
    paths,
  });
}
