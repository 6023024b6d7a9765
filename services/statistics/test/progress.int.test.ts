import { fixtures } from '@recycling/contracts/fixtures';
import request from 'supertest';
import { startHarness, type Harness } from './harness';

jest.setTimeout(180_000);

let h: Harness;
const base = fixtures['recycling.vehicle.received.v1'];

// A seeded history of scrapped vehicles (passenger cars unless said otherwise):
//   2023: Jan 2 (t01); Feb 2 (t02, one received 2023-01-31T17:00Z = 1 Feb 01:00 in Alar); Jul 6 (t01) -> 10
//   2024: Mar 5, Sep 5 (t01)                                                                            -> 10
//   2025: Jan 4 (t01); Feb 2 trucks (t02)                                                               -> 6 so far
const history: Array<[at: string, count: number, district: string, vehicleType: 'passenger-car' | 'truck']> =
  [
    ['2023-01-10T04:00:00Z', 2, 't01', 'passenger-car'],
    ['2023-02-10T04:00:00Z', 1, 't02', 'passenger-car'],
    ['2023-01-31T17:00:00Z', 1, 't02', 'passenger-car'],
    ['2023-07-10T04:00:00Z', 6, 't01', 'passenger-car'],
    ['2024-03-10T04:00:00Z', 5, 't01', 'passenger-car'],
    ['2024-09-10T04:00:00Z', 5, 't01', 'passenger-car'],
    ['2025-01-10T04:00:00Z', 4, 't01', 'passenger-car'],
    ['2025-02-10T04:00:00Z', 2, 't02', 'truck'],
  ];

beforeAll(async () => {
  h = await startHarness('progress');
  let n = 0;
  for (const [at, count, districtCode, vehicleType] of history) {
    for (let i = 0; i < count; i++) {
      n += 1;
      await h.publish('recycling.vehicle.received.v1', {
        ...base,
        vehicleIntakeId: `vi-seed-${n}`,
        districtCode,
        vehicleType,
        occurredAt: at,
      });
    }
  }
  await h.waitForCell('vehicles', '2025-02', 'all', 'all', 'count', 2);
  await h.waitForCell('vehicles', '2024-09', 'all', 'all', 'count', 5);
  await h.waitForCell('vehicles', '2023-07', 'all', 'all', 'count', 6);
  await h.waitForCell('vehicles', '2023-02', 'all', 'all', 'count', 2);
  await h.waitForCell('vehicles', '2023-01', 'all', 'all', 'count', 2);
});

afterAll(async () => {
  await h?.stop();
});

