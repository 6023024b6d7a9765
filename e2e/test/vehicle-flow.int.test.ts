// A scrapped vehicle from the resident's booking to the certificate, deregistration, dismantling, the
// reverse invoice and the statistics, every service a separate process.
import {
  DISMANTLED,
  DISMANTLER,
  PEOPLE,
  freshVin,
  readFeed,
  setUpCity,
  startE2e,
  statCell,
  vehicleBooking,
  vehicleIntakeBody,
  waitFor,
  type E2e,
} from './support/network';

jest.setTimeout(300_000);

let e: E2e;

beforeAll(async () => {
  e = await startE2e();
  await setUpCity(e);
});

afterAll(async () => {
  await e?.stop();
});

it('takes a vehicle from pickup to certificate, deregistration, dismantling, invoice and statistics', async () => {
  const owner = PEOPLE.ayigul;
  const vin = freshVin();
  const resident = await e.token('resident', undefined, 'r-e2e-2002');
  const operator = await e.token('dismantler-operator', DISMANTLER.siteId, 'op-e2e-2');

  const booking = vehicleBooking(vin, owner.phone);
  const booked = await e.call('pickup', 'POST', '/pickups', resident, booking);
  expect(booked.status).toBe(201);
  const pickupId = booked.body.pickupId as string;
  expect(booked.body.assignedSite).toEqual({ kind: 'dismantler', siteId: DISMANTLER.siteId });
  expect((await e.call('pickup', 'POST', `/pickups/${pickupId}/schedule`, operator, {})).status).toBe(200);
  expect(
    (await e.call('pickup', 'POST', `/pickups/${pickupId}/collect`, operator, { vehicle: booking.vehicle }))
      .status,
  ).toBe(200);

  // The dismantler expects the vehicle (from the pickup events) before it arrives.
  await waitFor(
    async () => {
      const r = await e.call(
        'dismantling',
        'GET',
        `/expected-vehicles?dismantlerId=${DISMANTLER.siteId}`,
        operator,
      );
      return r.status === 200 && JSON.stringify(r.body).includes(pickupId);
    },
    { what: 'the vehicle among the expected ones', timeoutMs: 60_000 },
  );

  const taken = await e.call(
    'dismantling',
    'POST',
    '/vehicle-intakes',
    operator,
    vehicleIntakeBody(vin, owner, 150_000, pickupId),
  );
  expect(taken.status).toBe(201);
  const intakeId = taken.body.vehicleIntakeId as string;
  expect(taken.text).not.toContain(owner.idNumber);

  const delivered = await waitFor(
    async () => {
      const p = await e.call('pickup', 'GET', `/pickups/${pickupId}`, resident);
      return p.body.status === 'delivered' && p.body;
    },
    { what: 'the pickup delivered to the dismantler', timeoutMs: 60_000 },
  );
  expect(delivered.delivery.ref).toBeTruthy();

  const certified = await e.call(
    'dismantling',
    'POST',
    `/vehicle-intakes/${intakeId}/certificate`,
    operator,
    {},
  );
  expect(certified.status).toBeLessThan(300);
  const certificateNo = (certified.body.certificate?.certificateNo ?? certified.body.certificateNo) as string;
  expect(certificateNo).toMatch(new RegExp(`^${DISMANTLER.siteId}-\\d{4}-\\d{6}$`));
  // Asking again returns the same certificate.
  const again = await e.call('dismantling', 'POST', `/vehicle-intakes/${intakeId}/certificate`, operator, {});
  expect(again.body.certificate?.certificateNo ?? again.body.certificateNo).toBe(certificateNo);

  // The resident's pickup shows the certificate issued.
  const withCertificate = await waitFor(
    async () => {
      const p = await e.call('pickup', 'GET', `/pickups/${pickupId}`, resident);
      return p.body.status === 'certified' && p.body;
    },
    { what: 'the pickup certified', timeoutMs: 60_000 },
  );
  expect(withCertificate.certificate.certificateNo).toBe(certificateNo);

  // The resident who booked the pickup prints the certificate, Chinese first; another resident may not.
  const printable = await e.call('dismantling', 'GET', `/certificates/${certificateNo}`, resident);
  expect(printable.status).toBe(200);
  expect(printable.text).toContain('报废机动车回收证明');
  expect(printable.text.indexOf('报废机动车回收证明')).toBeLessThan(printable.text.indexOf('Scrapped'));
  expect(printable.text).toContain(certificateNo);
  const stranger = await e.token('resident', undefined, 'r-e2e-2999');
  expect((await e.call('dismantling', 'GET', `/certificates/${certificateNo}`, stranger)).status).toBe(403);

  const dereg = await e.call('dismantling', 'POST', `/vehicle-intakes/${intakeId}/deregistration`, operator, {
    trafficPoliceOffice: '阿拉尔市公安局交通警察支队车辆管理所',
  });
  expect(dereg.status).toBeLessThan(300);
  const outcome = await e.call(
    'dismantling',
    'PUT',
    `/vehicle-intakes/${intakeId}/deregistration/outcome`,
    operator,
    { state: 'completed', deregistrationCertificateNo: 'ZX-2026-0042' },
  );
  expect(outcome.status).toBe(200);
  const dismantled = await e.call(
    'dismantling',
    'POST',
    `/vehicle-intakes/${intakeId}/dismantling`,
    operator,
    {
      ...DISMANTLED,
      photoIds: ['ph-after-1'],
    },
  );
  expect(dismantled.status).toBe(200);

  // The dismantling enterprise issues the reverse invoice for the vehicle bought from a person.
  const invoice = await waitFor(
    async () =>
      (await readFeed(e)).find((i) => i.kind === 'issued' && i.data.seller?.idNumber === owner.idNumber),
    { what: 'the vehicle’s invoice in the feed', timeoutMs: 60_000 },
  );
  expect(invoice.data.issuer.enterpriseId).toBe(DISMANTLER.enterpriseId);
  expect(invoice.data.purchaseId).toBe(`vehicle:${intakeId}`);
  expect(invoice.data.totals.amountFen).toBe(150_000);

  // Statistics: one vehicle received, certified, deregistration requested and dismantled.
  await waitFor(async () => (await statCell(e, 'vehicles-dismantled', 'count')) === 1, {
    what: 'statistics to count the dismantled vehicle',
    timeoutMs: 60_000,
  });
  expect(await statCell(e, 'vehicles', 'count')).toBe(1);
  expect(await statCell(e, 'vehicles', 'grams', { dim: 'district', value: 't10' })).toBe(1_162_500);
  expect(await statCell(e, 'vehicle-certificates', 'count')).toBe(1);
  expect(await statCell(e, 'vehicle-deregistrations', 'count')).toBe(1);
  expect(await statCell(e, 'dismantled-materials', 'grams', { dim: 'material', value: 'ferrous' })).toBe(
    712_000,
  );
  await waitFor(async () => (await statCell(e, 'invoices', 'amountFen')) === 150_000, {
    what: 'statistics to count the invoice',
    timeoutMs: 60_000,
  });
});
