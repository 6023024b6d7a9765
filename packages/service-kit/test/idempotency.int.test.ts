// The Idempotency-Key guard against the real store (FerretDB/MongoDB from the testkit): a retry gets
// the first answer and the work runs once, also when the retries arrive together.
import type { Connection } from 'mongoose';
import request from 'supertest';
import { z } from 'zod';
import { dropTestDatabase, openTestDatabase } from '@recycling/testkit';
import {
  HttpProblem,
  createApp,
  idempotent,
  requestHashOf,
  validated,
  type IdempotencyOptions,
} from '../src';
import { testLogger } from './helpers';

let connection: Connection;

beforeAll(async () => {
  connection = await openTestDatabase('service-kit-idempotency');
});

afterAll(async () => {
  if (connection) await dropTestDatabase(connection);
});

const Order = z.strictObject({ item: z.string().min(1), qty: z.int().min(0) });

/** An app whose POST /orders saves an order under the reserved id; `runs` counts the work. */
function orderApp(options: Partial<IdempotencyOptions> = {}) {
  const runs: string[] = [];
  let failNext = false;
  let seq = 0;
  const guard = idempotent({
    connection,
    collection: 'order_keys',
    scopeOf: (req) => req.get('x-tenant') ?? 'anonymous',
    reserve: { field: 'orderId', make: () => `ord-${Date.now().toString(36)}-${++seq}` },
    ...options,
  });
  const app = createApp({
    logger: testLogger().logger,
    routes: (router) => {
      router.post(
        '/orders',
        validated({ body: Order }, async ({ body }, req, res) => {
          await guard(req, res, async (orderId) => {
            runs.push(orderId!);
            // Slow enough for concurrent retries to meet a pending claim.
            await new Promise((resolve) => setTimeout(resolve, 100));
            if (failNext) {
              failNext = false;
              throw new Error('store went away');
            }
            if (body.qty === 0) {
              throw new HttpProblem(409, 'Out of stock', '缺货 / Out of stock', {
                title_zh: '缺货',
                item: body.item,
              });
            }
            const existing = await connection.collection('orders').findOne({ _id: orderId as never });
            if (!existing)
              await connection.collection('orders').insertOne({ _id: orderId as never, ...body });
            return {
              status: 201,
              body: { orderId, ...body, note: undefined },
              headers: { Location: `/orders/${orderId}` },
            };
          });
        }),
      );
    },
  });
  return { app, runs, failOnce: () => (failNext = true) };
}

const keys = () => connection.collection<{ _id: string }>('order_keys');