describe('target progress for a seeded history', () => {
  it('starts from the city profile and accepts an administrator\u2019s baseline', async () => {
    const targets = await h.get('/targets');
    expect(targets.status).toBe(200);
    expect(targets.body.targets).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          metric: 'scrapped-vehicles',
          baseline: 800,
          growthBp: 4000,
          baselineYear: 2023,
          targetYear: 2027,
        }),
        expect.objectContaining({ metric: 'used-car-transactions', baseline: 4000, growthBp: 3000 }),
        expect.objectContaining({ metric: 'appliances-recovered', baseline: 10000, growthBp: 3000 }),
      ]),
    );
    const bad = await request(h.service.app)
      .put('/targets/scrapped-vehicles')
      .set('Authorization', `Bearer ${await h.token()}`)
      .send({ baseline: -1, baselineAssumed: false, baselineYear: 2023, targetYear: 2020, growthBp: 4000 });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as Array<{ field: string }>).map((e) => e.field)).toEqual(
      expect.arrayContaining(['baseline']),
    );
    const put = await request(h.service.app)
      .put('/targets/scrapped-vehicles')
      .set('Authorization', `Bearer ${await h.token()}`)
      .send({ baseline: 10, baselineAssumed: false, baselineYear: 2023, targetYear: 2027, growthBp: 4000 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      metric: 'scrapped-vehicles',
      baseline: 10,
      updatedBy: 'administrator-1',
    });
  });

  it('matches the figures computed by hand', async () => {
    const res = await h.get('/progress/scrapped-vehicles?asOf=2025-02');
    expect(res.status).toBe(200);
    const p = res.body;
    expect(p.yearToDate).toBe(6); // 4 + 2
    expect(p.baselineSamePeriod).toBe(4); // Jan-Feb 2023: 2 + 2 (the 1 Feb 01:00 one in February)
    expect(p.baselineSamePeriodSource).toBe('counted-baseline-year');
    expect(p.growthVsBaseline).toBeCloseTo(0.5, 6); // 6 / 4 - 1
    expect(p.target.targetValue).toBe(14); // 10 x 1.4
    expect(p.target.requiredAnnualGrowth).toBeCloseTo(0.087757, 5); // 1.4^(1/4) - 1
    expect(p.requiredForYear).toBeCloseTo(11.83, 2); // 10 x 1.4^(2/4) = 11.8322
    expect(p.requiredYearToDate).toBeCloseTo(4.73, 2); // 11.8322 x 4/10
    expect(p.aheadOfTrajectory).toBe(true);
    expect(p.last12Months).toBe(16); // Mar 2024 - Feb 2025: 5 + 5 + 4 + 2
    expect(p.previous12Months).toBe(6); // Mar 2023 - Feb 2024: July 2023
    expect(p.trendGrowth).toBeCloseTo(1.666667, 5); // 16 / 6 - 1
    // 34 months to the end of 2027: 16 x (16/6)^(34/12) = 16 x 16.1028 = 257.65
    expect(p.projectedTargetYear).toBeCloseTo(257.65, 2);
    expect(p.projectedCurrentYear).toBeCloseTo(15, 6); // 6 / 0.4
    expect(p.onTrack).toBe(true);

    expect(p.byMonth).toEqual([
      // required: 11.8322 x 2/10 = 2.37 for each of January and February
      { month: '2025-01', actual: 4, baselineYearSameMonth: 2, required: 2.37 },
      { month: '2025-02', actual: 2, baselineYearSameMonth: 2, required: 2.37 },
    ]);
    // The city needs 4.7329 / 4 - 1 = +18.3 % by February.
    expect(p.byDistrict).toEqual([
      { value: 't01', yearToDate: 4, baselineSamePeriod: 2, growthVsBaseline: 1, lagging: false },
      { value: 't02', yearToDate: 2, baselineSamePeriod: 2, growthVsBaseline: 0, lagging: true },
    ]);
    expect(p.byCategory).toEqual([
      { value: 'passenger-car', yearToDate: 4, baselineSamePeriod: 4, growthVsBaseline: 0, lagging: true },
      { value: 'truck', yearToDate: 2, baselineSamePeriod: 0, growthVsBaseline: null, lagging: null },
    ]);
  });

  it('lists every target and exports the progress as CSV', async () => {
    const all = await h.get('/progress?asOf=2025-02');
    expect(all.status).toBe(200);
    const metrics = (all.body.targets as Array<{ metric: string; yearToDate: number }>).map((t) => [
      t.metric,
      t.yearToDate,
    ]);
    expect(metrics).toEqual(
      expect.arrayContaining([
        ['scrapped-vehicles', 6],
        ['used-car-transactions', 0],
        ['appliances-recovered', 0],
      ]),
    );
    const csv = await h.get('/exports/progress.csv?asOf=2025-02');
    expect(csv.status).toBe(200);
    const lines = csv.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    // The last two columns: whose figures, and the export time as read in the city (+08:00).
    expect(lines[0]).toMatch(/,范围 scope,导出时间 exported at$/);
    const exported = /,city,(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00)$/.exec(lines[1] ?? '')?.[1];
    expect(exported).toBeDefined();
    // It is the time of the export in Asia/Shanghai: within a minute of now.
    expect(Math.abs(Date.parse(exported!) - Date.now())).toBeLessThan(60_000);
    expect(lines).toContain(
      `scrapped-vehicles,报废汽车回收量,total,2025-02,6,4,0.5,4.73,257.65,14,true,city,${exported}`,
    );
    expect(lines).toContain(`scrapped-vehicles,报废汽车回收量,district,t02,2,2,0,,,,false,city,${exported}`);
  });
});

