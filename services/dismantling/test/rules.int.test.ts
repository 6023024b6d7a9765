// The rules at the gate and around the certificate, on the real broker and store.
import { alarProfile, residentKeyOf } from '@recycling/contracts';
import { createLogger } from '@recycling/observability';
import { FIXTURE_PEPPER, fixtures } from '@recycling/contracts/fixtures';
import { waitFor } from '@recycling/testkit';
import request from 'supertest';
import { localYear } from '../src/domain/calendar';
import { formatCertificateNo, parseCertificateNo } from '../src/domain/certificate-number';
import { dismantlerBody, freshVin, intakeBody, shortId, startHarness, token, type Harness } from './harness';

let h: Harness;
const site = shortId('dm');
const suspended = shortId('dm');
const expired = shortId('dm');
let admin: string;
let operator: string;

beforeAll(async () => {
  h = await startHarness('dism-rules');
  admin = `Bearer ${await token('administrator')}`;
  operator = `Bearer ${await token('dismantler-operator', site)}`;
  for (const [id, body] of [
    [site, dismantlerBody()],
    [suspended, dismantlerBody({ status: 'suspended' })],
    [expired, dismantlerBody({ qualificationValidUntil: '2020-12-31' })],
  ] as const) {
    await request(h.service.app).put(`/dismantlers/${id}`).set('Authorization', admin).send(body).expect(201);
  }
});

afterAll(async () => {
  await h?.close();
});

const takeIn = (vin: string, overrides: Record<string, unknown> = {}, auth = operator) =>
  request(h.service.app)
    .post('/vehicle-intakes')
    .set('Authorization', auth)
    .send(intakeBody(site, vin, overrides));

