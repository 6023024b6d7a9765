// Remanufacturing on the real broker and store: an engine of a dismantled car (its events published
// as the dismantling service publishes them) becomes a remanufactured engine, traced both ways; a
// product failing its release test cannot be released; a core from an unknown source is refused; a
// PV inverter taken in at a station gives as many cores as were sorted to remanufacturing; bad input
// is a 400 naming the fields; an event that breaks its schema goes to the DLQ.
import { randomBytes, randomUUID } from 'node:crypto';
import { RemanufacturingEventTypes, validateVin, VehicleEventTypes } from '@recycling/contracts';
import { fixtures } from '@recycling/contracts/fixtures';
import { startHarness, waitFor, type Harness } from './support/harness';

jest.setTimeout(120_000);

const RM = 'rm-alar-power';
const OTHER_RM = 'rm-other';
const ENGINE_SPEC = [
  { code: 'rated-power', value: 81_500 },
  { code: 'max-torque', value: 156 },
  { code: 'fuel-consumption', value: 243 },
  { code: 'compression-pressure', value: 1_230 },
];

function freshVin(): string {
  const serial = String(randomBytes(4).readUInt32BE(0)).padStart(10, '0').slice(-7);
  const draft = `LSVAG2180A${serial}`;
  for (const digit of '0123456789X') {
    const vin = `${draft.slice(0, 8)}${digit}${draft.slice(9)}`;
    if (validateVin(vin).valid) return vin;
  }
  throw new Error(`no check digit fits ${draft}`);
}

let h: Harness;
let operator: { Authorization: string };
let admin: { Authorization: string };

/** A car received, certified and dismantled, its engine and transmission coded for remanufacturing. */
async function dismantledCar() {
  const vin = freshVin();
  const tag = randomBytes(3).toString('hex');
  const vehicleIntakeId = `vi-${tag}`;
  const certificateNo = `BF659002${tag}`;
  const codes = { engine: `ZZ-${tag}-E`, transmission: `ZZ-${tag}-T` };
  await h.publish(VehicleEventTypes.received, { vin, vehicleIntakeId });
  await h.publish(VehicleEventTypes.certificateIssued, { vin, vehicleIntakeId, certificateNo });
  await h.publish(VehicleEventTypes.dismantled, {
    vin,
    vehicleIntakeId,
    assemblies: [
      {
        assembly: 'engine',
        disposition: 'remanufacturing',
        remanufacturingCode: codes.engine,
        serialNo: `E${tag}`,
      },
      { assembly: 'steering-gear', disposition: 'scrap-steel' },
      { assembly: 'transmission', disposition: 'remanufacturing', remanufacturingCode: codes.transmission },
      { assembly: 'axles', disposition: 'scrap-steel' },
      { assembly: 'frame', disposition: 'scrap-steel' },
    ],
  });
  await waitFor(
    async () => (await h.http.get(`/traces/assemblies/${codes.transmission}`).set(admin)).status === 200,
    {
      what: 'the coded assemblies',
    },
  );
  return { vin, vehicleIntakeId, certificateNo, codes };
}

const receiveEngine = (code: string, certificateNo: string) =>
  h.http
    .post(`/remanufacturers/${RM}/cores`)
    .set(operator)
    .send({
      productLine: 'engine',
      source: { kind: 'vehicle-assembly', remanufacturingCode: code, certificateNo },
      serialNo: 'CEA218765',
      intakeCheck: { passed: true, note: '缸体无裂纹' },
    });

async function engineInProduction(serialNo: string) {
  const car = await dismantledCar();
  const core = await receiveEngine(car.codes.engine, car.certificateNo);
  expect(core.status).toBe(201);
  const product = await h.http
    .post(`/remanufacturers/${RM}/products`)
    .set(operator)
    .send({ productLine: 'engine', serialNo, coreIds: [core.body.coreId] });
  expect(product.status).toBe(201);
  const production = await h.http
    .post(`/products/${product.body.productId}/checks`)
    .set(operator)
    .send({
      stage: 'production',
      results: [{ code: 'compression-pressure', value: 1_210 }],
      note: '缸压检测',
    });
  expect(production.status).toBe(200);
  return { car, coreId: core.body.coreId as string, productId: product.body.productId as string };
}

