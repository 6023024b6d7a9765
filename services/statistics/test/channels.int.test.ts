// The two channels of plan section 5 on the real broker and store, the service in-process: public
// institutions' disposals and remanufacturing published as their services publish them, counted in
// the `disposals` and `remanufacturing` rollups and read through GET /rollups and GET /channels; a
// redelivered or republished event changes nothing; an event that breaks its schema is
// dead-lettered and the next one is counted; a station's intake tagged public-institution stays in
// the appliances, the disposal's assets never go there (no asset counted twice in one metric).
import { fixtures } from '@recycling/contracts/fixtures';
import { readDeadLetters, type PendingEvent } from '@recycling/messaging';
import { testKafka, waitFor } from '@recycling/testkit';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startHarness, type Harness } from './harness';

jest.setTimeout(180_000);

let h: Harness;
const f = fixtures;
const registered = f['recycling.disposal.batch-registered.v1'];
const received = f['recycling.disposal.batch-received.v1'];
const handedOver = f['recycling.disposal.assets-handed-over.v1'];
const core = f['recycling.remanufacturing.core-received.v1'];
const started = f['recycling.remanufacturing.product-started.v1'];
const released = f['recycling.remanufacturing.product-released.v1'];
const published: PendingEvent[] = [];

const publish = async (type: string, data: unknown) => {
  published.push(await h.publish(type, data));
};

beforeAll(async () => {
  h = await startHarness('channels');
  // The education bureau's batch (April 2025, 金银川路街道): a classified computer, a copier and a
  // desk registered; the computer and the copier received (the desk never came); the computer
  // handed to the licensed destruction centre.
  await publish('recycling.disposal.batch-registered.v1', registered);
  await publish('recycling.disposal.batch-received.v1', received);
  await publish('recycling.disposal.assets-handed-over.v1', handedOver);
  // Another institution's batch, withdrawn before receipt: its registration is taken back.
  await publish('recycling.disposal.batch-registered.v1', {
    ...registered,
    batchId: 'dp-withdrawn',
    assets: [registered.assets[2]!],
    totalOriginalValueFen: registered.assets[2]!.originalValueFen,
  });
  await publish('recycling.disposal.batch-cancelled.v1', {
    ...f['recycling.disposal.batch-cancelled.v1'],
    batchId: 'dp-withdrawn',
  });
  // An engine core (March) becomes a released engine (started in March, released in April); a
  // second core, an inverter from a station's intake, rejected at its intake check.
  await publish('recycling.remanufacturing.core-received.v1', core);
  await publish('recycling.remanufacturing.core-received.v1', {
    ...core,
    coreId: 'core-inverter-1',
    productLine: 'pv-inverter',
    source: { kind: 'intake', intakeId: 'in-1', lineId: 'l1', stationId: 'st-1', category: 'pv-inverter' },
    intakeCheck: { passed: false, note: '主板烧毁' },
  });
  await publish('recycling.remanufacturing.product-started.v1', started);
  await publish('recycling.remanufacturing.product-released.v1', released);
  // A station's own intake from a public institution (sold to the station, outside a disposal
  // batch): a computer, counted in the appliances with source public-institution.
  const intake = f['recycling.intake.recorded.v1'];
  await publish('recycling.intake.recorded.v1', {
    ...intake,
    intakeId: 'in-public-1',
    districtCode: 's-jinyinchuanlu',
    source: { kind: 'public-institution' },
    seller: { kind: 'organisation', organisationName: '第一师阿拉尔市教育局' },
    contents: {
      lines: [
        {
          lineId: 'l1',
          category: 'microcomputer',
          units: 1,
          weightGrams: 9_800,
          weightEstimated: false,
          condition: 'for-dismantling',
          priceFen: 5_000,
        },
      ],
      totalFen: 5_000,
      totalWeightGrams: 9_800,
    },
    occurredAt: '2025-04-20T04:00:00Z',
  });
  await h.waitForCell('remanufacturing', '2025-04', 'line', 'engine', 'released', 1);
  await h.waitForCell('appliances', '2025-04', 'source', 'public-institution', 'units', 1);
}, 180_000);

