import {
  alarProfile,
  residentKeyOf,
  type PickupRequestedData,
  type PurchaseRecordedData,
} from '@recycling/contracts';
import { issuers, people, pickupRequested, purchaseRecorded, sites } from '@recycling/contracts/fixtures';
import { uniqueName, waitFor } from '@recycling/testkit';
import request from 'supertest';
import { processPurchase } from '../src/app/process-purchase';
import { decidePurchase, type PurchaseRevision } from '../src/domain/decide-purchase';
import { TEST_SELLER_KEY_SECRET, startHarness, type Harness } from './harness';

// A resident reads the invoices of the purchases that came through the pickups they booked. The
// pickups topic (who booked) and the purchases topic (which pickup the goods came through) arrive
// in any order; the answer is the same either way.

let h: Harness;

const enterpriseBody = {
  name: issuers.lvyuan.name,
  taxpayerId: issuers.lvyuan.taxpayerId,
  qualification: { type: 'recycler-filing', number: 'BA-659002-0042' },
  vatMethod: issuers.lvyuan.vatMethod,
  status: 'active',
  siteIds: [sites.station.siteId],
};

beforeAll(async () => {
  // The service's clock in March 2025, when its sales are dated (an open month).
  h = await startHarness('invoicing-residents', { now: '2025-03-25T04:00:00Z' });
  await request(h.service.app)
    .put(`/enterprises/${issuers.lvyuan.enterpriseId}`)
    .set('Authorization', `Bearer ${await h.token('administrator')}`)
    .send(enterpriseBody)
    .expect(201);
});

afterAll(async () => {
  await h?.stop();
});

const pickupOf = (pickupId: string, residentAccount: string): PickupRequestedData => ({
  ...pickupRequested,
  pickupId,
  residentKey: residentKeyOf(residentAccount, TEST_SELLER_KEY_SECRET),
});

const purchase = (fen: number, over: Partial<PurchaseRecordedData> = {}): PurchaseRecordedData => ({
  ...purchaseRecorded,
  purchaseId: `intake:${uniqueName('I')}`,
  lines: [{ ...purchaseRecorded.lines[0]!, unitPriceFen: fen, amountFen: fen }],
  totalFen: fen,
  ...over,
});

interface Item {
  invoiceNo: string;
  status: string;
  pickupId: string;
  purchaseId: string;
  amountFen: number;
  vatFen: number;
  enterprise: { name: string };
  seller: { nameMasked: string; idNumberMasked: string };
  originalInvoiceNo?: string;
  reversedByInvoiceNo?: string;
}

async function myInvoices(account: string): Promise<Item[]> {
  const res = await request(h.service.app)
    .get('/residents/me/invoices')
    .set('Authorization', `Bearer ${await h.token('resident', account)}`)
    .expect(200);
  return res.body.items as Item[];
}

/** The invoice records of a purchase, once the purchase has been decided. */
const decided = (purchaseId: string, count: number) =>
  waitFor(
    async () => {
      const n = await h.models.InvoiceRecord.countDocuments({ purchaseId });
      return n >= count || undefined;
    },
    { what: `${count} documents of ${purchaseId}` },
  );