describe('a period and a district', () => {
  it('holds a district to its share of the city target, figures computed by hand', async () => {
    const res = await h.get('/progress/scrapped-vehicles?asOf=2025-02&district=t02');
    expect(res.status).toBe(200);
    const p = res.body;
    // t02 counted 2 of the city's 10 in 2023: a fifth of the target, 10 x 0.2 = 2 -> 2.8, shown 3.
    expect(p.district).toEqual({ code: 't02', share: 0.2, source: 'counted-baseline-year' });
    expect(p.target).toMatchObject({ baseline: 2, targetValue: 3, growthBp: 4000 });
    expect(p.yearToDate).toBe(2); // the two trucks of February 2025
    expect(p.baselineSamePeriod).toBe(2); // February 2023
    expect(p.growthVsBaseline).toBe(0);
    // 2 x 1.4^(2/4) = 2.3664; all of t02's 2023 came by February, so all of it is due by then.
    expect(p.requiredForYear).toBeCloseTo(2.37, 2);
    expect(p.requiredYearToDate).toBeCloseTo(2.37, 2);
    expect(p.aheadOfTrajectory).toBe(false);
    expect(p.last12Months).toBe(2);
    expect(p.previous12Months).toBe(0);
    expect(p.trendGrowth).toBeNull();
    expect(p.projectedTargetYear).toBe(2);
    expect(p.onTrack).toBe(false);
    expect(p.byMonth).toEqual([
      { month: '2025-01', actual: 0, baselineYearSameMonth: 0, required: 0 },
      { month: '2025-02', actual: 2, baselineYearSameMonth: 2, required: 2.37 },
    ]);
    // Dimensions are not crossed: a district has no breakdowns.
    expect(p.byDistrict).toBeUndefined();
    expect(p.byCategory).toBeUndefined();

    // A district that counted nothing: nothing required of it, nothing made up.
    const none = await h.get('/progress/scrapped-vehicles?asOf=2025-02&district=t09');
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({
      district: { code: 't09', share: 0, source: 'counted-baseline-year' },
      yearToDate: 0,
      requiredYearToDate: 0,
    });

    const all = await h.get('/progress?asOf=2025-02&district=t01');
    expect(all.status).toBe(200);
    expect(all.body.district).toBe('t01');
    const vehicles = (all.body.targets as Array<{ metric: string; yearToDate: number }>).find(
      (t) => t.metric === 'scrapped-vehicles',
    );
    expect(vehicles?.yearToDate).toBe(4);

    const csv = await h.get('/exports/progress.csv?asOf=2025-02&district=t02');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toContain('progress-2025-02-t02.csv');
    expect(csv.text).toMatch(
      /\nscrapped-vehicles,报废汽车回收量,total,2025-02,2,2,0,2.37,2,3,false,t02,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00\r?\n/,
    );
  });

  it('refuses a month not begun, a month before 2000 and a district not of the city, naming the field', async () => {
    const fieldsOf = (res: { body: { errors?: Array<{ field: string }> } }) =>
      (res.body.errors ?? []).map((e) => e.field);
    const future = await h.get('/progress/scrapped-vehicles?asOf=2099-01');
    expect(future.status).toBe(400);
    expect(future.body.code).toBe('month-in-future');
    expect(fieldsOf(future)).toEqual(['query.asOf']);
    expect(future.body.detail).toContain('Asia/Shanghai');
    const early = await h.get('/progress?asOf=1999-12');
    expect(early.status).toBe(400);
    expect(fieldsOf(early)).toEqual(['query.asOf']);
    const unknown = await h.get('/progress/scrapped-vehicles?asOf=2025-02&district=nowhere');
    expect(unknown.status).toBe(400);
    expect(fieldsOf(unknown)).toEqual(['query.district']);
    const csv = await h.get('/exports/progress.csv?asOf=2099-01');
    expect(csv.status).toBe(400);
    expect(fieldsOf(csv)).toEqual(['query.asOf']);
  });
});