afterAll(async () => {
  await h?.stop();
});

const DISPOSALS_APRIL = {
  registered: 3,
  originalValueFen: 2_768_000,
  batches: 1,
  received: 2,
  receivedGrams: 68_300,
  handedOver: 1,
  handedOverGrams: 9_800,
};

async function expectCounts(): Promise<void> {
  const rollups = await h.get('/rollups?metric=disposals&dim=all&from=2025-01&to=2025-05');
  expect(rollups.status).toBe(200);
  expect(rollups.body.rows).toEqual([{ month: '2025-04', value: 'all', fields: DISPOSALS_APRIL }]);
  const kinds = await h.get('/rollups?metric=disposals&dim=kind&from=2025-04&to=2025-04');
  expect(kinds.body.rows).toEqual(
    expect.arrayContaining([
      {
        month: '2025-04',
        value: 'appliances',
        fields: {
          registered: 2,
          originalValueFen: 2_648_000,
          received: 2,
          receivedGrams: 68_300,
          handedOver: 1,
          handedOverGrams: 9_800,
        },
      },
      // The desk: registered, never received; the withdrawn batch's desk taken back.
      { month: '2025-04', value: 'equipment', fields: { registered: 1, originalValueFen: 120_000 } },
    ]),
  );
  const lines = await h.get('/rollups?metric=remanufacturing&dim=line&from=2025-03&to=2025-04');
  expect(lines.body.rows).toEqual(
    expect.arrayContaining([
      { month: '2025-03', value: 'engine', fields: { cores: 1, started: 1 } },
      { month: '2025-03', value: 'pv-inverter', fields: { cores: 1, coresRejected: 1 } },
      { month: '2025-04', value: 'engine', fields: { released: 1 } },
    ]),
  );
  expect(lines.body.rows).toHaveLength(3);
  // The station's intake from an institution stays in the appliances; no disposal asset went there.
  const appliances = await h.get('/rollups?metric=appliances&dim=source&from=2025-04&to=2025-04');
  expect(appliances.body.rows).toEqual([
    { month: '2025-04', value: 'public-institution', fields: { units: 1, grams: 9_800, fen: 5_000 } },
  ]);
}

