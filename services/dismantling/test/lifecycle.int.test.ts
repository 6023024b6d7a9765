// The whole life of one vehicle on the real broker and store: a vehicle pickup arrives from the pickup
// service, the site takes the car in, issues the certificate, applies for deregistration and records
// the dismantling; every step is checked on the topics.
import { residentKeyOf, sellerKeyOf } from '@recycling/contracts';
import { FIXTURE_PEPPER, fixtures } from '@recycling/contracts/fixtures';
import { waitFor } from '@recycling/testkit';
import request from 'supertest';
import { dismantlerBody, freshVin, intakeBody, shortId, startHarness, token, type Harness } from './harness';

let h: Harness;
const site = shortId('dm');
// The resident's account (a token's scope) and the key the pickup service derives from it.
const residentAccount = 'r-life-1001';
const residentKey = residentKeyOf(residentAccount, FIXTURE_PEPPER);

beforeAll(async () => {
  h = await startHarness('dism-life');
  await request(h.service.app)
    .put(`/dismantlers/${site}`)
    .set('Authorization', `Bearer ${await token('administrator')}`)
    .send(dismantlerBody())
    .expect(201);
});

afterAll(async () => {
  await h?.close();
});

it('takes one vehicle from pickup to dismantling, with every event on the topics', async () => {
  const operator = `Bearer ${await token('dismantler-operator', site)}`;
  const vin = freshVin();
  const pickupId = shortId('pk');

  // The pickup service reports a vehicle pickup for our site: it becomes an expected vehicle.
  await h.publishPickupEvent('recycling.pickup.requested.v1', {
    ...fixtures['recycling.pickup.requested.v1'],
    pickupId,
    kind: 'vehicle',
    residentKey,
    districtCode: 't03',
    vehicle: {
      vin,
      plateMasked: '新N·***23',
      vehicleType: 'passenger-car',
      fuelType: 'gasoline',
      emissionStandard: 'china-3',
      registrationDate: '2009-06-18',
    },
    assignedSite: { kind: 'dismantler', siteId: site },
  });
  await waitFor(
    async () => {
      const res = await request(h.service.app)
        .get(`/expected-vehicles?dismantlerId=${site}`)
        .set('Authorization', operator);
      return res.body.items?.some((e: { pickupId: string }) => e.pickupId === pickupId);
    },
    { what: 'the expected vehicle' },
  );

  // Intake from the pickup.
  const taken = await request(h.service.app)
    .post('/vehicle-intakes')
    .set('Authorization', operator)
    .send(intakeBody(site, vin.toLowerCase(), { pickupId }))
    .expect(201);
  const intakeId = taken.body.vehicleIntakeId as string;
  expect(taken.body).toMatchObject({
    vin,
    status: 'received',
    districtCode: 't03',
    plateMasked: '新N·***23',
    flags: { earlyRetiredDieselTruck: false, tradeInSubsidyEligible: true },
  });
  expect(JSON.stringify(taken.body)).not.toContain('65900219900517234X');

  const received = await h.waitForEvent(
    'recycling.vehicle.received.v1',
    (d) => d.vehicleIntakeId === intakeId,
  );
  expect(received.key).toBe(vin);
  expect(received.headers.ce_source).toBe('urn:recycling:659002:dismantling');
  const sellerKey = sellerKeyOf('resident-id-card', '65900219900517234X', FIXTURE_PEPPER);
  expect(received.data).toMatchObject({
    pickupId,
    districtCode: 't03',
    owner: { kind: 'person', sellerKey },
  });
  expect(JSON.stringify(received.data)).not.toContain('阿依古丽');

  const purchase = await h.waitForEvent(
    'recycling.purchase.recorded.v1',
    (d) => d.purchaseId === `vehicle:${intakeId}`,
  );
  expect(purchase.key).toBe(sellerKey);
  expect(purchase.data).toMatchObject({
    revision: 1,
    buyer: { enterpriseId: 'ent-alar-dismantling' },
    siteId: site,
    pickupId, // so invoicing can show the invoice to the resident who booked the pickup
    totalFen: 150_000,
    lines: [{ unit: '辆', quantity: '1', unitPriceFen: 150_000, amountFen: 150_000 }],
    seller: { name: '阿依古丽·买买提', idNumber: '65900219900517234X' },
  });

  // Taken in: no longer expected.
  const expected = await request(h.service.app)
    .get(`/expected-vehicles?dismantlerId=${site}`)
    .set('Authorization', operator);
  expect(expected.body.items.map((e: { pickupId: string }) => e.pickupId)).not.toContain(pickupId);

  // The same VIN cannot be taken in twice.
  const again = await request(h.service.app)
    .post('/vehicle-intakes')
    .set('Authorization', operator)
    .send(intakeBody(site, vin))
    .expect(409);
  expect(again.headers['content-type']).toContain('application/problem+json');
  expect(again.body).toMatchObject({ code: 'vin-already-taken', errors: [{ field: 'vin' }] });

  // Deregistration needs the certificate first.
  const early = await request(h.service.app)
    .post(`/vehicle-intakes/${intakeId}/deregistration`)
    .set('Authorization', operator)
    .send({})
    .expect(409);
  expect(early.body.code).toBe('certificate-required');

  const certified = await request(h.service.app)
    .post(`/vehicle-intakes/${intakeId}/certificate`)
    .set('Authorization', operator)
    .send({})
    .expect(200);
  const certificateNo = certified.body.certificate.certificateNo as string;
  expect(certificateNo).toMatch(new RegExp(`^${site}-\\d{4}-000001$`));

  // The pickup service closes its loop on this event: it must carry the pickup id.
  const issued = await h.waitForEvent(
    'recycling.vehicle.certificate-issued.v1',
    (d) => d.vehicleIntakeId === intakeId,
  );
  expect(issued.key).toBe(vin);
  expect(issued.data).toMatchObject({
    certificateNo,
    pickupId,
    dismantlerId: site,
    enterpriseId: 'ent-alar-dismantling',
  });

  // Asking again returns the same certificate and publishes nothing new.
  const twice = await request(h.service.app)
    .post(`/vehicle-intakes/${intakeId}/certificate`)
    .set('Authorization', operator)
    .send({})
    .expect(200);
  expect(twice.body.certificate.certificateNo).toBe(certificateNo);

  // The owner (the pickup's resident) and the site can print it; another resident cannot.
  const html = await request(h.service.app)
    .get(`/certificates/${certificateNo}`)
    .set('Authorization', `Bearer ${await token('resident', residentAccount)}`)
    .expect(200);
  expect(html.headers['content-type']).toContain('text/html');
  expect(html.text).toContain('报废机动车回收证明');
  expect(html.text).toContain('Scrapped Motor Vehicle Recycling Certificate');
  expect(html.text.indexOf('报废机动车回收证明')).toBeLessThan(html.text.indexOf('Scrapped Motor Vehicle'));
  expect(html.text).toContain(vin);
  expect(html.text).toContain('新BF-659002-001');
  expect(html.text).not.toContain('65900219900517234X');
  await request(h.service.app)
    .get(`/certificates/${certificateNo}`)
    .set('Authorization', operator)
    .expect(200);
  await request(h.service.app)
    .get(`/certificates/${certificateNo}`)
    .set('Authorization', `Bearer ${await token('resident', 'res-someone-else')}`)
    .expect(403);

  // A certified intake cannot be voided any more.
  const voidLate = await request(h.service.app)
    .post(`/vehicle-intakes/${intakeId}/void`)
    .set('Authorization', operator)
    .send({ reason: '录入错误' })
    .expect(409);
  expect(voidLate.body.code).toBe('certificate-already-issued');

  await request(h.service.app)
    .post(`/vehicle-intakes/${intakeId}/deregistration`)
    .set('Authorization', operator)
    .send({ trafficPoliceOffice: '阿拉尔市公安局交通警察支队车辆管理所' })
    .expect(200);
  const dereg = await h.waitForEvent(
    'recycling.vehicle.deregistration-requested.v1',
    (d) => d.vehicleIntakeId === intakeId,
  );
  expect(dereg.data).toMatchObject({ certificateNo, plateMasked: '新N·***23' });
  const outcome = await request(h.service.app)
    .put(`/vehicle-intakes/${intakeId}/deregistration/outcome`)
    .set('Authorization', operator)
    .send({ state: 'completed', deregistrationCertificateNo: 'ZX-2026-0042' })
    .expect(200);
  expect(outcome.body.deregistration).toMatchObject({
    state: 'completed',
    deregistrationCertificateNo: 'ZX-2026-0042',
  });
  // The outcome is published for the subsidy office: the certificate it names and the date.
  const deregistered = await h.waitForEvent(
    'recycling.vehicle.deregistered.v1',
    (d) => d.vehicleIntakeId === intakeId,
  );
  expect(deregistered.key).toBe(vin);
  expect(deregistered.data).toMatchObject({
    certificateNo,
    deregistrationCertificateNo: 'ZX-2026-0042',
    deregisteredOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
  });

  // Dismantling: all five assemblies, each to remanufacturing (coded) or scrap steel.
  const assemblies = fixtures['recycling.vehicle.dismantled.v1'].assemblies;
  const missing = await request(h.service.app)
    .post(`/vehicle-intakes/${intakeId}/dismantling`)
    .set('Authorization', operator)
    .send({ assemblies: assemblies.map((a) => (a.assembly === 'frame' ? { ...a, assembly: 'axles' } : a)) })
    .expect(400);
  expect(missing.body).toMatchObject({ code: 'assemblies-missing', errors: [{ field: 'assemblies' }] });
  const reinstalled = await request(h.service.app)
    .post(`/vehicle-intakes/${intakeId}/dismantling`)
    .set('Authorization', operator)
    .send({
      assemblies: assemblies.map((a) =>
        a.assembly === 'engine' ? { assembly: 'engine', disposition: 'reinstall' } : a,
      ),
    })
    .expect(400);
  expect(reinstalled.body.errors[0].field).toBe('assemblies.0.disposition');

  await request(h.service.app)
    .post(`/vehicle-intakes/${intakeId}/dismantling`)
    .set('Authorization', operator)
    .send({
      assemblies,
      reusedParts: fixtures['recycling.vehicle.dismantled.v1'].reusedParts,
      materials: fixtures['recycling.vehicle.dismantled.v1'].materials,
      photoIds: ['ph-after-1'],
    })
    .expect(200);
  const dismantled = await h.waitForEvent(
    'recycling.vehicle.dismantled.v1',
    (d) => d.vehicleIntakeId === intakeId,
  );
  expect(dismantled.key).toBe(vin);
  expect(dismantled.data.assemblies).toEqual(assemblies);

  const listed = await request(h.service.app)
    .get(`/vehicle-intakes?dismantlerId=${site}&status=received`)
    .set('Authorization', operator)
    .expect(200);
  expect(listed.body.items).toEqual([
    expect.objectContaining({
      vehicleIntakeId: intakeId,
      dismantling: expect.objectContaining({ photoIds: ['ph-after-1'] }),
    }),
  ]);

  // Everything about this vehicle, in order, exactly once each.
  await waitFor(() => h.eventsFor(vin).length >= 4, { what: 'the vehicle events' });
  expect(h.eventsFor(vin).map((e) => e.type)).toEqual([
    'recycling.vehicle.received.v1',
    'recycling.vehicle.certificate-issued.v1',
    'recycling.vehicle.deregistration-requested.v1',
    'recycling.vehicle.deregistered.v1',
    'recycling.vehicle.dismantled.v1',
  ]);
});