it('shows the invoice once both halves are in, whichever topic arrives first', async () => {
  const account = `r-${uniqueName('a')}`;
  // Purchase first: the invoice exists, but nothing yet says whose pickup it was.
  const late = uniqueName('pk-late');
  const first = purchase(30_000, { pickupId: late });
  await h.publish([h.purchase('recorded', first)]);
  await decided(first.purchaseId, 1);
  expect(await myInvoices(account)).toEqual([]);
  const booked = h.pickupRequested(pickupOf(late, account));
  await h.publish([booked, booked]); // delivered twice
  // Pickup first: the invoice shows as soon as it is issued.
  const early = uniqueName('pk-early');
  await h.publish([h.pickupRequested(pickupOf(early, account))]);
  const second = purchase(12_345, { pickupId: early });
  await h.publish([h.purchase('recorded', second)]);

  const items = await waitFor(
    async () => {
      const found = await myInvoices(account);
      return found.length === 2 && found;
    },
    { what: 'both invoices for the resident' },
  );
  expect(items.map((i) => [i.pickupId, i.purchaseId, i.amountFen, i.status]).sort()).toEqual(
    [
      [early, second.purchaseId, 12_345, 'issued'],
      [late, first.purchaseId, 30_000, 'issued'],
    ].sort(),
  );
  expect(items[0]).toMatchObject({
    enterprise: { name: issuers.lvyuan.name },
    vatFen: 0,
    seller: { nameMasked: '王**', idNumberMasked: expect.stringMatching(/^\d{6}\*+\w{4}$/) },
  });
  // The seller is masked: the resident who booked need not be the person who sold.
  const body = JSON.stringify(items);
  expect(body).not.toContain(people.wangJianxin.idNumber);
  expect(body).not.toContain(people.wangJianxin.name);
  expect(body).not.toContain(people.wangJianxin.sellerKey);
  // The redelivered pickup event listed the pickup once; each pickup lists its own invoice.
  const resident = await h.models.ResidentPickups.findById(
    residentKeyOf(account, TEST_SELLER_KEY_SECRET),
  ).lean();
  expect(resident?.pickupIds.sort()).toEqual([early, late].sort());
  const listed = await h.models.PickupInvoices.findById(late).lean();
  expect(listed?.invoiceIds).toHaveLength(1);
});

it('lists the red-letter reversal and the reissue of a corrected purchase; nobody else sees them', async () => {
  const account = `r-${uniqueName('b')}`;
  const pickupId = uniqueName('pk-corr');
  const foreign = uniqueName('pk-foreign');
  await h.publish([
    h.pickupRequested(pickupOf(pickupId, account)),
    // The same resident key in another city's network is not ours (decision 1).
    h.pickupRequested(pickupOf(foreign, account), { cityCode: '650100' }),
  ]);
  const original = purchase(20_000, { pickupId });
  await h.publish([h.purchase('recorded', original)]);
  await decided(original.purchaseId, 1);
  await h.publish([
    h.purchase('corrected', {
      ...original,
      revision: 2,
      reason: '洗衣机补称重量，按实际重量调整收购价',
      lines: [{ ...original.lines[0]!, unitPriceFen: 19_000, amountFen: 19_000 }],
      totalFen: 19_000,
      occurredAt: '2025-03-01T07:20:00Z',
    }),
  ]);
  await decided(original.purchaseId, 3);
  // A walk-in sale by the same seller names no pickup; nor is the other city's pickup ours.
  const walkIn = purchase(5_000);
  delete walkIn.pickupId;
  await h.publish([h.purchase('recorded', walkIn)]);
  const foreignPurchase = purchase(7_000, { pickupId: foreign });
  await h.publish([h.purchase('recorded', foreignPurchase)]);
  await decided(walkIn.purchaseId, 1);
  await decided(foreignPurchase.purchaseId, 1);

  const items = await myInvoices(account);
  expect(items.map((i) => [i.status, i.amountFen])).toEqual([
    // Newest first; the reversal and the reissue share the correction's time, numbered in that order.
    ['issued', 19_000],
    ['red-letter', -20_000],
    ['reversed', 20_000],
  ]);
  const [reissue, red, reversed] = items;
  expect(red!.originalInvoiceNo).toBe(reversed!.invoiceNo);
  expect(reversed!.reversedByInvoiceNo).toBe(red!.invoiceNo);
  expect(reissue!.invoiceNo).not.toBe(reversed!.invoiceNo);
  expect(items.every((i) => i.pickupId === pickupId)).toBe(true);

  // Another resident sees none of it; other roles may not ask.
  expect(await myInvoices(`r-${uniqueName('c')}`)).toEqual([]);
  for (const [role, scope] of [
    ['station-operator', sites.station.siteId],
    ['tax-officer', undefined],
    ['administrator', undefined],
  ] as const) {
    await request(h.service.app)
      .get('/residents/me/invoices')
      .set('Authorization', `Bearer ${await h.token(role, scope)}`)
      .expect(403);
  }
});