describe('idempotent() on the real store', () => {
  it('answers a retry with the first answer (status, body, headers) and runs the work once', async () => {
    const { app, runs } = orderApp();
    const send = () =>
      request(app)
        .post('/orders')
        .set('x-tenant', 't1')
        .set('Idempotency-Key', 'a-1')
        .send({ item: 'fridge', qty: 1 });
    const first = await send();
    const retry = await send();
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.body).toEqual(first.body);
    expect(runs).toHaveLength(1);
    expect(await keys().findOne({ _id: 't1#a-1' })).toMatchObject({
      state: 'done',
      orderId: first.body.orderId,
      requestHash: requestHashOf({ item: 'fridge', qty: 1 }),
    });
  });

  it('refuses the same key with another body: 422 problem+json, work not run', async () => {
    const { app, runs } = orderApp();
    await request(app)
      .post('/orders')
      .set('x-tenant', 't2')
      .set('Idempotency-Key', 'k')
      .send({ item: 'tv', qty: 1 })
      .expect(201);
    const res = await request(app)
      .post('/orders')
      .set('x-tenant', 't2')
      .set('Idempotency-Key', 'k')
      .send({ item: 'tv', qty: 2 });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 422, title_zh: '幂等键已被另一请求使用' });
    expect(runs).toHaveLength(1);
  });

  it('keeps scopes apart: the same key in another scope is another request', async () => {
    const { app, runs } = orderApp();
    const a = await request(app)
      .post('/orders')
      .set('x-tenant', 't3')
      .set('Idempotency-Key', 'same')
      .send({ item: 'ac', qty: 1 });
    const b = await request(app)
      .post('/orders')
      .set('x-tenant', 't4')
      .set('Idempotency-Key', 'same')
      .send({ item: 'ac', qty: 1 });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.orderId).not.toBe(a.body.orderId);
    expect(runs).toHaveLength(2);
  });

  it('runs the work once when the same request arrives eight times at once', async () => {
    const { app, runs } = orderApp();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        request(app)
          .post('/orders')
          .set('x-tenant', 't5')
          .set('Idempotency-Key', 'burst')
          .send({ item: 'pc', qty: 1 }),
      ),
    );
    expect(runs).toHaveLength(1);
    for (const a of answers) expect([201, 409]).toContain(a.status);
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.headers['retry-after']).toBe('1');
      expect(a.body.title_zh).toBe('请求处理中');
    }
    const ids = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.orderId));
    expect([...ids]).toEqual([runs[0]]);
  });

  it('replays a refusal (4xx) with its extensions, without running the work again', async () => {
    const { app, runs } = orderApp();
    const send = () =>
      request(app)
        .post('/orders')
        .set('x-tenant', 't6')
        .set('Idempotency-Key', 'none-left')
        .send({ item: 'fan', qty: 0 });
    const first = await send();
    const retry = await send();
    expect([first.status, retry.status]).toEqual([409, 409]);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const { requestId: _a, ...firstBody } = first.body;
    const { requestId: _b, ...retryBody } = retry.body;
    expect(retryBody).toEqual(firstBody);
    expect(retryBody).toMatchObject({ item: 'fan', title_zh: '缺货' });
    expect(runs).toHaveLength(1);
  });

  it('frees the key after an unexpected failure, so the retry runs the work again', async () => {
    const { app, runs, failOnce } = orderApp();
    failOnce();
    const send = () =>
      request(app)
        .post('/orders')
        .set('x-tenant', 't7')
        .set('Idempotency-Key', 'flaky')
        .send({ item: 'oven', qty: 1 });
    expect((await send()).status).toBe(500);
    expect(await keys().findOne({ _id: 't7#flaky' })).toBeNull();
    const retry = await send();
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(runs).toHaveLength(2);
  });

  it('takes over a stale pending claim with its reserved id, and answers 409 to a fresh one', async () => {
    const { app, runs } = orderApp({ staleAfterMs: 30_000 });
    const body = { item: 'dryer', qty: 1 };
    const pending = (id: string, ageMs: number) =>
      keys().insertOne({
        _id: id,
        requestHash: requestHashOf(body),
        state: 'pending',
        attempt: 'dead-attempt',
        orderId: `ord-of-${id}`,
        createdAt: new Date(Date.now() - ageMs),
      } as never);
    await pending('t8#fresh', 5_000);
    await pending('t8#stale', 31_000);
    const send = (key: string) =>
      request(app).post('/orders').set('x-tenant', 't8').set('Idempotency-Key', key).send(body);
    const fresh = await send('fresh');
    expect(fresh.status).toBe(409);
    const stale = await send('stale');
    expect(stale.status).toBe(201);
    expect(stale.body.orderId).toBe('ord-of-t8#stale');
    expect(runs).toEqual(['ord-of-t8#stale']);
    expect(await keys().findOne({ _id: 't8#stale' })).toMatchObject({
      state: 'done',
      orderId: 'ord-of-t8#stale',
    });
  });

  it('runs every request without a key, and answers 400 naming the header for a malformed one', async () => {
    const { app, runs } = orderApp();
    const send = () => request(app).post('/orders').set('x-tenant', 't9').send({ item: 'hob', qty: 1 });
    const [a, b] = [await send(), await send()];
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.orderId).not.toBe(a.body.orderId);
    const bad = await request(app)
      .post('/orders')
      .set('x-tenant', 't9')
      .set('Idempotency-Key', 'no spaces allowed')
      .send({ item: 'hob', qty: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['headers.idempotency-key']);
    expect(runs).toHaveLength(2);
  });
});
