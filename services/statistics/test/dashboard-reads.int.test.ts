// What the city dashboard reads, on the real broker and store: production equipment taken in at a
// station kept out of the household appliances (the catalogue's flag), rollups of one district,
// the trade-in subsidies per programme, the owners' counts bounded to 24 months, and a rebuild that
// was started and not promoted discarded.
import { fixtures } from '@recycling/contracts/fixtures';
import { waitFor } from '@recycling/testkit';
import request from 'supertest';
import { startHarness, type Harness } from './harness';

jest.setTimeout(180_000);

let h: Harness;
const f = fixtures;
const intake = f['recycling.intake.recorded.v1'];

const fieldsOf = (res: { body: { errors?: Array<{ field: string }> } }) =>
  (res.body.errors ?? []).map((e) => e.field);

beforeAll(async () => {
  h = await startHarness('dashboard');
  // May 2025 in 沙河镇 (t05): two fridges, with a PV inverter and three textile machines taken in
  // as remanufacturing cores at the same desk.
  await h.publish('recycling.intake.recorded.v1', {
    ...intake,
    intakeId: 'in-20250510-0001',
    districtCode: 't05',
    source: { kind: 'walk-in' },
    contents: {
      lines: [
        { ...intake.contents.lines[0]!, lineId: 'l1', units: 2, weightGrams: 104_000, priceFen: 24_000 },
        {
          lineId: 'l2',
          category: 'pv-inverter',
          units: 1,
          weightGrams: 21_000,
          weightEstimated: false,
          condition: 'reusable',
          priceFen: 30_000,
        },
        {
          lineId: 'l3',
          category: 'textile-machinery',
          units: 3,
          weightGrams: 900_000,
          weightEstimated: false,
          condition: 'for-dismantling',
          priceFen: 150_000,
        },
      ],
      totalFen: 204_000,
      totalWeightGrams: 1_025_000,
    },
    occurredAt: '2025-05-10T04:00:00Z',
  });
  // A pickup requested in 幸福路街道 and one in 沙河镇, in June.
  for (const [pickupId, districtCode] of [
    ['pk-dash-1', 's-xingfulu'],
    ['pk-dash-2', 't05'],
    ['pk-dash-3', 't05'],
  ] as const) {
    await h.publish('recycling.pickup.requested.v1', {
      ...f['recycling.pickup.requested.v1'],
      pickupId,
      districtCode,
      occurredAt: '2025-06-02T04:00:00Z',
    });
  }
  // The car scrap-and-buy claim of the fixtures (t10): submitted, approved and paid in March 2025;
  // an appliance trade-in at a counter.
  for (const type of [
    'recycling.subsidy.claim-submitted.v1',
    'recycling.subsidy.claim-approved.v1',
    'recycling.subsidy.claim-paid.v1',
    'recycling.subsidy.counter-sale-recorded.v1',
  ] as const) {
    await h.publish(type, f[type]);
  }
  await h.waitForCell('pickups', '2025-06', 'district', 't05', 'requested', 2);
  await h.waitForCell('equipment', '2025-05', 'all', 'all', 'units', 4);
  await h.waitForCell('subsidies', '2025-03', 'programme', 'car-scrap', 'paid', 1);
});

afterAll(async () => {
  await h?.stop();
});

describe('production equipment is not a household appliance', () => {
  it('counts textile machinery and PV inverters apart, never against the appliances target', async () => {
    // The catalogue marks them householdAppliance: false.
    expect(await h.cell('appliances', '2025-05', 'all', 'all', 'units')).toBe(2);
    expect(await h.cell('appliances', '2025-05', 'district', 't05', 'units')).toBe(2);
    expect(await h.cell('appliances', '2025-05', 'category', 'pv-inverter', 'units')).toBe(0);
    expect(await h.cell('appliances', '2025-05', 'all', 'all', 'fen')).toBe(24_000);
    expect(await h.cell('equipment', '2025-05', 'category', 'pv-inverter', 'units')).toBe(1);
    expect(await h.cell('equipment', '2025-05', 'category', 'textile-machinery', 'units')).toBe(3);
    expect(await h.cell('equipment', '2025-05', 'all', 'all', 'grams')).toBe(921_000);

    const progress = await h.get('/progress/appliances-recovered?asOf=2025-05');
    expect(progress.status).toBe(200);
    expect(progress.body.yearToDate).toBe(2);
    expect((progress.body.byCategory as Array<{ value: string }>).map((c) => c.value)).toEqual([
      'refrigerator',
    ]);
    const district = await h.get('/progress/appliances-recovered?asOf=2025-05&district=t05');
    expect(district.body.yearToDate).toBe(2);
  });
});

