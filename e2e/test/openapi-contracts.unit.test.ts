// One test of every service's API document against the endpoints it declares and the routes it
// mounts: operationIds, response schemas, one security scheme, the standard answers, request
// schemas equal to those the routes validate with, every route documented and every documented
// route mounted, and real error answers that keep to their own documented schemas. Built without a
// store or a broker: declarations never touch the context, and these requests stop before handlers.
import { alarProfile } from '@recycling/contracts';
import {
  LOCAL_DEV_JWT_SECRET,
  createApp,
  createTokenVerifier,
  describeService,
  inlineSchemaRefs,
  mintToken,
  mountEndpoints,
  mountedRoutes,
  openApiPath,
  ROLES,
  type Endpoint,
  type Role,
} from '@recycling/service-kit';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import pino from 'pino';
import request from 'supertest';
import type { z } from 'zod';
import { createSchema } from 'zod-openapi';
import { loadConfig } from '@recycling/service-kit';
import { createLogger } from '@recycling/observability';
import { dismantlingService } from '../../services/dismantling/src/service';
import { invoicingService } from '../../services/invoicing/src/service';
import { pickupService } from '../../services/pickup/src/service';
import { sortingService } from '../../services/sorting/src/service';
import { statisticsService } from '../../services/statistics/src/service';
import { subsidiesService } from '../../services/subsidies/src/service';
import { disposalsService } from '../../services/disposals/src/service';
import { remanufacturingService } from '../../services/remanufacturing/src/service';
import { PortalConfig } from '../../services/portal/src/config';
import { buildPortal } from '../../services/portal/src/server';

interface Operation {
  operationId?: string;
  summary?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ in: string; name: string; schema: unknown; required?: boolean }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  'x-roles'?: string[];
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes?: Record<string, unknown>; schemas?: Record<string, unknown> };
}

const portal = buildPortal(
  loadConfig(PortalConfig, { NODE_ENV: 'test' }),
  createLogger({ service: 'portal', level: 'silent' }),
);

/** Every service of the network: its endpoints and its document, as declared. */
const SERVICES: Array<[name: string, endpoints: Endpoint[], document: Document]> = [
  ['pickup', describeService(pickupService, alarProfile)],
  ['sorting', describeService(sortingService, alarProfile)],
  ['dismantling', describeService(dismantlingService, alarProfile)],
  ['invoicing', describeService(invoicingService, alarProfile)],
  ['statistics', describeService(statisticsService, alarProfile)],
  ['subsidies', describeService(subsidiesService, alarProfile)],
  ['disposals', describeService(disposalsService, alarProfile)],
  ['remanufacturing', describeService(remanufacturingService, alarProfile)],
  ['portal', { endpoints: portal.endpoints, document: portal.document }],
].map(([name, d]) => {
  const described = d as { endpoints: Endpoint[]; document: () => unknown };
  return [name as string, described.endpoints, described.document() as Document];
});

const verifier = createTokenVerifier({ secret: LOCAL_DEV_JWT_SECRET });
const appOf = (endpoints: Endpoint[]) =>
  createApp({
    logger: pino({ level: 'silent' }),
    routes: (router) => mountEndpoints(router, endpoints, { verifier }),
  });

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const operationsOf = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, op]) => ({ path, method, op })),
  );

const rendered = (schema: z.ZodType) => {
  const { schema: s, components } = createSchema(schema, { io: 'input' });
  return inlineSchemaRefs(s, components as Record<string, unknown>);
};

