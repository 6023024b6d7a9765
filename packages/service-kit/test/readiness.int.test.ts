// /readyz against the real store and broker: ready while both answer, 503 naming mongo once the
// connection is closed. MONGO_URL and KAFKA_BROKERS come from the testkit's global setup.
import type { Connection } from 'mongoose';
import type { Admin } from 'kafkajs';
import request from 'supertest';
import { dropTestDatabase, openTestDatabase, testKafka, testMongoUrl, uniqueName } from '@recycling/testkit';
import { connectStore, createApp, kafkaReadiness, mongoReadiness, runReadinessChecks } from '../src';
import { testLogger } from './helpers';

describe('readiness against the real store and broker', () => {
  let connection: Connection;
  let admin: Admin;

  beforeAll(async () => {
    connection = await openTestDatabase('service-kit-readiness');
    admin = testKafka('service-kit-readiness').admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
    if (connection.readyState === 1) await dropTestDatabase(connection);
  });

  const app = () =>
    createApp({
      logger: testLogger().logger,
      readiness: [mongoReadiness(connection), kafkaReadiness(admin)],
      readinessTimeoutMs: 5_000,
      routes: () => undefined,
    });

  it('is ready while mongo and kafka answer', async () => {
    const res = await request(app()).get('/readyz').expect(200);
    expect(res.body).toMatchObject({
      status: 'ready',
      checks: { mongo: { status: 'ok' }, kafka: { status: 'ok' } },
    });
  });

  it('is not ready once the mongo connection is closed', async () => {
    const db = await openTestDatabase('service-kit-readiness-closed');
    await db.close();
    const report = await runReadinessChecks([mongoReadiness(db)]);
    expect(report.ready).toBe(false);
    expect(report.checks.mongo?.error).toMatch(/not connected/);

    const res = await request(
      createApp({
        logger: testLogger().logger,
        readiness: [mongoReadiness(db), kafkaReadiness(admin)],
        routes: () => undefined,
      }),
    )
      .get('/readyz')
      .expect(503);
    expect(res.body).toMatchObject({
      status: 503,
      detail: 'Not ready: mongo.',
      checks: { kafka: { status: 'ok' } },
    });
  });
});

describe('metrics', () => {
  it('counts the store commands a service sends, by name, on /metrics', async () => {
    const connection = await connectStore(
      testMongoUrl(uniqueName('t-metrics').replace(/[^a-zA-Z0-9_-]/g, '_')),
    );
    try {
      const app = createApp({ logger: testLogger().logger, routes: () => undefined });
      const before = await request(app).get('/metrics');
      expect(before.status).toBe(200);
      expect(before.text).toContain('process_resident_memory_bytes');
      const finds = (text: string) =>
        Number(/store_commands_total\{command="find"\} (\d+)/.exec(text)?.[1] ?? 0);
      for (let i = 0; i < 3; i++) await connection.collection('things').findOne({ _id: `x${i}` as never });
      const after = await request(app).get('/metrics');
      expect(finds(after.text) - finds(before.text)).toBe(3);
    } finally {
      await connection.dropDatabase();
      await connection.close();
    }
  });
});