beforeAll(async () => {
  h = await startHarness('flow');
  operator = await h.as('remanufacturer-operator', RM);
  admin = await h.as('administrator');
  for (const [id, lines] of [
    [RM, ['engine', 'transmission', 'pv-inverter']],
    [OTHER_RM, ['engine']],
  ] as const) {
    const put = await h.http
      .put(`/remanufacturers/${id}`)
      .set(admin)
      .send({
        name: id === RM ? '阿拉尔市动力再制造有限公司' : '另一家再制造企业',
        creditCode: id === RM ? '91659002MA7D1E2F3G' : '91659002MA7H4J5K6L',
        districtCode: 't10',
        qualification: { kind: 'miit-remanufacturing-pilot', number: `ZZSD-${id}`, validUntil: '2099-12-31' },
        productLines: lines,
        active: true,
      });
    expect(put.status).toBe(201);
  }
});

afterAll(async () => {
  await h?.stop();
});

describe('an engine of a dismantled car', () => {
  it('becomes a remanufactured engine, marked and warranted, traced back to the car and forward from it', async () => {
    const events = await h.collect(['recycling.remanufacturing.v1']);
    const { car, coreId, productId } = await engineInProduction('RM-EA-0001');

    const release = await h.http
      .post(`/products/${productId}/checks`)
      .set(operator)
      .send({ stage: 'release', results: ENGINE_SPEC });
    expect(release.status).toBe(200);
    expect(release.body.checks.at(-1)).toMatchObject({ stage: 'release', passed: true });

    const released = await h.http
      .post(`/products/${productId}/release`)
      .set(operator)
      .send({ warrantyMonths: 24 });
    expect(released.status).toBe(200);
    expect(released.body.status).toBe('released');
    expect(released.body.release.mark).toMatchObject({
      text: '再制造',
      standard: 'GB/T 27611-2011',
      makerName: '阿拉尔市动力再制造有限公司',
    });
    expect(released.body.release.mark.markNo).toMatch(new RegExp(`^ZZZ-${RM}-\\d{4}-0000\\d\\d$`));
    expect(released.body.release).toMatchObject({
      warrantyMonths: 24,
      originalWarrantyMonths: 24,
      forbiddenUses: ['new-vehicle-assembly'],
    });

    // Back: product → core → the car's VIN, intake and recycling certificate.
    const back = await h.http.get(`/products/${productId}/trace`).set(operator);
    expect(back.status).toBe(200);
    expect(back.body.cores).toHaveLength(1);
    expect(back.body.cores[0].origin).toEqual({
      kind: 'vehicle',
      vin: car.vin,
      vehicleIntakeId: car.vehicleIntakeId,
      certificateNo: car.certificateNo,
      dismantlerId: fixtures['recycling.vehicle.dismantled.v1'].dismantlerId,
      assembly: 'engine',
      remanufacturingCode: car.codes.engine,
    });
    // Forward: the core, the coded assembly and the VIN lead to the product.
    const forward = await h.http.get(`/cores/${coreId}/trace`).set(operator);
    expect(forward.body.product).toMatchObject({
      productId,
      status: 'released',
      markNo: released.body.release.mark.markNo,
    });
    const official = await h.as('city-official');
    const byVin = await h.http.get(`/traces/vehicles/${car.vin}`).set(official);
    expect(byVin.status).toBe(200);
    const assemblies = byVin.body.vehicleIntakes[0].assemblies as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(assemblies.find((a) => a.assembly === 'engine')).toMatchObject({
      remanufacturingCode: car.codes.engine,
      certificateNo: car.certificateNo,
      core: { coreId },
      product: { productId },
    });
    expect(assemblies.find((a) => a.assembly === 'transmission')).toMatchObject({
      core: null,
      product: null,
    });

    // Never into a new vehicle; a repair workshop may take it.
    const toNewCar = await h.http
      .post(`/products/${productId}/shipments`)
      .set(operator)
      .send({ use: 'new-vehicle-assembly', buyer: { name: '某整车厂' } });
    expect(toNewCar.status).toBe(400);
    expect(toNewCar.body.code).toBe('use-forbidden');
    expect(toNewCar.body.errors.map((e: { field: string }) => e.field)).toEqual(['use']);
    const shipped = await h.http
      .post(`/products/${productId}/shipments`)
      .set(operator)
      .send({ use: 'replacement', buyer: { name: '阿拉尔市顺达汽车修理厂' } });
    expect(shipped.status).toBe(200);
    expect(shipped.body.status).toBe('shipped');

    // Every step on recycling.remanufacturing.v1, cores keyed by core, products by product.
    const seen = await waitFor(
      () => {
        const mine = events.received.filter((m) => [coreId, productId].includes(m.key!));
        return mine.length >= 6 && mine;
      },
      { what: 'the remanufacturing events' },
    );
    expect(seen.map((m) => m.headers.ce_type)).toEqual([
      RemanufacturingEventTypes.coreReceived,
      RemanufacturingEventTypes.productStarted,
      RemanufacturingEventTypes.productTested,
      RemanufacturingEventTypes.productTested,
      RemanufacturingEventTypes.productReleased,
      RemanufacturingEventTypes.productShipped,
    ]);
    expect(JSON.parse(seen[0]!.value!).source).toMatchObject({
      vin: car.vin,
      certificateNo: car.certificateNo,
    });
    await events.stop();
  });

  it('is received once: the same code again is a conflict, and another remanufacturer sees nothing of it', async () => {
    const car = await dismantledCar();
    expect((await receiveEngine(car.codes.engine, car.certificateNo)).status).toBe(201);
    const again = await receiveEngine(car.codes.engine, car.certificateNo);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('core-already-received');
    const core = (await receiveEngine(car.codes.transmission, car.certificateNo)).body;
    expect(core.code).toBe('core-not-for-line');
    const other = await h.as('remanufacturer-operator', OTHER_RM);
    const list = await h.http.get(`/remanufacturers/${RM}/cores`).set(other);
    expect(list.status).toBe(403);
  });
});