describe('the public-institution and remanufacturing channels', () => {
  it('counts what was published, by kind, district and product line, through the API', async () => {
    await expectCounts();
    const summary = await h.get('/channels?from=2025-01&to=2025-12');
    expect(summary.status).toBe(200);
    expect(summary.body.publicInstitutions).toEqual({
      runsDisposals: true,
      total: DISPOSALS_APRIL,
      byKind: {
        appliances: {
          registered: 2,
          originalValueFen: 2_648_000,
          batches: 0,
          received: 2,
          receivedGrams: 68_300,
          handedOver: 1,
          handedOverGrams: 9_800,
        },
        equipment: {
          registered: 1,
          originalValueFen: 120_000,
          batches: 0,
          received: 0,
          receivedGrams: 0,
          handedOver: 0,
          handedOverGrams: 0,
        },
      },
    });
    const reman = summary.body.remanufacturing;
    expect(reman.total).toEqual({ cores: 2, coresRejected: 1, started: 1, released: 1 });
    expect(reman.lines.find((l: { code: string }) => l.code === 'engine')).toEqual({
      code: 'engine',
      name: { zh: '再制造发动机', en: 'Remanufactured engine' },
      cores: 1,
      coresRejected: 0,
      started: 1,
      released: 1,
    });
    // Every line of the profile is listed, counted or not.
    expect(reman.lines.map((l: { code: string }) => l.code)).toEqual(
      expect.arrayContaining(['engine', 'transmission', 'steering-gear', 'rapier-loom', 'pv-inverter']),
    );
    // One district: its disposals totals only.
    const district = await h.get('/channels?from=2025-01&to=2025-12&district=s-jinyinchuanlu');
    expect(district.body).toMatchObject({
      district: 's-jinyinchuanlu',
      publicInstitutions: { total: DISPOSALS_APRIL },
    });
    expect(district.body.remanufacturing).toBeUndefined();
    expect(district.body.publicInstitutions.byKind).toBeUndefined();
    const rollups = await h.get(
      '/rollups?metric=disposals&dim=district&from=2025-04&to=2025-04&district=s-jinyinchuanlu',
    );
    expect(rollups.body.rows).toEqual([
      { month: '2025-04', value: 's-jinyinchuanlu', fields: DISPOSALS_APRIL },
    ]);
  });

  it('changes nothing for events delivered again, or published again under new ids', async () => {
    // The same events (same ids) again, and the same facts under new event ids (a producer's retry).
    await h.republish(published);
    for (const e of published) await h.publish(e.type, e.data);
    // A marker after them: once it is counted, everything before it on its partition was read.
    await h.publish('recycling.remanufacturing.core-received.v1', {
      ...core,
      coreId: 'core-marker',
      occurredAt: '2025-06-01T02:00:00Z',
    });
    await h.waitForCell('remanufacturing', '2025-06', 'all', 'all', 'cores', 1);
    await h.publish('recycling.disposal.batch-registered.v1', {
      ...registered,
      batchId: 'dp-marker',
      occurredAt: '2025-06-01T02:00:00Z',
    });
    await h.waitForCell('disposals', '2025-06', 'all', 'all', 'registered', 3);
    await expectCounts();
  });

  it('dead-letters a disposal event that breaks its schema and counts the next one', async () => {
    const kafka = testKafka('stat-channels-dlq');
    const id = randomUUID();
    await h.publisher.publish([
      {
        id,
        topic: 'recycling.disposals.v1',
        key: 'dp-broken',
        type: 'recycling.disposal.batch-received.v1',
        source: 'urn:recycling:659002:disposals',
        time: new Date().toISOString(),
        // The total weight is not the sum of the assets' weights.
        data: { ...received, batchId: 'dp-broken', totalWeightGrams: 1 },
      },
    ]);
    const dead = await waitFor(
      async () => {
        const found = await readDeadLetters(kafka, 'recycling.disposals.v1', h.prefix).catch(() => []);
        return found.find((d) => d.eventId === id);
      },
      { what: 'the broken event dead-lettered', timeoutMs: 60_000 },
    );
    expect(dead.errorKind).toBe('invalid-data');
    expect(dead.reason).toContain('totalWeightGrams');
    await h.publish('recycling.disposal.batch-received.v1', {
      ...received,
      batchId: 'dp-after',
      occurredAt: '2025-07-01T02:00:00Z',
    });
    await h.waitForCell('disposals', '2025-07', 'kind', 'appliances', 'received', 2);
  });

  it('refuses a bad range or an unknown district naming the field, and other roles', async () => {
    const long = await h.get('/channels?from=2020-01&to=2025-12');
    expect(long.status).toBe(400);
    expect(long.body.errors.map((e: { field: string }) => e.field)).toEqual(['query.to']);
    const district = await h.get('/channels?from=2025-01&to=2025-12&district=nowhere');
    expect(district.status).toBe(400);
    expect(district.body.errors.map((e: { field: string }) => e.field)).toEqual(['query.district']);
    const remanByDistrict = await h.get(
      '/rollups?metric=remanufacturing&from=2025-01&to=2025-12&district=t05',
    );
    expect(remanByDistrict.status).toBe(400);
    const official = await request(h.service.app)
      .get('/channels?from=2025-01&to=2025-12')
      .set('Authorization', `Bearer ${await h.token('city-official')}`);
    expect(official.status).toBe(200);
    const station = await request(h.service.app)
      .get('/channels?from=2025-01&to=2025-12')
      .set('Authorization', `Bearer ${await h.token('station-operator', 'st-1')}`);
    expect(station.status).toBe(403);
  });
});
