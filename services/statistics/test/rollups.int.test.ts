import { fixtures } from '@recycling/contracts/fixtures';
import type { PendingEvent } from '@recycling/messaging';
import { physicalTopic } from '@recycling/messaging';
import { testKafka, waitFor } from '@recycling/testkit';
import request from 'supertest';
import { COUNTED_TOPICS } from '../src/domain/record-rules';
import {
  packMonths,
  seriesCollectionName,
  unpackMonths,
  type PackedCells,
} from '../src/domain/series-layout';
import { startHarness, type Harness } from './harness';

jest.setTimeout(180_000);

let h: Harness;
const sent: PendingEvent[] = [];

const f = fixtures;
const intake = f['recycling.intake.recorded.v1'];
const corrected = f['recycling.intake.corrected.v1'];
const batch = f['recycling.intake.batch-dispatched.v1'];
const vehicle = f['recycling.vehicle.received.v1'];
const usedCar = f['recycling.used-car.transaction-recorded.v1'];
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** What the rollups must show once every event of the first test has been counted. */
async function expectFirstFigures() {
  // Appliances, March 2025 (Asia/Shanghai), from the intake as recorded.
  expect(await h.cell('appliances', '2025-03', 'all', 'all', 'units')).toBe(
    sum(intake.contents.lines.map((l) => l.units)),
  );
  expect(await h.cell('appliances', '2025-03', 'all', 'all', 'grams')).toBe(intake.contents.totalWeightGrams);
  expect(await h.cell('appliances', '2025-03', 'category', 'refrigerator', 'units')).toBe(1);
  expect(await h.cell('appliances', '2025-03', 'district', 's-xingfulu', 'units')).toBe(2);
  expect(await h.cell('dispatched', '2025-03', 'all', 'all', 'grams')).toBe(batch.totalWeightGrams);
  // Vehicles, February 2025, by type, fuel, emission standard and district.
  expect(await h.cell('vehicles', '2025-02', 'all', 'all', 'count')).toBe(1);
  expect(await h.cell('vehicles', '2025-02', 'vehicleType', 'passenger-car', 'count')).toBe(1);
  expect(await h.cell('vehicles', '2025-02', 'fuelType', 'gasoline', 'count')).toBe(1);
  expect(await h.cell('vehicles', '2025-02', 'emissionStandard', 'china-3', 'count')).toBe(1);
  expect(await h.cell('vehicles', '2025-02', 'district', 't10', 'grams')).toBe(vehicle.weighedGrams);
  expect(await h.cell('vehicle-certificates', '2025-02', 'all', 'all', 'count')).toBe(1);
  // Pickups: requested in February, collected in March after 84,780 s, one failure.
  expect(await h.cell('pickups', '2025-02', 'district', 's-xingfulu', 'requested')).toBe(1);
  expect(await h.cell('pickups', '2025-03', 'all', 'all', 'collected')).toBe(1);
  expect(await h.cell('pickups', '2025-03', 'all', 'all', 'collectSeconds')).toBe(84_780);
  expect(
    await h.cell('pickups', '2025-02', 'reason', f['recycling.pickup.failed.v1'].reasonCode, 'failed'),
  ).toBe(1);
  // Invoices and declarations by tax month.
  expect(await h.cell('invoices', '2025-03', 'all', 'all', 'amountFen')).toBe(
    f['recycling.invoice.issued.v1'].totals.amountFen,
  );
  expect(await h.cell('invoice-refusals', '2025-03', 'all', 'all', 'count')).toBe(1);
  expect(await h.cell('declarations', '2025-02', 'all', 'all', 'salesFen')).toBe(
    f['recycling.declaration.prepared.v1'].summary.salesFen,
  );
  // Used cars, recorded through the API and counted from the topic.
  expect(await h.cell('used-cars', '2025-03', 'district', usedCar.districtCode, 'count')).toBe(1);
  expect(await h.cell('used-cars', '2025-03', 'all', 'all', 'fen')).toBe(usedCar.priceFen);
}

beforeAll(async () => {
  h = await startHarness('rollups');
});

afterAll(async () => {
  await h?.stop();
});