describe.each(SERVICES)('%s', (_name, endpoints, doc) => {
  const inDoc = (schema: unknown) => inlineSchemaRefs(schema, doc.components.schemas ?? {});

  it('is OpenAPI 3.1 with one security scheme and one Problem schema', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.securitySchemes ?? {})).toEqual(['bearerAuth']);
    expect(doc.components.schemas?.Problem).toMatchObject({ type: 'object' });
  });

  it('documents every mounted route, and mounts every documented one', () => {
    const mounted = mountedRoutes(appOf(endpoints))
      .filter((r) => r.method !== '_all' && !['/healthz', '/readyz', '/metrics'].includes(r.path))
      .map((r) => `${r.method} ${openApiPath(r.path)}`);
    const documented = operationsOf(doc).map((o) => `${o.method} ${o.path}`);
    expect([...new Set(mounted)].sort()).toEqual(documented.sort());
  });

  it('gives every operation a unique operationId, a summary in Chinese and English, and its access', () => {
    const ids = operationsOf(doc).map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { op } of operationsOf(doc)) {
      expect(op.summary).toMatch(/\p{Script=Han}.* \/ [A-Za-z]/u);
      const isPublic = (op['x-roles'] ?? []).length === 0;
      expect(op.security).toEqual(isPublic ? [] : [{ bearerAuth: [] }]);
      if (!isPublic) expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403', '503']));
    }
  });

  it('describes what every success answer carries', () => {
    const missing = operationsOf(doc).flatMap(({ path, method, op }) =>
      Object.entries(op.responses)
        .filter(([status]) => status.startsWith('2') && status !== '204')
        .filter(([, r]) => !Object.values(r.content ?? {}).some((c) => c.schema !== undefined))
        .map(([status]) => `${method} ${path} ${status}`),
    );
    expect(missing).toEqual([]);
  });

  it.each(endpoints.map((e) => [`${e.method.toUpperCase()} ${e.path}`, e] as const))(
    '%s: documents the request schemas it validates with',
    (_route, e) => {
      const op = doc.paths[openApiPath(e.path)]?.[e.method];
      expect(op).toBeDefined();
      const r = e.request ?? {};
      if (r.body)
        expect(inDoc(op!.requestBody?.content['application/json']?.schema)).toEqual(rendered(r.body));
      else expect(op!.requestBody).toBeUndefined();
      for (const [where, schema] of [
        ['path', r.params],
        ['query', r.query],
      ] as const) {
        const params = (op!.parameters ?? []).filter((p) => p.in === where);
        const shape = (schema as z.ZodObject | undefined)?.shape ?? {};
        expect(params.map((p) => p.name).sort()).toEqual(Object.keys(shape).sort());
      }
    },
  );

  it('answers refusals that keep to their own documented schemas', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const app = appOf(endpoints);
    const noRole = ROLES.find((role) =>
      endpoints.every((e) => e.roles === 'public' || !e.roles.includes(role)),
    );
    const wrongRoleOf = (e: Endpoint): Role | undefined =>
      e.roles === 'public'
        ? undefined
        : (ROLES.find((r) => !(e.roles as readonly Role[]).includes(r)) ?? noRole);
    const broken: string[] = [];
    for (const e of endpoints) {
      const op = doc.paths[openApiPath(e.path)]![e.method]!;
      const url = e.path.replace(/:([A-Za-z0-9_]+)/g, 'x-$1').replace(/\{\*[A-Za-z0-9_]+\}/g, 'x');
      const tries: Array<[what: string, auth?: string]> = [];
      if (e.roles !== 'public') {
        tries.push(['no token']);
        const wrong = wrongRoleOf(e);
        if (wrong)
          tries.push([`role ${wrong}`, await mintToken({ role: wrong, sub: 'x', scope: 'x-scope' })]);
      }
      for (const [what, token] of tries) {
        let call = request(app)[e.method](url);
        if (token) call = call.set('Authorization', `Bearer ${token}`);
        const res = await call.send(['get', 'delete'].includes(e.method) ? undefined : {});
        const documented = op.responses[String(res.status)]?.content?.['application/problem+json']?.schema;
        if (!documented) {
          broken.push(`${e.method} ${e.path} (${what}): ${res.status} is not documented`);
          continue;
        }
        const schema = inlineSchemaRefs(documented, doc.components.schemas ?? {}) as object;
        if (!ajv.validate(schema, res.body)) {
          broken.push(`${e.method} ${e.path} (${what}): ${ajv.errorsText()}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('free text, one rule in every service', () => {
  const endpointsOf = (name: string) => SERVICES.find(([n]) => n === name)![1];
  const cases: Array<
    [
      what: string,
      service: string,
      method: 'post' | 'put',
      url: string,
      role: Role,
      body: object,
      fields: string[],
    ]
  > = [
    [
      'a booking: a NUL in the address, a right-to-left override in the name',
      'pickup',
      'post',
      '/pickups',
      'resident',
      {
        kind: 'appliances',
        appliances: [{ category: 'refrigerator', count: 1 }],
        address: { districtCode: 't10', detail: '幸福路\u0000 12 号' },
        contact: { name: '王\u202E芳', phone: '13800138000' },
      },
      ['address.detail', 'contact.name'],
    ],
    [
      'a dismantler: an isolate in the name',
      'dismantling',
      'put',
      '/dismantlers/dm-1',
      'administrator',
      { name: '阿拉尔\u2066拆解厂' },
      ['name'],
    ],
    [
      'an organisation selling at a station: a line break in its name',
      'sorting',
      'post',
      '/stations/x/intakes',
      'station-operator',
      { seller: { kind: 'organisation', organisationName: '第一师\n某单位' } },
      ['seller.organisationName'],
    ],
  ];
  it.each(cases)('%s: 400 naming each field', async (_what, service, method, url, role, body, fields) => {
    const token = await mintToken({ role, sub: 'x', scope: 'x' });
    const res = await request(appOf(endpointsOf(service)))
      [method](url)
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', 'free-text-0001')
      .send(body);
    expect(res.status).toBe(400);
    const named = (res.body.errors as Array<{ field: string; message: string }>).filter((e) =>
      /control|bidirectional|line break/.test(e.message),
    );
    expect(named.map((e) => e.field).sort()).toEqual(fields.map((f) => expect.stringContaining(f)));
  });
});