it('publishes a refused deregistration, and checks the outcome it is told', async () => {
  const operator = `Bearer ${await token('dismantler-operator', site)}`;
  const vin = freshVin();
  const taken = await request(h.service.app)
    .post('/vehicle-intakes')
    .set('Authorization', operator)
    .send(intakeBody(site, vin))
    .expect(201);
  const intakeId = taken.body.vehicleIntakeId as string;
  const certified = await request(h.service.app)
    .post(`/vehicle-intakes/${intakeId}/certificate`)
    .set('Authorization', operator)
    .send({})
    .expect(200);
  await request(h.service.app)
    .post(`/vehicle-intakes/${intakeId}/deregistration`)
    .set('Authorization', operator)
    .send({})
    .expect(200);
  const outcome = (body: object) =>
    request(h.service.app)
      .put(`/vehicle-intakes/${intakeId}/deregistration/outcome`)
      .set('Authorization', operator)
      .send(body);

  const noNumber = await outcome({ state: 'completed' }).expect(400);
  expect(noNumber.body.errors[0].field).toBe('deregistrationCertificateNo');
  const future = await outcome({
    state: 'completed',
    deregistrationCertificateNo: 'ZX-2099-0001',
    deregisteredOn: '2099-01-01',
  }).expect(400);
  expect(future.body).toMatchObject({ code: 'deregistration-date-in-future' });

  await outcome({ state: 'rejected', reason: '车辆存在未处理的交通违法记录' }).expect(200);
  const refused = await h.waitForEvent(
    'recycling.vehicle.deregistration-refused.v1',
    (d) => d.vehicleIntakeId === intakeId,
  );
  expect(refused.key).toBe(vin);
  expect(refused.data).toMatchObject({
    certificateNo: certified.body.certificate.certificateNo,
    reason: '车辆存在未处理的交通违法记录',
  });
  // Refused, the site may apply again.
  await request(h.service.app)
    .post(`/vehicle-intakes/${intakeId}/deregistration`)
    .set('Authorization', operator)
    .send({})
    .expect(200);
});