describe('statistics rollups on the real broker and store', () => {
  it('counts events from every topic into the right rollups', async () => {
    for (const type of [
      'recycling.pickup.requested.v1',
      'recycling.pickup.collected.v1',
      'recycling.pickup.failed.v1',
      'recycling.intake.recorded.v1',
      'recycling.intake.batch-dispatched.v1',
      'recycling.vehicle.received.v1',
      'recycling.vehicle.certificate-issued.v1',
      'recycling.invoice.issued.v1',
      'recycling.invoice.refused.v1',
      'recycling.declaration.prepared.v1',
    ] as const) {
      sent.push(await h.publish(type, f[type]));
    }
    const { marketId: _marketId, occurredAt: _occurredAt, ...body } = usedCar;
    const market = await h.token('used-car-market', usedCar.marketId);
    const created = await request(h.service.app)
      .post('/used-car-transactions')
      .set('Authorization', `Bearer ${market}`)
      .send(body);
    expect(created.status).toBe(201);
    // The same request again is answered, not recorded twice.
    const again = await request(h.service.app)
      .post('/used-car-transactions')
      .set('Authorization', `Bearer ${market}`)
      .send(body);
    expect(again.status).toBe(200);
    const conflicting = await request(h.service.app)
      .post('/used-car-transactions')
      .set('Authorization', `Bearer ${market}`)
      .send({ ...body, priceFen: body.priceFen + 1 });
    expect(conflicting.status).toBe(409);

    await h.waitForCell('used-cars', '2025-03', 'all', 'all', 'count', 1);
    await h.waitForCell('declarations', '2025-02', 'all', 'all', 'declarations', 1);
    await h.waitForCell('vehicle-certificates', '2025-02', 'all', 'all', 'count', 1);
    await h.waitForCell('pickups', '2025-03', 'all', 'all', 'collected', 1);
    await h.waitForCell('dispatched', '2025-03', 'all', 'all', 'batches', 1);
    await h.waitForCell('invoice-refusals', '2025-03', 'all', 'all', 'count', 1);
    await h.waitForCell('appliances', '2025-03', 'all', 'all', 'units', 2);
    await expectFirstFigures();
  });

  it('lets a market list its own used-car transactions, newest sale first, a page at a time', async () => {
    const market = await h.token('used-car-market', 'mkt-page');
    const list = (token: string, query: string) =>
      request(h.service.app).get(`/used-car-transactions?${query}`).set('Authorization', `Bearer ${token}`);
    const { marketId: _m, occurredAt: _o, ...body } = usedCar;
    for (const [transactionId, transactedOn] of [
      ['pg-a', '2024-05-10'],
      ['pg-b', '2024-05-20'],
      ['pg-c', '2024-07-01'],
    ] as const) {
      const r = await request(h.service.app)
        .post('/used-car-transactions')
        .set('Authorization', `Bearer ${market}`)
        .send({ ...body, transactionId, transactedOn });
      expect(r.status).toBe(201);
    }
    const first = await list(market, 'from=2024-01&to=2024-12&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.marketId).toBe('mkt-page');
    expect((first.body.items as Array<{ transactionId: string }>).map((t) => t.transactionId)).toEqual([
      'pg-c',
      'pg-b',
    ]);
    expect(first.body.items[0]).toMatchObject({
      marketId: 'mkt-page',
      transactedOn: '2024-07-01',
      priceFen: body.priceFen,
    });
    const second = await list(market, `from=2024-01&to=2024-12&limit=2&cursor=${first.body.nextCursor}`);
    expect((second.body.items as Array<{ transactionId: string }>).map((t) => t.transactionId)).toEqual([
      'pg-a',
    ]);
    expect(second.body.nextCursor).toBeUndefined();
    // Only its own: another market sees none of them and may not ask for them by name.
    const other = await h.token('used-car-market', usedCar.marketId);
    const theirs = await list(other, 'from=2024-01&to=2025-12');
    expect((theirs.body.items as Array<{ transactionId: string }>).map((t) => t.transactionId)).toEqual([
      usedCar.transactionId,
    ]);
    expect((await list(other, 'marketId=mkt-page')).status).toBe(403);
    // An administrator names the market.
    expect((await list(await h.token(), 'from=2024-01&to=2024-12')).status).toBe(400);
    const asAdmin = await list(await h.token(), 'marketId=mkt-page&from=2024-05&to=2024-05');
    expect((asAdmin.body.items as Array<{ transactionId: string }>).map((t) => t.transactionId)).toEqual([
      'pg-b',
      'pg-a',
    ]);
    const bad = await list(market, 'from=2024-13&limit=0&cursor=%24nope');
    expect(bad.status).toBe(400);
    expect((bad.body.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual([
      'query.cursor',
      'query.from',
      'query.limit',
    ]);
  });

  it('refuses bad input naming the fields, and other roles', async () => {
    const market = await h.token('used-car-market', 'mkt-1');
    const bad = await request(h.service.app)
      .post('/used-car-transactions')
      .set('Authorization', `Bearer ${market}`)
      .send({ transactionId: 'x', vin: 'nope', priceFen: -1 });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    const fields = (bad.body.errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['vin', 'priceFen', 'districtCode', 'invoiceNo']));
    const asMarket = await request(h.service.app).get('/progress').set('Authorization', `Bearer ${market}`);
    expect(asMarket.status).toBe(403);
    const anonymous = await request(h.service.app).get('/progress');
    expect(anonymous.status).toBe(401);
    const badQuery = await h.get('/rollups?metric=vehicles&from=2025-13&to=2025-01');
    expect(badQuery.status).toBe(400);
    expect((badQuery.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain('query.from');
  });

  it('changes nothing on duplicates, republished events and a replay of every topic', async () => {
    // The same events again at new offsets (an outbox relay that resent), and a stale restatement
    // under a new event id (an intake revision already applied).
    await h.republish(sent);
    await h.publish('recycling.intake.recorded.v1', intake);
    // A marker event proves the partitions were read past the duplicates.
    await h.publish('recycling.pickup.requested.v1', {
      ...f['recycling.pickup.requested.v1'],
      pickupId: 'pk-marker-1',
      districtCode: 't16',
    });
    await h.waitForCell('pickups', '2025-02', 'district', 't16', 'requested', 1);
    await waitForGroupAtEnd(h, 1);
    await expectFirstFigures();

    // Replay: the consumer group reads every topic again from the beginning.
    await h.service.ctx.rollups.stop();
    const admin = testKafka('stat-replay').admin();
    await admin.connect();
    for (const topic of COUNTED_TOPICS) {
      await admin.resetOffsets({
        groupId: h.service.ctx.rollups.groupId(1),
        topic: physicalTopic(h.prefix, topic),
        earliest: true,
      });
    }
    await admin.disconnect();
    await h.restart();
    await waitForGroupAtEnd(h, 1);
    await expectFirstFigures();
    expect(await h.cell('pickups', '2025-02', 'district', 't16', 'requested')).toBe(1);
  });

  it('adjusts the figures on a correction, a void and a red-letter reversal', async () => {
    await h.publish('recycling.intake.corrected.v1', corrected);
    await h.publish('recycling.invoice.reversed.v1', f['recycling.invoice.reversed.v1']);
    await h.publish('recycling.vehicle.intake-voided.v1', {
      ...f['recycling.vehicle.intake-voided.v1'],
      vehicleIntakeId: vehicle.vehicleIntakeId,
      vin: vehicle.vin,
    });
    await h.waitForCell('appliances', '2025-03', 'all', 'all', 'grams', corrected.after.totalWeightGrams);
    expect(await h.cell('appliances', '2025-03', 'all', 'all', 'fen')).toBe(corrected.after.totalFen);
    expect(await h.cell('appliances', '2025-03', 'category', 'washing-machine', 'grams')).toBe(28_400);
    expect(await h.cell('appliances', '2025-03', 'all', 'all', 'units')).toBe(2);
    await h.waitForCell('invoices', '2025-03', 'all', 'all', 'reversed', 1);
    expect(await h.cell('invoices', '2025-03', 'all', 'all', 'amountFen')).toBe(0);
    await h.waitForCell('vehicles', '2025-02', 'all', 'all', 'count', 0);
    expect(await h.cell('vehicle-certificates', '2025-02', 'all', 'all', 'count')).toBe(0);
    expect(await h.cell('vehicles', '2025-02', 'district', 't10', 'count')).toBe(0);
  });

  it('rebuilds from the topics to the same figures, and reconciliation shows any difference', async () => {
    const token = await h.token();
    const rebuild = (body?: object, key?: string) => {
      const r = request(h.service.app).post('/rebuilds').set('Authorization', `Bearer ${token}`);
      if (key) r.set('Idempotency-Key', key);
      return body === undefined ? r : r.send(body);
    };
    const bad = await rebuild({ reason: 42, force: true });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((bad.body.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual([
      'force',
      'reason',
    ]);
    const started = await rebuild({ reason: 'check after the correction' });
    expect(started.status).toBe(202);
    const gen = started.body.generation as number;
    expect(gen).toBe(2);
    expect(started.headers.location).toBe('/rebuilds/2');
    expect(started.body).toMatchObject({ status: 'building', reason: 'check after the correction' });
    // Asked again while it runs (no body, or another reason): the running one, none started.
    const running = await rebuild();
    expect(running.status).toBe(200);
    expect(running.body).toMatchObject({ generation: 2, status: 'building' });
    const keyed = await rebuild({}, 'rebuild-k1');
    expect(keyed.status).toBe(200);
    expect(keyed.body.generation).toBe(2);
    // The same key with another body is a client's mistake.
    expect((await rebuild({ reason: 'other' }, 'rebuild-k1')).status).toBe(422);
    await waitFor(async () => (await h.get(`/rebuilds/${gen}`)).body.caughtUp === true, {
      timeoutMs: 90_000,
      intervalMs: 500,
      what: 'the rebuild to catch up',
    });
    await waitForGroupAtEnd(h, 1);
    const report = await h.get(`/reconciliation?generation=${gen}`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      active: 1,
      rebuild: gen,
      comparable: true,
      matches: true,
      differenceCount: 0,
    });
    // Every non-zero cell of every metric the events touched (totals and each dimension) was compared;
    // the voided vehicle and the reversed invoice left zeros, which are not stored.
    expect(report.body.cellsCompared).toBeGreaterThan(25);

    // A counter that drifted (here: changed behind the service's back) is reported.
    const counters = h.service.connection.collection<{ _id: string; c: PackedCells }>(
      seriesCollectionName(1, 'used-cars', '2025'),
    );
    const [drifting] = await counters.find({ dim: 'all', 'c.all.count': { $exists: true } }).toArray();
    const months = unpackMonths(drifting!.c.all!.count);
    months[2]! += 1; // March
    await counters.updateOne({ _id: drifting!._id }, { $set: { 'c.all.count': packMonths(months) } });
    const drift = await h.get(`/reconciliation?generation=${gen}`);
    expect(drift.body.matches).toBe(false);
    expect(drift.body.differences).toEqual([
      {
        metric: 'used-cars',
        month: '2025-03',
        dim: 'all',
        value: 'all',
        field: 'count',
        expected: 1,
        actual: 2,
      },
    ]);

    // The owners' own counts are compared the same way.
    const owner = await request(h.service.app)
      .post('/reconciliation/owner-counts')
      .set('Authorization', `Bearer ${token}`)
      .send({
        owner: 'sorting',
        counts: [
          { metric: 'appliances', month: '2025-03', field: 'units', count: 2 },
          {
            metric: 'appliances',
            month: '2025-03',
            dim: 'category',
            value: 'refrigerator',
            field: 'units',
            count: 2,
          },
        ],
      });
    expect(owner.status).toBe(200);
    expect(owner.body.differences).toEqual([
      {
        metric: 'appliances',
        month: '2025-03',
        dim: 'category',
        value: 'refrigerator',
        field: 'units',
        expected: 2,
        actual: 1,
      },
    ]);

    // Promoting the rebuild makes reads come from it: the drift is gone.
    const promoted = await request(h.service.app)
      .post(`/rebuilds/${gen}/promote`)
      .set('Authorization', `Bearer ${token}`);
    expect(promoted.status).toBe(200);
    expect(promoted.body.active).toBe(gen);
    expect(await h.cell('used-cars', '2025-03', 'all', 'all', 'count')).toBe(1);
    // A retry under the first key gets the first answer again, and starts nothing.
    const replayed = await rebuild({}, 'rebuild-k1');
    expect(replayed.status).toBe(200);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body.generation).toBe(2);
    expect((await h.get('/rebuilds/3')).status).toBe(404);
  });

  it('exports rollups as CSV and serves its OpenAPI document', async () => {
    const csv = await h.get('/exports/rollups.csv?metric=appliances&dim=category&from=2025-01&to=2025-12');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      '月份 month,指标 metric,维度 dimension,取值 value,fen,grams,units,范围 scope,导出时间 exported at',
    );
    // The export time as read in the city, with its offset.
    expect(lines.find((l) => l.startsWith('2025-03,appliances,category,washing-machine,'))).toMatch(
      /^2025-03,appliances,category,washing-machine,7000,28400,1,city,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/,
    );
    const openapi = await h.get('/openapi.json');
    expect(openapi.status).toBe(200);
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(['/openapi.json', '/progress/{metric}']),
    );
  });
});

/** Waits until the generation's consumer group has committed the end of every counted partition. */
async function waitForGroupAtEnd(harness: Harness, gen: number) {
  await waitFor(
    async () => {
      const [end, at] = await Promise.all([
        harness.service.ctx.rollups.endOffsets(),
        harness.service.ctx.rollups.position(gen),
      ]);
      return Object.entries(end).every(
        ([part, high]) => Number(at[part] ?? '-1') >= Number(high) || high === '0',
      );
    },
    { timeoutMs: 60_000, intervalMs: 250, what: `generation ${gen} to reach the end of every partition` },
  );
}
