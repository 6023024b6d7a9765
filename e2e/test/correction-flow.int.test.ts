// A station corrects an intake after the invoice was issued: invoicing reverses the invoice with a
// red-letter one (红冲) and issues a new one for the corrected purchase, and the statistics follow.
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
  type FeedItem,
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

const forSeller = (items: FeedItem[], idNumber: string) =>
  items.filter((i) => i.data.seller?.idNumber === idNumber);

it('reverses the invoice, reissues it for the corrected purchase and adjusts the statistics', async () => {
  const person = PEOPLE.li;
  const pickupId = await collectedAppliancePickup(e, 'r-e2e-3003', person);
  const recorded = await recordIntake(e, pickupId, person, { fridge: 12_000, washer: 8_000 });
  expect(recorded.status).toBe(201);
  const intakeId = recorded.body.intakeId as string;
  const [fridge, washer] = recorded.body.contents.lines as { lineId: string }[];

  const first = await waitFor(
    async () => forSeller(await readFeed(e), person.idNumber).find((i) => i.kind === 'issued'),
    { what: 'the first invoice', timeoutMs: 60_000 },
  );
  expect(first.data.totals.amountFen).toBe(20_000);
  await waitFor(async () => (await statCell(e, 'appliances', 'grams')) === 98_500, {
    what: 'statistics of the intake as first recorded',
    timeoutMs: 60_000,
  });

  // The washing machine is weighed again and paid 2 yuan more; the fridge stays as it was.
  const operator = await e.token('station-operator', STATION.siteId, 'op-e2e-1');
  const corrected = await e.call('sorting', 'POST', `/intakes/${intakeId}/corrections`, operator, {
    reason: '洗衣机补称重量，按实际重量调整收购价',
    lines: [
      {
        lineId: fridge!.lineId,
        category: 'refrigerator',
        units: 1,
        weightGrams: 62_500,
        condition: 'for-dismantling',
        priceFen: 12_000,
      },
      {
        lineId: washer!.lineId,
        category: 'washing-machine',
        units: 1,
        weightGrams: 40_000,
        condition: 'reusable',
        priceFen: 10_000,
      },
    ],
  });
  expect(corrected.status).toBe(201);
  expect(corrected.body.revision).toBe(2);

  // 红冲: a red-letter invoice cancels the first, then a blue one is issued for revision 2.
  const after = await waitFor(
    async () => {
      const mine = forSeller(await readFeed(e), person.idNumber);
      const reissued = mine.find((i) => i.kind === 'issued' && i.data.purchaseRevision === 2);
      return reissued && mine.some((i) => i.kind === 'reversed') && mine;
    },
    { what: 'the reversal and the reissued invoice', timeoutMs: 60_000 },
  );
  const reversal = after.filter((i) => i.kind === 'reversed');
  expect(reversal).toHaveLength(1);
  expect(reversal[0]!.data.originalInvoiceId).toBe(first.data.invoiceId);
  expect(reversal[0]!.data.totals.amountFen).toBe(-20_000);
  const issued = after.filter((i) => i.kind === 'issued');
  expect(issued).toHaveLength(2);
  const reissued = issued.find((i) => i.data.purchaseRevision === 2)!;
  expect(reissued.data.totals.amountFen).toBe(22_000);
  expect(reissued.data.purchaseId).toBe(first.data.purchaseId);
  // Net of the seller's documents: what the station paid in the end.
  expect(after.reduce((s, i) => s + (i.data.totals?.amountFen ?? 0), 0)).toBe(22_000);

  // Statistics restate the intake (weights of revision 2) and net the invoices of the month.
  await waitFor(async () => (await statCell(e, 'appliances', 'grams')) === 102_500, {
    what: 'statistics to restate the corrected intake',
    timeoutMs: 60_000,
  });
  expect(await statCell(e, 'appliances', 'units')).toBe(2);
  await waitFor(async () => (await statCell(e, 'invoices', 'amountFen')) === 22_000, {
    what: 'statistics to net the invoices',
    timeoutMs: 60_000,
  });
  expect(await statCell(e, 'invoices', 'issued')).toBe(2);
  expect(await statCell(e, 'invoices', 'reversed')).toBe(1);
});