describe('vehicle intake', () => {
  it('refuses an invalid VIN with a 400 naming the field and the reason', async () => {
    const vin = freshVin();
    const wrongCheck = `${vin.slice(0, 8)}${vin[8] === '0' ? '1' : '0'}${vin.slice(9)}`;
    const res = await takeIn(wrongCheck).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.title_zh).toBe('输入有误');
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        field: 'vin',
        message: expect.stringContaining('check digit (9th character) should be'),
      }),
    ]);

    const short = await takeIn('LSVAG21889251234').expect(400);
    expect(short.body.errors[0]).toMatchObject({
      field: 'vin',
      message: expect.stringContaining('17 characters, got 16'),
    });
    const letters = await takeIn('LSVAG2188925I2345').expect(400);
    expect(letters.body.errors[0].message).toContain('found I');
  });

  it('refuses a suspended, an unregistered or an expired dismantler', async () => {
    const cases = [
      [suspended, 'dismantler-suspended'],
      [shortId('dm'), 'dismantler-not-qualified'],
      [expired, 'dismantler-qualification-expired'],
    ] as const;
    for (const [dismantlerId, code] of cases) {
      const res = await request(h.service.app)
        .post('/vehicle-intakes')
        .set('Authorization', admin)
        .send(intakeBody(dismantlerId, freshVin()))
        .expect(403);
      expect(res.body).toMatchObject({ code, errors: [{ field: 'dismantlerId' }] });
      expect(res.body.detail).toMatch(/^拆解企业/);
    }
    // Reinstated, the suspended site takes vehicles again.
    await request(h.service.app)
      .put(`/dismantlers/${suspended}`)
      .set('Authorization', admin)
      .send(dismantlerBody())
      .expect(200);
    await request(h.service.app)
      .post('/vehicle-intakes')
      .set('Authorization', admin)
      .send(intakeBody(suspended, freshVin()))
      .expect(201);
  });

  it('keeps an operator to the site of its token', async () => {
    const other = `Bearer ${await token('dismantler-operator', suspended)}`;
    await takeIn(freshVin(), {}, other).expect(403);
    await request(h.service.app)
      .post('/vehicle-intakes')
      .set('Authorization', `Bearer ${await token('station-operator', site)}`)
      .send(intakeBody(site, freshVin()))
      .expect(403);
    await request(h.service.app).post('/vehicle-intakes').send(intakeBody(site, freshVin())).expect(401);
  });

  it('lets only one of three simultaneous intakes of one VIN through', async () => {
    const vin = freshVin();
    const results = await Promise.all([takeIn(vin), takeIn(vin), takeIn(vin)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('takes a VIN in again once the first intake is voided, and withdraws the purchase', async () => {
    const vin = freshVin();
    const first = await takeIn(vin).expect(201);
    const intakeId = first.body.vehicleIntakeId as string;
    await takeIn(vin).expect(409);
    const voided = await request(h.service.app)
      .post(`/vehicle-intakes/${intakeId}/void`)
      .set('Authorization', operator)
      .send({ reason: '车辆存在抵押登记，暂不能报废' })
      .expect(200);
    expect(voided.body.status).toBe('voided');
    await request(h.service.app)
      .post(`/vehicle-intakes/${intakeId}/certificate`)
      .set('Authorization', operator)
      .send({})
      .expect(409);

    const withdrawn = await h.waitForEvent(
      'recycling.purchase.corrected.v1',
      (d) => d.purchaseId === `vehicle:${intakeId}`,
    );
    expect(withdrawn.data).toMatchObject({ revision: 2, totalFen: 0, lines: [] });
    await h.waitForEvent('recycling.vehicle.intake-voided.v1', (d) => d.vehicleIntakeId === intakeId);

    const second = await takeIn(vin).expect(201);
    expect(second.body.vehicleIntakeId).not.toBe(intakeId);
  });

  it('publishes no purchase for an organisation, and requires payment evidence from a person', async () => {
    const vin = freshVin();
    const org = await takeIn(vin, {
      owner: {
        kind: 'organisation',
        organisationName: '阿拉尔市某运输公司',
        taxpayerId: '91659002MA79K8L6PX',
      },
      payment: undefined,
    }).expect(201);
    await h.waitForEvent(
      'recycling.vehicle.received.v1',
      (d) => d.vehicleIntakeId === org.body.vehicleIntakeId,
    );
    expect(h.received.some((m) => m.value?.includes(`vehicle:${org.body.vehicleIntakeId}`))).toBe(false);

    const noPayment = await takeIn(freshVin(), { payment: undefined }).expect(400);
    expect(noPayment.body.errors.map((e: { field: string }) => e.field)).toEqual(['payment']);
  });

  it('flags a China III diesel truck for early retirement', async () => {
    const res = await takeIn(freshVin(), {
      vehicleType: 'truck',
      fuelType: 'diesel',
      emissionStandard: 'china-3',
    }).expect(201);
    expect(res.body.flags.earlyRetiredDieselTruck).toBe(true);
    const received = await h.waitForEvent(
      'recycling.vehicle.received.v1',
      (d) => d.vehicleIntakeId === res.body.vehicleIntakeId,
    );
    expect(received.data.flags).toMatchObject({ earlyRetiredDieselTruck: true });
  });
});

describe('certificates', () => {
  it('gives unique, consecutive numbers to vehicles certified at the same moment', async () => {
    const concurrent = 8;
    const intakes: string[] = [];
    for (let i = 0; i < concurrent; i++)
      intakes.push((await takeIn(freshVin()).expect(201)).body.vehicleIntakeId as string);
    const answers = await Promise.all(
      intakes.map((id) =>
        request(h.service.app)
          .post(`/vehicle-intakes/${id}/certificate`)
          .set('Authorization', operator)
          .send({}),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(intakes.map(() => 200));
    const numbers = answers.map((a) => a.body.certificate.certificateNo as string);
    expect(new Set(numbers).size).toBe(concurrent);
    const sequences = numbers.map((n) => Number(n.slice(-6))).sort((a, b) => a - b);
    expect(sequences).toEqual(sequences.map((_, i) => sequences[0]! + i));

    // Each issued event names its own number; none appears twice on the topic.
    await waitFor(
      () =>
        h.received.filter(
          (m) =>
            m.headers.ce_type === 'recycling.vehicle.certificate-issued.v1' &&
            intakes.some((id) => m.value?.includes(id)),
        ).length >= concurrent,
      { what: 'the certificate events' },
    );
    const published = h.received
      .filter((m) => m.headers.ce_type === 'recycling.vehicle.certificate-issued.v1')
      .map((m) => JSON.parse(m.value!).certificateNo as string);
    expect(new Set(published).size).toBe(published.length);
    expect(published).toEqual(expect.arrayContaining(numbers));
  });

  it('keeps numbers unique when two replicas issue at the same moment', async () => {
    const replica = await h.startReplica();
    const intakes: string[] = [];
    for (let i = 0; i < 10; i++)
      intakes.push((await takeIn(freshVin()).expect(201)).body.vehicleIntakeId as string);
    const answers = await Promise.all(
      intakes.map((id, i) =>
        request(i % 2 === 0 ? h.service.app : replica.app)
          .post(`/vehicle-intakes/${id}/certificate`)
          .set('Authorization', operator)
          .send({}),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(intakes.map(() => 200));
    const numbers = answers.map((a) => a.body.certificate.certificateNo as string);
    expect(new Set(numbers).size).toBe(intakes.length);
    // Every allocation is recorded for exactly its vehicle.
    const { year } = parseCertificateNo(numbers[0]!)!;
    const allocated = (await h.service.ctx.certificateNumbers.allocations(site, year)).filter((a) =>
      intakes.includes(a.holder),
    );
    expect(allocated.every((a) => a.first === a.last)).toBe(true);
    expect(
      Object.fromEntries(allocated.map((a) => [a.holder, formatCertificateNo(site, year, a.first)])),
    ).toEqual(Object.fromEntries(intakes.map((id, i) => [id, numbers[i]])));
  });

  it('goes on after the numbers the earlier allocator gave out, which still find their intakes', async () => {
    const older = shortId('dm');
    await request(h.service.app)
      .put(`/dismantlers/${older}`)
      .set('Authorization', admin)
      .send(dismantlerBody())
      .expect(201);
    const takeInAt = async () =>
      (
        await request(h.service.app)
          .post('/vehicle-intakes')
          .set('Authorization', admin)
          .send(intakeBody(older, freshVin()))
          .expect(201)
      ).body.vehicleIntakeId as string;
    // As the earlier allocator left them: one document per number, and the number on its intake.
    const year = localYear(new Date(), alarProfile.timezone);
    const certified = await takeInAt();
    const db = h.service.connection;
    await db.collection('certificate_numbers').insertMany(
      [1, 2].map((sequence) => ({
        _id: formatCertificateNo(older, year, sequence),
        dismantlerId: older,
        year,
        sequence,
        vehicleIntakeId: sequence === 2 ? certified : 'vi-crashed-before-saving',
        allocatedAt: new Date(),
      })) as never[],
    );
    const oldNo = formatCertificateNo(older, year, 2);
    await db
      .collection('vehicle_intakes')
      .updateOne(
        { _id: certified as never },
        { $set: { certificate: { certificateNo: oldNo, issuedAt: new Date() } } },
      );

    // What every start-up does (twice here: it is idempotent).
    const logger = createLogger({ service: 'dismantling', level: 'silent' });
    await h.service.ctx.certificateNumbers.continueAfterLegacyNumbers(logger);
    await h.service.ctx.certificateNumbers.continueAfterLegacyNumbers(logger);

    const next = await request(h.service.app)
      .post(`/vehicle-intakes/${await takeInAt()}/certificate`)
      .set('Authorization', admin)
      .send({})
      .expect(200);
    expect(next.body.certificate.certificateNo).toBe(formatCertificateNo(older, year, 3));
    const page = await request(h.service.app)
      .get(`/certificates/${oldNo}`)
      .set('Authorization', admin)
      .expect(200);
    expect(page.text).toContain(oldNo);
    // Allocated, never saved on an intake: not a certificate.
    await request(h.service.app)
      .get(`/certificates/${formatCertificateNo(older, year, 1)}`)
      .set('Authorization', admin)
      .expect(404);
  });

  it('requires the traction battery code when a new-energy vehicle is dismantled', async () => {
    const intake = await takeIn(freshVin(), {
      fuelType: 'bev',
      emissionStandard: 'unknown',
      registrationDate: '2017-05-02',
    }).expect(201);
    const id = intake.body.vehicleIntakeId as string;
    await request(h.service.app)
      .post(`/vehicle-intakes/${id}/certificate`)
      .set('Authorization', operator)
      .send({})
      .expect(200);
    const assemblies = fixtures['recycling.vehicle.dismantled.v1'].assemblies;
    const noBattery = await request(h.service.app)
      .post(`/vehicle-intakes/${id}/dismantling`)
      .set('Authorization', operator)
      .send({ assemblies })
      .expect(400);
    expect(noBattery.body).toMatchObject({
      code: 'traction-battery-required',
      errors: [{ field: 'tractionBattery' }],
    });
    await request(h.service.app)
      .post(`/vehicle-intakes/${id}/dismantling`)
      .set('Authorization', operator)
      .send({
        assemblies,
        tractionBattery: { code: '03PPE0A2B1C3D4E5F6G7H8J9K', destination: 'cascade-use' },
      })
      .expect(200);
    const dismantled = await h.waitForEvent(
      'recycling.vehicle.dismantled.v1',
      (d) => d.vehicleIntakeId === id,
    );
    expect(dismantled.data.tractionBattery).toEqual({
      code: '03PPE0A2B1C3D4E5F6G7H8J9K',
      destination: 'cascade-use',
    });
    await request(h.service.app)
      .post(`/vehicle-intakes/${id}/dismantling`)
      .set('Authorization', operator)
      .send({ assemblies, tractionBattery: { code: 'X', destination: 'recycling' } })
      .expect(409);
  });
});

describe('the API document', () => {
  it('serves OpenAPI 3.1 to anyone (the contract is no secret; the data is)', async () => {
    const res = await request(h.service.app).get('/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toContain('/vehicle-intakes/{vehicleIntakeId}/certificate');
  });
});

describe('pickups consumer', () => {
  it('applies a redelivered pickup event once and follows the pickup to cancellation', async () => {
    const pickupId = shortId('pk');
    const requested = {
      ...fixtures['recycling.pickup.requested.v1'],
      pickupId,
      kind: 'vehicle',
      vehicle: { ...fixtures['recycling.vehicle.received.v1'], vin: freshVin() },
      assignedSite: { kind: 'dismantler', siteId: site },
    };
    const vehicle = requested.vehicle;
    requested.vehicle = {
      vin: vehicle.vin,
      plateMasked: vehicle.plateMasked,
      vehicleType: vehicle.vehicleType,
      fuelType: vehicle.fuelType,
      emissionStandard: vehicle.emissionStandard,
      registrationDate: vehicle.registrationDate,
    } as typeof vehicle;
    const event = await h.publishPickupEvent('recycling.pickup.requested.v1', requested);
    await h.publishPickupEvent('recycling.pickup.requested.v1', requested, { id: event.id });
    // The same pickup id from another city's network is not ours (decision 1: the city is in ce_source).
    const foreign = await h.publishPickupEvent(
      'recycling.pickup.requested.v1',
      { ...requested, pickupId: shortId('pk') },
      { cityCode: '650100' },
    );
    const appliance = await h.publishPickupEvent('recycling.pickup.scheduled.v1', {
      ...fixtures['recycling.pickup.scheduled.v1'],
      pickupId: shortId('pk'),
    });
    await h.publishPickupEvent('recycling.pickup.cancelled.v1', {
      ...fixtures['recycling.pickup.cancelled.v1'],
      pickupId,
    });
    const expectedVehicles = h.service.ctx.expectedVehicles;
    const doc = await waitFor(
      async () => {
        const found = await expectedVehicles.find(pickupId);
        return found?.status === 'cancelled' ? found : undefined;
      },
      { what: 'the cancelled expected vehicle' },
    );
    expect(doc.appliedEvents).toHaveLength(2);
    expect(doc.appliedEvents[0]).toBe(event.id);
    expect(await expectedVehicles.find(appliance.key)).toBeNull();
    expect(await expectedVehicles.find(foreign.key)).toBeNull();

    // A cancelled pickup is not expected any more, and cannot be taken in under its id.
    const list = await request(h.service.app)
      .get(`/expected-vehicles?dismantlerId=${site}`)
      .set('Authorization', operator);
    expect(list.body.items.map((e: { pickupId: string }) => e.pickupId)).not.toContain(pickupId);
    const res = await takeIn(vehicle.vin, { pickupId }).expect(409);
    expect(res.body.code).toBe('pickup-closed');
  });

  it('links a vehicle taken in before its pickup event arrived, once the event comes (in the bad order)', async () => {
    const residentAccount = 'r-race-1001';
    const resident = `Bearer ${await token('resident', residentAccount)}`;
    const other = shortId('dm');
    await request(h.service.app)
      .put(`/dismantlers/${other}`)
      .set('Authorization', admin)
      .send(dismantlerBody({ districtCode: 't05' }))
      .expect(201);
    const vehiclePickup = (pickupId: string, vin: string, siteId: string) => ({
      ...fixtures['recycling.pickup.requested.v1'],
      pickupId,
      kind: 'vehicle',
      residentKey: residentKeyOf(residentAccount, FIXTURE_PEPPER),
      districtCode: 't03',
      vehicle: {
        vin,
        plateMasked: '新N·***23',
        vehicleType: 'passenger-car',
        fuelType: 'gasoline',
        emissionStandard: 'china-3',
        registrationDate: '2009-06-18',
      },
      assignedSite: { kind: 'dismantler', siteId },
    });

    // The car is at the gate before the pickup service's event reached the dismantler.
    const pickupId = shortId('pk');
    const vin = freshVin();
    const taken = await takeIn(vin, { pickupId }).expect(201);
    const intakeId = taken.body.vehicleIntakeId as string;
    expect(taken.body.districtCode).toBe('t10'); // the site's, for now
    // Noted under the pickup id, where the consumer will look it up by _id.
    expect(await h.service.ctx.earlyIntakes.intakeIdsOf(pickupId)).toEqual([intakeId]);
    const purchase = await h.waitForEvent(
      'recycling.purchase.recorded.v1',
      (d) => d.purchaseId === `vehicle:${intakeId}`,
    );
    expect(purchase.data.pickupId).toBe(pickupId);
    const certified = await request(h.service.app)
      .post(`/vehicle-intakes/${intakeId}/certificate`)
      .set('Authorization', operator)
      .send({})
      .expect(200);
    const certificateNo = certified.body.certificate.certificateNo as string;
    // The owner cannot read it yet: nothing links the intake to their account.
    await request(h.service.app)
      .get(`/certificates/${certificateNo}`)
      .set('Authorization', resident)
      .expect(403);

    // A second car names a pickup that turns out to be another site's: it stays unlinked.
    const strayPickupId = shortId('pk');
    const strayVin = freshVin();
    const stray = (await takeIn(strayVin, { pickupId: strayPickupId }).expect(201)).body
      .vehicleIntakeId as string;

    // Now the events arrive, the first one twice (redelivery).
    const requested = await h.publishPickupEvent(
      'recycling.pickup.requested.v1',
      vehiclePickup(pickupId, vin, site),
    );
    await h.publishPickupEvent('recycling.pickup.requested.v1', vehiclePickup(pickupId, vin, site), {
      id: requested.id,
    });
    await h.publishPickupEvent(
      'recycling.pickup.requested.v1',
      vehiclePickup(strayPickupId, strayVin, other),
    );
    await h.publishPickupEvent('recycling.pickup.scheduled.v1', {
      ...fixtures['recycling.pickup.scheduled.v1'],
      pickupId,
      siteId: site,
    });

    const intakes = h.service.ctx.intakes;
    const linked = await waitFor(
      async () => {
        const doc = await intakes.record(intakeId);
        return doc?.residentKey ? doc : undefined;
      },
      { what: 'the intake linked to its pickup' },
    );
    expect(linked).toMatchObject({
      residentKey: residentKeyOf(residentAccount, FIXTURE_PEPPER),
      districtCode: 't03',
      certificate: { certificateNo },
      status: 'received',
    });
    const html = await request(h.service.app)
      .get(`/certificates/${certificateNo}`)
      .set('Authorization', resident)
      .expect(200);
    expect(html.text).toContain(vin);
    await request(h.service.app)
      .get(`/certificates/${certificateNo}`)
      .set('Authorization', `Bearer ${await token('resident', 'r-race-someone-else')}`)
      .expect(403);

    // Every event of both pickups applied (scheduled comes after requested on the partition).
    await waitFor(async () => (await h.service.ctx.expectedVehicles.find(pickupId))?.status === 'scheduled', {
      what: 'the scheduled pickup',
    });
    await waitFor(async () => (await h.service.ctx.expectedVehicles.find(strayPickupId)) ?? undefined, {
      what: 'the other site’s pickup',
    });
    const strayDoc = await intakes.record(stray);
    expect(strayDoc?.residentKey).toBeUndefined();
    expect(strayDoc?.districtCode).toBe('t10');

    // Later writes of the intake keep the link; the redelivered event changed nothing more.
    await request(h.service.app)
      .post(`/vehicle-intakes/${intakeId}/deregistration`)
      .set('Authorization', operator)
      .send({})
      .expect(200);
    const after = await intakes.record(intakeId);
    expect(after).toMatchObject({ residentKey: linked.residentKey, districtCode: 't03' });
    const expected = await h.service.ctx.expectedVehicles.find(pickupId);
    expect(expected?.appliedEvents).toHaveLength(2);
  });
});
