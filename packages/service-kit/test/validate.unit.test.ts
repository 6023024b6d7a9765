import request from 'supertest';
import { z } from 'zod';
import { createApp, findOperatorKeys, validate, validated } from '../src';
import { testLogger } from './helpers';

const CreatePickup = z.strictObject({
  residentId: z.string().min(1),
  items: z
    .array(z.strictObject({ category: z.enum(['fridge', 'tv']), count: z.number().int().positive() }))
    .min(1),
});
const ListQuery = z.object({
  status: z.enum(['requested', 'scheduled']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
const Params = z.object({ pickupId: z.string().regex(/^p-\d+$/) });

function app() {
  return createApp({
    logger: testLogger().logger,
    routes: (router) => {
      router.post('/pickups', validate({ body: CreatePickup }), (req, res) => {
        res.status(201).json({ body: req.body });
      });
      router.get('/pickups', validate({ query: ListQuery }), (req, res) => {
        res.json({ query: req.query, locals: res.locals.input.query });
      });
      router.get(
        '/pickups/:pickupId',
        validated({ params: Params, query: ListQuery }, ({ params, query }, _req, res) => {
          res.json({ id: params.pickupId, limit: query.limit + 1 });
        }),
      );
      router.post('/search', (req, res) => {
        res.json(req.body);
      });
    },
  });
}

describe('validate', () => {
  it('replaces the body with the parsed value', async () => {
    const res = await request(app())
      .post('/pickups')
      .send({ residentId: 'r-1', items: [{ category: 'tv', count: 2 }] })
      .expect(201);
    expect(res.body.body).toEqual({ residentId: 'r-1', items: [{ category: 'tv', count: 2 }] });
  });

  it('answers 400 naming every bad field with a dotted path', async () => {
    const res = await request(app())
      .post('/pickups')
      .send({ residentId: '', items: [{ category: 'sofa', count: 0 }], extra: true })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, title: 'Validation failed', title_zh: '输入有误' });
    const fields = (res.body.errors as Array<{ field: string; code: string }>)
      .map((e) => `${e.field}:${e.code}`)
      .sort();
    expect(fields).toEqual([
      ':unrecognized_keys',
      'items.0.category:invalid_value',
      'items.0.count:too_small',
      'residentId:too_small',
    ]);
  });

  it('answers 400 for a missing body', async () => {
    const res = await request(app()).post('/pickups').expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['residentId', 'items']);
  });

  it('parses the query (express 5 getter) with coercion and defaults', async () => {
    const res = await request(app()).get('/pickups?status=scheduled').expect(200);
    expect(res.body).toEqual({
      query: { status: 'scheduled', limit: 20 },
      locals: { status: 'scheduled', limit: 20 },
    });
    const bad = await request(app()).get('/pickups?limit=1000&status=gone').expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'query.limit',
      'query.status',
    ]);
  });

  it('hands typed params and query to validated() handlers', async () => {
    expect((await request(app()).get('/pickups/p-12?limit=5').expect(200)).body).toEqual({
      id: 'p-12',
      limit: 6,
    });
    const bad = await request(app()).get('/pickups/xyz').expect(400);
    expect(bad.body.errors[0].field).toBe('params.pickupId');
  });
});

describe('operator key guard', () => {
  it.each([
    [{ residentId: { $ne: null } }, 'residentId.$ne'],
    [{ 'seller.idNumber': 'x' }, 'seller.idNumber'],
    [{ items: [{ $where: 'sleep(1000)' }] }, 'items.0.$where'],
    [JSON.parse('{"__proto__": {"admin": true}}'), '__proto__'],
  ])('refuses %j', async (body, field) => {
    const res = await request(app()).post('/search').send(body).expect(400);
    expect(res.body).toMatchObject({ status: 400, title: 'Forbidden keys' });
    expect(res.body.errors[0]).toMatchObject({ field, code: 'forbidden_key' });
  });

  it('refuses operator keys in the query', async () => {
    const res = await request(app()).get('/pickups?status[$ne]=x').expect(400);
    expect(res.body.errors[0].field).toBe('query.status[$ne]');
    await request(app()).get('/pickups?$where=1').expect(400);
  });

  it('lets ordinary values through, $ and dots in values included', async () => {
    const body = { note: '$100 at 3.5kg', nested: { list: [{ a: 1 }] } };
    expect((await request(app()).post('/search').send(body).expect(200)).body).toEqual(body);
  });

  it('refuses absurd nesting', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 40; i++) {
      deep.a = {};
      deep = deep.a as Record<string, unknown>;
    }
    expect(findOperatorKeys(root)[0]?.reason).toBe('is nested too deeply');
  });
});