describe('rollups of one district', () => {
  it('keeps the district’s cells of a metric counted by district', async () => {
    const res = await h.get('/rollups?metric=pickups&from=2025-01&to=2025-12&district=t05');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ metric: 'pickups', dim: 'district', district: 't05' });
    expect(res.body.rows).toEqual([{ month: '2025-06', value: 't05', fields: { requested: 2 } }]);
    const city = await h.get('/rollups?metric=pickups&from=2025-06&to=2025-06');
    expect(city.body.rows).toEqual([{ month: '2025-06', value: 'all', fields: { requested: 3 } }]);

    const csv = await h.get('/exports/rollups.csv?metric=pickups&from=2025-01&to=2025-12&district=t05');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toContain('rollups-pickups-district-t05-2025-01-2025-12.csv');
    const lines = csv.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      '月份 month,指标 metric,维度 dimension,取值 value,requested,范围 scope,导出时间 exported at',
    );
    expect(lines[1]).toMatch(
      /^2025-06,pickups,district,t05,2,t05,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/,
    );
  });

  it('refuses a district of a metric not counted by district, with another dimension, or not of the city', async () => {
    const invoices = await h.get('/rollups?metric=invoices&from=2025-01&to=2025-12&district=t05');
    expect(invoices.status).toBe(400);
    expect(fieldsOf(invoices)).toEqual(['query.district']);
    const crossed = await h.get('/rollups?metric=pickups&dim=kind&from=2025-01&to=2025-12&district=t05');
    expect(crossed.status).toBe(400);
    expect(fieldsOf(crossed)).toEqual(['query.dim']);
    const unknown = await h.get('/rollups?metric=pickups&from=2025-01&to=2025-12&district=t99');
    expect(unknown.status).toBe(400);
    expect(fieldsOf(unknown)).toEqual(['query.district']);
    const ancient = await h.get('/rollups?metric=pickups&from=1999-01&to=2000-12');
    expect(ancient.status).toBe(400);
    expect(fieldsOf(ancient)).toEqual(['query.from']);
  });
});

describe('trade-in subsidies per programme', () => {
  it('names each programme of the city profile with its claims, approvals and money paid', async () => {
    const res = await h.get('/subsidies?from=2025-01&to=2025-12');
    expect(res.status).toBe(200);
    expect(res.body.runsSubsidies).toBe(true);
    expect(res.body.total).toMatchObject({ claims: 2, counterSales: 1, approved: 1, paid: 1 });
    const car = (res.body.programmes as Array<Record<string, unknown>>).find((p) => p.code === 'car-scrap');
    expect(car).toMatchObject({
      kind: 'car-scrap',
      name: { zh: '汽车报废更新', en: 'Car scrap-and-buy' },
      claims: 1,
      approved: 1,
      approvedFen: 2_000_000,
      paid: 1,
      paidFen: 2_000_000,
    });
    const appliances = (res.body.programmes as Array<Record<string, unknown>>).find(
      (p) => p.code === 'appliance-trade-in',
    );
    expect(appliances).toMatchObject({ claims: 1, counterSales: 1, paid: 0 });
    // Every programme of the profile is listed, with or without claims.
    expect((res.body.programmes as unknown[]).length).toBe(5);

    const district = await h.get('/subsidies?from=2025-01&to=2025-12&district=t10');
    expect(district.status).toBe(200);
    expect(district.body).toMatchObject({
      district: 't10',
      total: { claims: 1, paid: 1, paidFen: 2_000_000 },
    });
    expect(district.body.programmes).toBeUndefined();

    const long = await h.get('/subsidies?from=2020-01&to=2025-12');
    expect(long.status).toBe(400);
    expect(fieldsOf(long)).toEqual(['query.to']);
    const asMarket = await request(h.service.app)
      .get('/subsidies?from=2025-01&to=2025-12')
      .set('Authorization', `Bearer ${await h.token('used-car-market', 'mkt-1')}`);
    expect(asMarket.status).toBe(403);
    const asOfficial = await request(h.service.app)
      .get('/subsidies?from=2025-01&to=2025-12')
      .set('Authorization', `Bearer ${await h.token('city-official')}`);
    expect(asOfficial.status).toBe(200);
  });
});

