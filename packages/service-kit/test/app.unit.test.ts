import request from 'supertest';
import { HttpProblem, createApp, kafkaReadiness, type ReadinessCheck } from '../src';
import { testLogger } from './helpers';

function build(options: { readiness?: ReadinessCheck[]; shuttingDown?: boolean; bodyLimit?: string } = {}) {
  const log = testLogger();
  const app = createApp({
    logger: log.logger,
    readiness: options.readiness,
    bodyLimit: options.bodyLimit,
    isShuttingDown: () => options.shuttingDown ?? false,
    readinessTimeoutMs: 200,
    routes: (router) => {
      router.post('/echo', (req, res) => {
        res.json(req.body);
      });
      router.get('/boom', () => {
        throw new Error('secret internals at /srv/app.ts:12 for 13800138000');
      });
      router.get('/async-boom', async () => {
        await Promise.resolve();
        throw new Error('async secret');
      });
      router.get('/conflict', () => {
        throw HttpProblem.conflict('该时段已约满 / The slot is full.', { slot: '10:00' });
      });
    },
  });
  return { app, log };
}

describe('health and readiness', () => {
  it('/healthz is always 200', async () => {
    await request(build({ readiness: [{ name: 'x', check: () => Promise.reject(new Error('down')) }] }).app)
      .get('/healthz')
      .expect(200, { status: 'ok' });
  });

  it('/readyz is 200 when every check passes', async () => {
    const res = await request(build({ readiness: [{ name: 'mongo', check: async () => undefined }] }).app)
      .get('/readyz')
      .expect(200);
    expect(res.body).toMatchObject({ status: 'ready', checks: { mongo: { status: 'ok' } } });
  });

  it('/readyz is 503 problem+json naming failed and timed-out checks', async () => {
    const res = await request(
      build({
        readiness: [
          { name: 'mongo', check: async () => undefined },
          { name: 'kafka', check: () => Promise.reject(new Error('broker unreachable')) },
          { name: 'slow', check: () => new Promise<void>(() => undefined) },
        ],
      }).app,
    )
      .get('/readyz')
      .expect(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: 503,
      detail: 'Not ready: kafka, slow.',
      checks: {
        mongo: { status: 'ok' },
        kafka: { status: 'failed', error: 'broker unreachable' },
        slow: { status: 'failed' },
      },
    });
  });

  it('/readyz stays 200, degraded, when only a check that is not required fails', async () => {
    const res = await request(
      build({
        readiness: [
          { name: 'mongo', check: async () => undefined },
          { name: 'kafka', required: false, check: () => Promise.reject(new Error('broker unreachable')) },
        ],
      }).app,
    )
      .get('/readyz')
      .expect(200);
    expect(res.body).toMatchObject({
      status: 'degraded',
      checks: { mongo: { status: 'ok' }, kafka: { status: 'failed', required: false } },
    });
  });

  it('/readyz does not need the broker by default (kafkaReadiness is not required)', async () => {
    const down = { describeCluster: () => Promise.reject(new Error('Connection error: ECONNREFUSED')) };
    const res = await request(build({ readiness: [kafkaReadiness(down)] }).app)
      .get('/readyz')
      .expect(200);
    expect(res.body).toMatchObject({ status: 'degraded', checks: { kafka: { status: 'failed' } } });
    await request(build({ readiness: [kafkaReadiness(down, 'kafka', { required: true })] }).app)
      .get('/readyz')
      .expect(503);
  });

  it('/readyz is 503 while shutting down', async () => {
    const res = await request(build({ shuttingDown: true }).app)
      .get('/readyz')
      .expect(503);
    expect(res.body.detail).toBe('Shutting down.');
  });
});

