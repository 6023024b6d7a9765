import { DomainError } from '@recycling/contracts';
import pino from 'pino';
import request from 'supertest';
import { z } from 'zod';
import {
  LOCAL_DEV_JWT_SECRET,
  createApp,
  createTokenVerifier,
  defineService,
  describeService,
  endpoint,
  mintToken,
  mountEndpoints,
  openApiDocument,
  reply,
  baseServiceConfig,
  type Endpoint,
} from '../src';

const verifier = createTokenVerifier({ secret: LOCAL_DEV_JWT_SECRET });
const bearer = async (role: Parameters<typeof mintToken>[0]['role'], scope?: string) => ({
  Authorization: `Bearer ${await mintToken({ role, scope, sub: `${role}-1` })}`,
});

const Thing = z.object({ id: z.string(), name: z.string() }).meta({ id: 'Thing' });
const things = new Map<string, { id: string; name: string }>();

const endpoints: Endpoint[] = [
  endpoint({
    method: 'get',
    path: '/stations/:stationId/things/:id',
    operationId: 'getThing',
    summary: { zh: '查看', en: 'Read a thing' },
    roles: ['station-operator', 'administrator'],
    scope: { rule: 'a station operator only at its own station', param: 'stationId' },
    request: { params: z.object({ stationId: z.string(), id: z.string().regex(/^t-\d+$/) }) },
    responses: { 200: { description: 'The thing', schema: Thing }, 404: { description: 'None' } },
    handler: async ({ params }) => {
      const thing = things.get(params.id);
      if (!thing)
        throw DomainError.notFound('thing-not-found', `未找到 ${params.id} / No thing ${params.id}.`);
      return thing;
    },
  }),
  endpoint({
    method: 'post',
    path: '/things',
    operationId: 'createThing',
    summary: { zh: '新建', en: 'Create a thing' },
    roles: ['administrator'],
    request: { body: z.strictObject({ name: z.string().min(1) }) },
    responses: { 201: { description: 'Created', schema: Thing } },
    handler: async ({ body }) => {
      if (body.name === 'taken') {
        throw DomainError.invalid('name-taken', 'name', '名称已被使用 / The name is taken.', {
          details: { holder: 't-1' },
        });
      }
      const thing = { id: `t-${things.size + 1}`, name: body.name };
      things.set(thing.id, thing);
      return reply(201, thing, { Location: `/things/${thing.id}` });
    },
  }),
  endpoint({
    method: 'get',
    path: '/things',
    operationId: 'listThings',
    summary: { zh: '列表', en: 'List things' },
    roles: 'public',
    request: { query: z.object({ limit: z.coerce.number().int().max(10).default(10) }) },
    responses: { 200: { description: 'Things', schema: z.object({ items: z.array(Thing) }) } },
    handler: async ({ query }) => ({ items: [...things.values()].slice(0, query.limit) }),
  }),
];

const app = createApp({
  logger: pino({ level: 'silent' }),
  routes: (router) => mountEndpoints(router, endpoints, { verifier }),
});