describe('a product failing a test', () => {
  it('cannot be released until a release test meets the original in every item', async () => {
    const { productId } = await engineInProduction('RM-EA-0002');
    const weak = await h.http
      .post(`/products/${productId}/checks`)
      .set(operator)
      .send({
        stage: 'release',
        results: [{ code: 'rated-power', value: 79_800 }, ...ENGINE_SPEC.slice(1)],
      });
    expect(weak.status).toBe(200);
    expect(weak.body.checks.at(-1)).toMatchObject({ passed: false });
    expect(weak.body.checks.at(-1).results[0]).toEqual({
      code: 'rated-power',
      value: 79_800,
      original: 81_000,
      better: 'higher',
      meets: false,
    });

    const refused = await h.http
      .post(`/products/${productId}/release`)
      .set(operator)
      .send({ warrantyMonths: 24 });
    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.code).toBe('release-test-failed');
    expect(refused.body).toMatchObject({ failing: ['rated-power'], missing: [] });
    expect((await h.http.get(`/products/${productId}`).set(operator)).body.status).toBe('in-production');

    // A shorter warranty than the original's is refused whatever the tests say.
    await h.http
      .post(`/products/${productId}/checks`)
      .set(operator)
      .send({ stage: 'release', results: ENGINE_SPEC });
    const short = await h.http
      .post(`/products/${productId}/release`)
      .set(operator)
      .send({ warrantyMonths: 12 });
    expect(short.status).toBe(400);
    expect(short.body.errors.map((e: { field: string }) => e.field)).toEqual(['warrantyMonths']);
    const ok = await h.http.post(`/products/${productId}/release`).set(operator).send({ warrantyMonths: 36 });
    expect(ok.status).toBe(200);
    expect(ok.body.release.checkNo).toBe(3);
  });
});

describe('a core from an unknown source', () => {
  it('is refused: an assembly code and an intake line the network has not seen', async () => {
    const code = await h.http
      .post(`/remanufacturers/${RM}/cores`)
      .set(operator)
      .send({
        productLine: 'engine',
        source: { kind: 'vehicle-assembly', remanufacturingCode: 'ZZ-NOWHERE-1', certificateNo: 'BF000' },
        intakeCheck: { passed: true },
      });
    expect(code.status).toBe(422);
    expect(code.body.code).toBe('unknown-core-source');
    expect(code.body.errors.map((e: { field: string }) => e.field)).toEqual(['source.remanufacturingCode']);
    const intake = await h.http
      .post(`/remanufacturers/${RM}/cores`)
      .set(operator)
      .send({
        productLine: 'pv-inverter',
        source: { kind: 'intake', intakeId: 'in-nowhere', lineId: 'l1' },
        intakeCheck: { passed: true },
      });
    expect(intake.status).toBe(422);
    expect(intake.body.code).toBe('unknown-core-source');
  });

  it('is refused with a certificate other than the vehicle’s', async () => {
    const car = await dismantledCar();
    const wrong = await receiveEngine(car.codes.engine, 'BF-FORGED-0001');
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('certificate-mismatch');
  });
});

