// A resident's old appliances from booking to the tax office: every service a separate process on the
// real broker and store, driven only through HTTP as its users drive it.
import {
  PEOPLE,
  STATION,
  collectedAppliancePickup,
  readFeed,
  recordIntake,
  setUpCity,
  startE2e,
  statCell,
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

it('books, collects, takes in, invoices, counts and marks the pickup delivered', async () => {
  const person = PEOPLE.wang;
  const resident = await e.token('resident', undefined, 'r-e2e-1001');
  const unitsBefore = await statCell(e, 'appliances', 'units');

  const pickupId = await collectedAppliancePickup(e, 'r-e2e-1001', person);
  const collected = await e.call('pickup', 'GET', `/pickups/${pickupId}`, resident);
  expect(collected.body.status).toBe('collected');
  expect(collected.body.assignedSite).toEqual({ kind: 'station', siteId: STATION.siteId });

  // The station sees the pickup among its expected arrivals before the goods are weighed.
  const operator = await e.token('station-operator', STATION.siteId, 'op-e2e-1');
  await waitFor(
    async () => {
      const arrivals = await e.call(
        'sorting',
        'GET',
        `/stations/${STATION.siteId}/expected-arrivals`,
        operator,
      );
      return arrivals.status === 200 && JSON.stringify(arrivals.body).includes(pickupId);
    },
    { what: 'the pickup among the station’s expected arrivals', timeoutMs: 60_000 },
  );

  // Without the seller's consent to reverse invoicing the station may not record the purchase.
  const noConsent = await e.call('sorting', 'POST', `/stations/${STATION.siteId}/intakes`, operator, {
    source: { kind: 'pickup', pickupId },
    seller: { kind: 'person', name: person.name, idType: 'resident-id-card', idNumber: person.idNumber },
    lines: [
      {
        category: 'refrigerator',
        units: 1,
        weightGrams: 62_500,
        condition: 'for-dismantling',
        priceFen: 12_000,
      },
    ],
  });
  expect(noConsent.status).toBe(400);
  expect(JSON.stringify(noConsent.body.errors)).toContain('seller.consentToReverseInvoicing');

  const intake = await recordIntake(e, pickupId, person);
  expect(intake.status).toBe(201);
  const intakeId = intake.body.intakeId as string;
  expect(intakeId).toBeTruthy();
  expect(intake.text).not.toContain(person.idNumber);

  // The pickup follows its goods: delivered to the station, referring to the intake.
  const delivered = await waitFor(
    async () => {
      const p = await e.call('pickup', 'GET', `/pickups/${pickupId}`, resident);
      return p.body.status === 'delivered' && p.body;
    },
    { what: 'the pickup delivered', timeoutMs: 60_000 },
  );
  expect(delivered.delivery.ref).toBe(intakeId);
  expect(delivered.history.map((h: { event: string }) => h.event)).toEqual([
    'requested',
    'scheduled',
    'collected',
    'intake-recorded',
  ]);

  // The enterprise issues the reverse invoice for the purchase; the tax office reads it in its feed.
  const invoice = await waitFor(
    async () =>
      (await readFeed(e)).find((i) => i.kind === 'issued' && i.data.seller?.idNumber === person.idNumber),
    { what: 'the invoice in the tax office feed', timeoutMs: 60_000 },
  );
  expect(invoice.data.issuer.enterpriseId).toBe(STATION.enterpriseId);
  expect(invoice.data.purchaseId).toContain(intakeId);
  expect(invoice.data.totals.amountFen).toBe(20_000);
  expect(invoice.data.seller.name).toBe(person.name);

  // Statistics count the two appliances and their weight in this city month.
  await waitFor(async () => (await statCell(e, 'appliances', 'units')) === unitsBefore + 2, {
    what: 'statistics to count the two appliances',
    timeoutMs: 60_000,
  });
  expect(await statCell(e, 'appliances', 'units', { dim: 'category', value: 'refrigerator' })).toBe(1);
  expect(await statCell(e, 'appliances', 'grams')).toBe(98_500);
  expect(await statCell(e, 'pickups', 'requested')).toBe(1);

  // An operator of the station reads its enterprise's invoices; the resident may not.
  const own = await e.call('invoicing', 'GET', `/enterprises/${STATION.enterpriseId}/invoices`, operator);
  expect(own.status).toBe(200);
  expect(own.body.items.map((i: { id: string }) => i.id)).toContain(invoice.id);
  expect((await e.call('invoicing', 'GET', `/feed/invoices`, resident)).status).toBe(403);
});