describe('endpoints mounted from their declarations', () => {
  it('answers a handler’s value with the declared success status, and a Reply with its own', async () => {
    const created = await request(app)
      .post('/things')
      .set(await bearer('administrator'))
      .send({ name: 'a' });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/things/${created.body.id}`);
    const read = await request(app)
      .get(`/stations/st-1/things/${created.body.id}`)
      .set(await bearer('station-operator', 'st-1'));
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ id: created.body.id, name: 'a' });
  });

  it('checks roles, then the scope parameter, before the handler runs', async () => {
    const anonymous = await request(app).get('/stations/st-1/things/t-1');
    expect(anonymous.status).toBe(401);
    const resident = await request(app)
      .get('/stations/st-1/things/t-1')
      .set(await bearer('resident', 'r-1'));
    expect(resident.status).toBe(403);
    const elsewhere = await request(app)
      .get('/stations/st-1/things/t-1')
      .set(await bearer('station-operator', 'st-2'));
    expect(elsewhere.status).toBe(403);
  });

  it('serves public endpoints without a token, and validates them all the same', async () => {
    expect((await request(app).get('/things')).status).toBe(200);
    const bad = await request(app).get('/things?limit=99');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query.limit');
  });

  it('maps a domain error to problem+json once, with its code, fields and details', async () => {
    const missing = await request(app)
      .get('/stations/st-1/things/t-9')
      .set(await bearer('administrator'));
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(missing.body).toMatchObject({
      code: 'thing-not-found',
      title_zh: '未找到',
      detail: expect.stringContaining('t-9'),
    });

    const taken = await request(app)
      .post('/things')
      .set(await bearer('administrator'))
      .send({ name: 'taken' });
    expect(taken.status).toBe(400);
    expect(taken.body).toMatchObject({
      code: 'name-taken',
      holder: 't-1',
      errors: [{ field: 'name', code: 'name-taken', message: '名称已被使用 / The name is taken.' }],
    });
  });

  it('answers 405 with Allow for a method a known path does not serve, and OPTIONS with Allow', async () => {
    const deleted = await request(app).delete('/things');
    expect(deleted.status).toBe(405);
    expect(deleted.headers.allow).toBe('POST, GET, HEAD, OPTIONS');
    expect(deleted.body.status).toBe(405);
    const options = await request(app).options('/things');
    expect(options.status).toBe(204);
    expect(options.headers.allow).toContain('POST');
  });

  it('answers 415 for a body that is not JSON, instead of validating an empty one', async () => {
    const res = await request(app)
      .post('/things')
      .set(await bearer('administrator'))
      .set('Content-Type', 'text/plain')
      .send('name=a');
    expect(res.status).toBe(415);
  });

  it('refuses two declarations with one operationId', () => {
    expect(() =>
      mountEndpoints(
        { all: () => undefined, get: () => undefined, post: () => undefined, use: () => undefined } as never,
        [endpoints[0]!, { ...endpoints[1]!, operationId: 'getThing' }],
      ),
    ).toThrow(/operationId getThing/);
  });
});

describe('the OpenAPI document made from the declarations', () => {
  const doc = openApiDocument(endpoints, { title: { zh: '测试', en: 'Test' }, version: '1' }) as unknown as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
  };

  it('names one security scheme and one Problem schema', () => {
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['bearerAuth']);
    expect(doc.components.schemas.Problem).toBeDefined();
  });

  it('gives each operation its id, bilingual summary, roles and the standard answers', () => {
    const get = doc.paths['/stations/{stationId}/things/{id}']!.get!;
    expect(get).toMatchObject({
      operationId: 'getThing',
      summary: '查看 / Read a thing',
      'x-roles': ['station-operator', 'administrator'],
      'x-scope': 'a station operator only at its own station',
      security: [{ bearerAuth: [] }],
    });
    expect(Object.keys(get.responses as object).sort()).toEqual(['200', '400', '401', '403', '404', '503']);
    const post = doc.paths['/things']!.post!;
    expect(Object.keys(post.responses as object)).toEqual(expect.arrayContaining(['201', '413', '415']));
    const list = doc.paths['/things']!.get!;
    expect(list.security).toEqual([]);
    expect(Object.keys(list.responses as object)).not.toContain('401');
  });
});

describe('a service described without a store', () => {
  const definition = defineService({
    name: 'things',
    title: { zh: '测试服务', en: 'Things' },
    config: baseServiceConfig,
    store: () => ({}),
    context: () => ({ secret: 1 }),
    endpoints: (ctx) => [
      endpoint({
        method: 'get',
        path: '/secret',
        operationId: 'secret',
        summary: { zh: '秘密', en: 'Secret' },
        roles: ['administrator'],
        responses: { 200: { description: 'it' } },
        handler: async () => ctx.secret,
      }),
    ],
  });

  it('lists its endpoints and the public document endpoint', () => {
    const { endpoints: listed, document } = describeService(definition);
    expect(listed.map((e) => e.operationId)).toEqual(['secret', 'openApiDocument']);
    expect(Object.keys((document() as { paths: object }).paths)).toEqual(['/secret', '/openapi.json']);
  });

  it('refuses a declaration that reads the context while declaring', () => {
    const eager = { ...definition, endpoints: (ctx: { secret: number }) => (ctx.secret ? [] : []) };
    expect(() => describeService(eager)).toThrow(/read ctx.secret/);
  });
});