describe('request ids', () => {
  it('echoes a given X-Request-Id and puts it in problems and logs', async () => {
    const { app, log } = build();
    const res = await request(app).get('/nowhere').set('X-Request-Id', 'abc-123').expect(404);
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.body).toMatchObject({ status: 404, requestId: 'abc-123', instance: '/nowhere' });
    expect(log.lines().some((l) => (l.req as { id?: string } | undefined)?.id === 'abc-123')).toBe(true);
  });

  it('generates one when none or a strange one is given', async () => {
    const { app } = build();
    const res = await request(app).get('/healthz').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('errors', () => {
  it('answers unknown routes 404 problem+json', async () => {
    const res = await request(build().app).delete('/pickups/1').expect(404);
    expect(res.body).toMatchObject({
      type: 'about:blank',
      title: 'Not Found',
      title_zh: '未找到',
      detail: 'No route for DELETE /pickups/1',
    });
  });

  it('answers invalid JSON 400', async () => {
    const res = await request(build().app)
      .post('/echo')
      .set('Content-Type', 'application/json')
      .send('{"a":')
      .expect(400);
    expect(res.body).toMatchObject({ status: 400, title: 'Malformed JSON' });
  });

  it('answers a body over the limit 413', async () => {
    const res = await request(build({ bodyLimit: '1kb' }).app)
      .post('/echo')
      .send({ text: 'x'.repeat(2048) })
      .expect(413);
    expect(res.body).toMatchObject({ status: 413, title: 'Content Too Large', title_zh: '请求内容过大' });
  });

  it('answers unexpected errors 500 without message or stack, and logs them', async () => {
    const { app, log } = build();
    for (const path of ['/boom', '/async-boom']) {
      const res = await request(app).get(path).expect(500);
      expect(res.body).toMatchObject({
        status: 500,
        title: 'Internal Server Error',
        title_zh: '服务器内部错误',
      });
      expect(JSON.stringify(res.body)).not.toMatch(/secret|srv\/app|at /);
    }
    const logged = log.lines().filter((l) => l.msg === 'unexpected error');
    expect(logged).toHaveLength(2);
    expect((logged[0]!.err as { message: string; stack: string }).stack).toContain('secret internals');
  });

  it('answers thrown HttpProblems with their body and extensions', async () => {
    const res = await request(build().app).get('/conflict').expect(409);
    expect(res.body).toMatchObject({
      status: 409,
      title: 'Conflict',
      detail: '该时段已约满 / The slot is full.',
      slot: '10:00',
    });
  });

  it('sets security headers and no x-powered-by', async () => {
    const res = await request(build().app).get('/healthz');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('load shedding', () => {
  it('answers 503 busy at once while as many requests as it takes are in flight, and takes more as they end', async () => {
    const log = testLogger();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const app = createApp({
      logger: log.logger,
      maxInFlight: 2,
      routes: (router) => {
        router.get('/slow', async (_req, res) => {
          await held;
          res.json({ ok: true });
        });
        router.get('/fast', (_req, res) => {
          res.json({ ok: true });
        });
      },
    });
    const server = app.listen(0);
    try {
      const agent = request(server);
      const slow = [agent.get('/slow').then((r) => r), agent.get('/slow').then((r) => r)];
      // Both slow requests are in the service before the third arrives.
      await new Promise((r) => setTimeout(r, 100));
      const busy = await agent.get('/fast');
      expect(busy.status).toBe(503);
      expect(busy.headers['retry-after']).toBe('1');
      expect(busy.headers['content-type']).toContain('application/problem+json');
      expect(busy.body).toMatchObject({ status: 503, code: 'busy', title_zh: '服务繁忙' });
      expect(busy.body.detail).toMatch(/^服务繁忙/);
      // The probes answer however busy the service is.
      await agent.get('/healthz').expect(200);
      release();
      expect((await Promise.all(slow)).map((r) => r.status)).toEqual([200, 200]);
      await agent.get('/fast').expect(200);
    } finally {
      server.close();
    }
  });

  it('counts a request whose caller hung up until the service has answered it', async () => {
    const log = testLogger();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let answered = 0;
    const app = createApp({
      logger: log.logger,
      maxInFlight: 1,
      routes: (router) => {
        router.get('/slow', async (_req, res) => {
          await held;
          res.json({ ok: true });
          answered += 1;
        });
        router.get('/fast', (_req, res) => {
          res.json({ ok: true });
        });
      },
    });
    const server = app.listen(0);
    try {
      const { port } = server.address() as { port: number };
      // The caller gives up after 100 ms; the service still works on its request.
      await expect(
        fetch(`http://127.0.0.1:${port}/slow`, { signal: AbortSignal.timeout(100) }),
      ).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 50));
      expect((await request(server).get('/fast')).status).toBe(503);
      release();
      await new Promise((r) => setTimeout(r, 50));
      expect(answered).toBe(1);
      await request(server).get('/fast').expect(200);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('takes everything when no bound is set', async () => {
    const { app } = build();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => request(app).post('/echo').send({ a: 1 })),
    );
    expect(answers.every((r) => r.status === 200)).toBe(true);
  });
});