describe('the reconciliation of owners’ counts', () => {
  const post = async (counts: unknown[]) =>
    request(h.service.app)
      .post('/reconciliation/owner-counts')
      .set('Authorization', `Bearer ${await h.token()}`)
      .send({ owner: 'sorting', counts });

  it('takes at most 24 months, naming the count beyond', async () => {
    const within = await post([
      { metric: 'appliances', month: '2024-06', field: 'units', count: 0 },
      { metric: 'appliances', month: '2025-05', field: 'units', count: 2 },
      {
        metric: 'equipment',
        month: '2025-05',
        dim: 'category',
        value: 'pv-inverter',
        field: 'units',
        count: 1,
      },
      { metric: 'appliances', month: '2026-05', field: 'units', count: 0 },
    ]);
    expect(within.status).toBe(200);
    expect(within.body.matches).toBe(true);

    const beyond = await post([
      { metric: 'appliances', month: '2024-06', field: 'units', count: 0 },
      { metric: 'appliances', month: '2025-05', field: 'units', count: 2 },
      { metric: 'appliances', month: '2026-06', field: 'units', count: 0 },
      { metric: 'appliances', month: '9999-12', field: 'units', count: 0 },
    ]);
    expect(beyond.status).toBe(400);
    expect(fieldsOf(beyond)).toEqual(['counts.2.month', 'counts.3.month']);
    expect(JSON.stringify(beyond.body.errors)).toContain('at most 24 months');

    const tooManyDimensions = await post(
      Array.from({ length: 51 }, (_, i) => ({
        metric: 'appliances',
        month: '2025-05',
        dim: `d${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
        field: 'units',
        count: 0,
      })),
    );
    expect(tooManyDimensions.status).toBe(400);
    expect(fieldsOf(tooManyDimensions)).toEqual(['counts.50.dim']);
  });
});

describe('discarding a rebuild', () => {
  it('discards a rebuild that was started and not promoted, as the rebuild is authorised', async () => {
    const admin = await h.token();
    const post = (path: string, token = admin, body: object = {}) =>
      request(h.service.app).post(path).set('Authorization', `Bearer ${token}`).send(body);

    const started = await post('/rebuilds', admin, { reason: 'try the new rules' });
    expect(started.status).toBe(202);
    const gen = started.body.generation as number;
    expect(gen).toBe(2);

    // Only an administrator, as for the rebuild; a body with another field is a 400 naming it.
    expect((await post(`/rebuilds/${gen}/discard`, await h.token('city-official'))).status).toBe(403);
    const bad = await post(`/rebuilds/${gen}/discard`, admin, { force: true });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['force']);

    const discarded = await post(`/rebuilds/${gen}/discard`, admin, { reason: 'started by mistake' });
    expect(discarded.status).toBe(200);
    expect(discarded.body).toMatchObject({ generation: gen, status: 'discarded' });
    // Asking again answers it as it is.
    const again = await post(`/rebuilds/${gen}/discard`);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('discarded');
    expect((await h.get(`/rebuilds/${gen}`)).body.status).toBe('discarded');
    // Its consumer is stopped here at once.
    expect(h.service.ctx.rollups.consuming()).not.toContain(gen);

    // The active generation cannot be discarded; nor can a generation that does not exist.
    const active = await post('/rebuilds/1/discard');
    expect(active.status).toBe(409);
    expect(active.body.code).toBe('generation-active');
    expect((await post('/rebuilds/99/discard')).status).toBe(404);

    // A discarded rebuild no longer holds the place of the one rebuild at a time.
    const next = await post('/rebuilds', admin, {});
    expect(next.status).toBe(202);
    expect(next.body.generation).toBe(gen + 1);
    // Promoted, the next one retires generation 1, which can then not be discarded either.
    await waitFor(async () => (await h.get(`/rebuilds/${gen + 1}`)).body.caughtUp === true, {
      timeoutMs: 90_000,
      intervalMs: 500,
      what: 'the second rebuild to catch up',
    });
    expect((await post(`/rebuilds/${gen + 1}/promote`)).status).toBe(200);
    const retired = await post('/rebuilds/1/discard');
    expect(retired.status).toBe(409);
    expect(retired.body.code).toBe('not-a-rebuild');
    // The figures read from the promoted generation are those counted before.
    expect(await h.cell('equipment', '2025-05', 'all', 'all', 'units')).toBe(4);
  });
});
