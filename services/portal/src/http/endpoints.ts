// The portal's own endpoints, declared once for its routes and its OpenAPI document: the local
// sign-in, the reference data of the forms, and the pass-through to the services' APIs (which
// check the caller's token themselves, so the portal needs none).
import { endpoint, problemResponse, reply, type Endpoint, type HttpMethod } from '@recycling/service-kit';
import type { z } from 'zod';
import { DEV_TOKEN_PATH, mintDevToken, type DevTokenOptions } from './dev-token';
import { forward, PROXY_PATH, type ProxyOptions } from './proxy';
import { DevTokenRequest, DevTokenResponse, ProxyParams, ReferenceResponse } from './schemas';

const PROXIED_METHODS: HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

export function portalEndpoints(options: {
  devToken: DevTokenOptions;
  proxy: ProxyOptions;
  reference: z.output<typeof ReferenceResponse>;
}): Endpoint[] {
  const pass = forward(options.proxy);
  return [
    endpoint({
      method: 'post',
      path: DEV_TOKEN_PATH,
      operationId: 'mintDevToken',
      summary: {
        zh: '本地登录：签发开发令牌（生产环境不可用）',
        en: 'Local sign-in: mint a development token (refused in production)',
      },
      roles: 'public',
      request: { body: DevTokenRequest },
      responses: {
        201: { description: '已签发 / Token minted', schema: DevTokenResponse },
        403: problemResponse('生产环境不提供本地登录 / Local sign-in is disabled in production'),
      },
      handler: async ({ body }) => reply(201, await mintDevToken(body, options.devToken)),
    }),
    endpoint({
      method: 'get',
      path: '/api/portal/reference',
      operationId: 'portalReference',
      summary: { zh: '城市与代码表', en: 'City profile and code lists for the forms' },
      roles: 'public',
      responses: { 200: { description: '参考数据 / Reference data', schema: ReferenceResponse } },
      handler: async () => reply(200, options.reference, { 'Cache-Control': 'public, max-age=300' }),
    }),
    ...PROXIED_METHODS.map((method) =>
      endpoint({
        method,
        path: PROXY_PATH,
        operationId: `proxy${method[0]!.toUpperCase()}${method.slice(1)}`,
        summary: {
          zh: '转发到服务自身的接口（带上调用者的令牌）',
          en: "Forwarded to the service's own API with the caller's bearer token",
        },
        description:
          'GET /api/<service>/openapi.json is the service’s own document; its rules, roles and answers apply.',
        roles: 'public',
        request: { params: ProxyParams },
        responses: {
          200: { description: '服务的原样回答 / The service’s answer, unchanged', contentType: '*/*' },
          404: problemResponse('没有该服务 / No such service'),
          502: problemResponse('服务暂时无法连接 / The service cannot be reached'),
          504: problemResponse('服务响应超时 / The service did not answer in time'),
        },
        handler: async ({ req, res }) => {
          await pass(req, res);
        },
      }),
    ),
  ];
}