describe('a PV inverter taken in at a station', () => {
  it('gives as many cores as the station sorted to remanufacturing, no more', async () => {
    const intakeId = `in-${randomBytes(3).toString('hex')}`;
    const intake = fixtures['recycling.intake.recorded.v1'];
    await h.publish('recycling.intake.recorded.v1', {
      intakeId,
      source: { kind: 'enterprise' },
      seller: { kind: 'organisation', organisationName: '阿拉尔市某光伏电站' },
      contents: {
        lines: [
          {
            ...intake.contents.lines[0]!,
            lineId: 'l1',
            category: 'pv-inverter',
            units: 2,
            weightGrams: 120_000,
            priceFen: 0,
          },
        ],
        totalFen: 0,
        totalWeightGrams: 120_000,
      },
    });
    const core = (n: number) =>
      h.http
        .post(`/remanufacturers/${RM}/cores`)
        .set(operator)
        .send({
          productLine: 'pv-inverter',
          source: { kind: 'intake', intakeId, lineId: 'l1' },
          serialNo: `INV-${n}`,
          intakeCheck: { passed: true },
        });
    // Taken in, but not yet sorted to remanufacturing.
    const early = await waitFor(
      async () => {
        const r = await core(0);
        return r.body.code !== 'unknown-core-source' && r;
      },
      { what: 'the intake' },
    );
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('not-marked-for-remanufacturing');

    await h.publish('recycling.intake.items-sorted.v1', {
      intakeId,
      outcomes: [{ lineId: 'l1', outcome: 'remanufacturing', units: 1 }],
    });
    const first = await waitFor(
      async () => {
        const r = await core(1);
        return r.status === 201 && r;
      },
      { what: 'the sorting' },
    );
    expect(first.body.source).toMatchObject({
      kind: 'intake',
      intakeId,
      lineId: 'l1',
      category: 'pv-inverter',
    });
    const second = await core(2);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('core-already-received');
    const trace = await h.http.get(`/cores/${first.body.coreId}/trace`).set(operator);
    expect(trace.body).toMatchObject({ origin: { kind: 'intake', intakeId, lineId: 'l1' }, product: null });
  });
});

describe('bad input', () => {
  it('is a 400 problem naming every bad field', async () => {
    const r = await h.http
      .post(`/remanufacturers/${RM}/cores`)
      .set(operator)
      .send({
        productLine: 'engine',
        source: { kind: 'vehicle-assembly', remanufacturingCode: '' },
        intakeCheck: {},
      });
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const fields = r.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['source.remanufacturingCode', 'source.certificateNo', 'intakeCheck.passed']),
    );
    const results = await h.http
      .post(`/products/rp-none/checks`)
      .set(operator)
      .send({ stage: 'final', results: [{ code: 'rated-power', value: 1.5 }] });
    expect(results.status).toBe(400);
    expect(results.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['stage', 'results.0.value']),
    );
  });
});

describe('an event that breaks its schema', () => {
  it('goes to the DLQ with its reason, and the partition keeps moving', async () => {
    const dlq = await h.collect(['recycling.vehicles.v1.dlq']);
    const id = randomUUID();
    const good = fixtures['recycling.vehicle.dismantled.v1'];
    await h.publishRaw({
      id,
      topic: 'recycling.vehicles.v1',
      key: good.vin,
      type: VehicleEventTypes.dismantled,
      source: 'urn:recycling:659002:dismantling',
      time: new Date().toISOString(),
      // An assembly for remanufacturing without its code: the schema refuses it.
      data: { ...good, assemblies: [{ assembly: 'engine', disposition: 'remanufacturing' }] },
    });
    try {
      const letter = await waitFor(() => dlq.received.find((m) => m.headers.ce_id === id), {
        what: 'the dead letter',
      });
      expect(letter.headers['dlq-error-kind']).toBe('invalid-data');
      expect(letter.headers['dlq-reason']).toContain('remanufacturingCode');
    } finally {
      await dlq.stop();
    }
    // The next car on the topic is still taken in.
    await dismantledCar();
  });
});