it('keeps each invoice with its own pickup when a month crossing reissues invoices of other purchases', async () => {
  const account = `r-${uniqueName('d')}`;
  const seller = people.ayigul; // only this test sells as her, so the month is hers alone
  const [pA, pB] = [uniqueName('pk-a'), uniqueName('pk-b')];
  await h.publish([h.pickupRequested(pickupOf(pA, account)), h.pickupRequested(pickupOf(pB, account))]);
  const a = purchase(6_000_000, { pickupId: pA, seller, occurredAt: '2025-03-05T04:00:00Z' });
  const walkIn = purchase(3_000_000, { seller, occurredAt: '2025-03-12T04:00:00Z' });
  delete walkIn.pickupId;
  const b = purchase(2_000_000, { pickupId: pB, seller, occurredAt: '2025-03-20T04:00:00Z' });
  for (const p of [a, walkIn, b]) {
    await h.publish([h.purchase('recorded', p)]);
    await decided(p.purchaseId, 1);
  }
  // The third sale takes the month over 100,000 yuan: the first two are reversed and reissued at 1%.
  // (The pickups list their invoices just after the invoices are inserted: wait for what is shown.)
  const items = await waitFor(
    async () => {
      const found = await myInvoices(account);
      return found.length === 4 && found;
    },
    { what: "the resident's four invoices" },
  );
  const byPurchase = (id: string) => items.filter((i) => i.purchaseId === id).map((i) => i.status);
  expect(byPurchase(a.purchaseId).sort()).toEqual(['issued', 'red-letter', 'reversed']);
  expect(byPurchase(b.purchaseId)).toEqual(['issued']);
  expect(byPurchase(walkIn.purchaseId)).toEqual([]); // the walk-in sale is nobody's pickup
  expect(items.filter((i) => i.purchaseId === a.purchaseId).every((i) => i.pickupId === pA)).toBe(true);
  const reissueOfA = items.find((i) => i.purchaseId === a.purchaseId && i.status === 'issued');
  expect(reissueOfA).toMatchObject({ amountFen: 6_000_000, vatFen: 60_000 });
});

it('lists an invoice whose pickup a crash left unlisted, once the plan is carried out again', async () => {
  const account = `r-${uniqueName('e')}`;
  const pickupId = uniqueName('pk-crash');
  await h.publish([h.pickupRequested(pickupOf(pickupId, account))]);
  const seller = people.liXiulan; // only this test sells as her
  const sale = purchase(8_800, { pickupId, seller });
  const revision: PurchaseRevision = {
    purchaseId: sale.purchaseId,
    revision: 1,
    buyerId: issuers.lvyuan.enterpriseId,
    seller,
    lines: sale.lines,
    totalFen: sale.totalFen,
    occurredAt: sale.occurredAt,
    pickupId,
  };
  const decision = decidePurchase({
    purchase: revision,
    active: [],
    invoices: new Map(),
    enterprise: { ...issuers.lvyuan, ...enterpriseBody, status: 'active', siteIds: [] } as never,
    rules: alarProfile.tax.reverseInvoicing,
    timeZone: alarProfile.timezone,
  });
  expect(decision.documents.map((d) => d.pickupId)).toEqual([pickupId]);
  const ctx = h.service.ctx;
  const crashedWith = {
    _id: seller.sellerKey,
    active: decision.active,
    monthlySalesFen: { '2025-03': 8_800 },
    applied: [{ purchaseId: sale.purchaseId, revision: 1 }],
    pending: decision.documents,
    updatedAt: new Date(),
  };
  // The crash came after the decision was saved: the redelivery carries out the plan, list included.
  await h.models.Ledger.create(crashedWith);
  expect(await processPurchase(ctx, revision)).toBe('duplicate');
  const listed = async () => (await h.models.PickupInvoices.findById(pickupId).lean())?.invoiceIds;
  expect(await listed()).toEqual([decision.documents[0]!.invoiceId]);
  // The crash came after the invoice was inserted but before the pickup listed it.
  await h.models.PickupInvoices.deleteOne({ _id: pickupId });
  await h.models.Ledger.updateOne({ _id: seller.sellerKey }, { $set: { pending: decision.documents } });
  expect(await processPurchase(ctx, revision)).toBe('duplicate');
  expect(await listed()).toEqual([decision.documents[0]!.invoiceId]);
  expect(await h.models.InvoiceRecord.countDocuments({ purchaseId: sale.purchaseId })).toBe(1);

  const items = await waitFor(
    async () => {
      const found = await myInvoices(account);
      return found.length === 1 && found;
    },
    { what: 'the invoice for the resident' },
  );
  expect(items[0]).toMatchObject({ pickupId, amountFen: 8_800, status: 'issued' });
});
