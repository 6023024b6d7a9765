import { alarProfile, eventSource, type PurchaseRecordedData } from '@recycling/contracts';
import { issuers, people, purchaseRecorded } from '@recycling/contracts/fixtures';
import { collectMessages, uniqueName, waitFor } from '@recycling/testkit';
import { createEventFactory, registryCatalog } from '@recycling/messaging';
import request from 'supertest';
import { prepareDueDeclarations } from '../src/app/declarations';
import { processPurchase } from '../src/app/process-purchase';
import { decidePurchase } from '../src/domain/decide-purchase';
import { invoiceNumberFor } from '../src/app/create-documents';
import { numberSequenceOf } from '../src/domain/invoice-number';
import { startHarness, type Harness } from './harness';

// What must hold when things go wrong: a replay of the purchases topic from the start, a crash
// between deciding and creating the documents, concurrent number allocation, and the scheduler.

let h: Harness;
let admin: string;

beforeAll(async () => {
  // The service's clock in May 2025: the sales below are of open months (the scheduler's test moves it).
  h = await startHarness('invoicing-robust', { now: '2025-05-10T04:00:00Z' });
  admin = await h.token('administrator');
  for (const issuer of [issuers.lvyuan, issuers.dismantling]) {
    await request(h.service.app)
      .put(`/enterprises/${issuer.enterpriseId}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({
        name: issuer.name,
        taxpayerId: issuer.taxpayerId,
        qualification: { type: 'dismantler-certificate', number: 'CJ-659002-7' },
        vatMethod: issuer.vatMethod,
        status: 'active',
      })
      .expect(201);
  }
});

afterAll(async () => {
  await h?.stop();
});

const purchase = (
  seller: (typeof people)[keyof typeof people],
  fen: number,
  over: Partial<PurchaseRecordedData> = {},
): PurchaseRecordedData => ({
  ...purchaseRecorded,
  purchaseId: `intake:${uniqueName('I')}`,
  seller,
  lines: [{ ...purchaseRecorded.lines[0]!, unitPriceFen: fen, amountFen: fen }],
  totalFen: fen,
  ...over,
});

const recordsOf = (purchaseId: string) => h.models.InvoiceRecord.find({ purchaseId }).lean();

/** How many numbers of 2025 the city's issuers have claimed (one sequence for all of them). */
const numbersOf = async () => {
  const claims = await h.service.ctx.numbers.explain(numberSequenceOf('659002', '2025'));
  return claims.reduce((n, claim) => n + claim.last - claim.first + 1, 0);
};

it('replaying the purchases topic from the start changes nothing', async () => {
  const seller = people.wangJianxin;
  // 60,000 + 50,000 yuan crosses the threshold: the replay must not reissue or recount the month.
  const sales = [
    purchase(seller, 6_000_000, { occurredAt: '2025-05-03T04:00:00Z' }),
    purchase(seller, 5_000_000, {
      occurredAt: '2025-05-04T04:00:00Z',
      buyer: { enterpriseId: issuers.dismantling.enterpriseId },
    }),
  ];
  await h.publish(sales.map((s) => h.purchase('recorded', s)));
  await waitFor(async () => (await recordsOf(sales[1]!.purchaseId)).length === 1, {
    what: 'the second invoice',
  });
  const { InvoiceRecord, Ledger } = h.models;
  await waitFor(async () => (await recordsOf(sales[0]!.purchaseId)).length === 3, {
    what: 'the reissue of the first',
  });
  const before = {
    records: await InvoiceRecord.countDocuments(),
    numbers: await numbersOf(),
    ledger: await Ledger.findById(seller.sellerKey).lean(),
  };
  expect(before.ledger?.monthlySalesFen).toEqual({ '2025-05': 11_000_000 });

  // Stop, rewind the consumer group to the beginning, start again.
  await h.service.stop();
  const admin = h.kafka.admin();
  await admin.connect();
  await admin.resetOffsets({
    groupId: `${h.prefix}.invoicing.purchases`,
    topic: `${h.prefix}.recycling.purchases.v1`,
    earliest: true,
  });
  await admin.disconnect();
  await h.restart();

  const marker = purchase(seller, 100, { occurredAt: '2025-05-05T04:00:00Z' });
  await h.publish([h.purchase('recorded', marker)]);
  await waitFor(async () => (await recordsOf(marker.purchaseId)).length === 1, {
    what: 'the marker invoice',
  });

  expect(await h.models.InvoiceRecord.countDocuments()).toBe(before.records + 1);
  expect(await numbersOf()).toBe(before.numbers + 1);
  const after = await h.models.Ledger.findById(seller.sellerKey).lean();
  expect(after?.monthlySalesFen).toEqual({ '2025-05': 11_000_100 });
  expect(after?.active.map((a) => a.invoiceId).slice(0, -1)).toEqual(
    before.ledger?.active.map((a) => a.invoiceId),
  );
});

it('creates the documents of a decision that was saved just before a crash, once', async () => {
  const seller = people.ayigul;
  const ctx = h.service.ctx;
  const first = purchase(seller, 4_000);
  // Simulate the crash: the ledger holds the decision (and its marker) but no document was created.
  const decision = decidePurchase({
    purchase: {
      purchaseId: first.purchaseId,
      revision: 1,
      buyerId: issuers.lvyuan.enterpriseId,
      seller,
      lines: first.lines,
      totalFen: first.totalFen,
      occurredAt: first.occurredAt,
    },
    active: [],
    invoices: new Map(),
    enterprise: {
      ...issuers.lvyuan,
      qualification: { type: 'recycler-filing', number: 'BA-1' },
      status: 'active',
      siteIds: [],
    },
    rules: alarProfile.tax.reverseInvoicing,
    timeZone: alarProfile.timezone,
  });
  await h.models.Ledger.create({
    _id: seller.sellerKey,
    active: decision.active,
    monthlySalesFen: { '2025-03': 4_000 },
    applied: [{ purchaseId: first.purchaseId, revision: 1 }],
    pending: decision.documents,
    updatedAt: new Date(),
  });

  // The redelivered purchase is a duplicate, but the pending documents are created first.
  const redelivered = {
    purchaseId: first.purchaseId,
    revision: 1,
    buyerId: issuers.lvyuan.enterpriseId,
    seller,
    lines: first.lines,
    totalFen: first.totalFen,
    occurredAt: first.occurredAt,
  };
  expect(await processPurchase(ctx, redelivered)).toBe('duplicate');
  const records = await recordsOf(first.purchaseId);
  expect(records).toHaveLength(1);
  expect(records[0]!._id).toBe(decision.documents[0]!.invoiceId);
  expect((await h.models.Ledger.findById(seller.sellerKey).lean())?.pending).toEqual([]);
  // Running it again creates nothing more and allocates no further number.
  const numbers = await numbersOf();
  expect(await processPurchase(ctx, redelivered)).toBe('duplicate');
  expect(await recordsOf(first.purchaseId)).toHaveLength(1);
  expect(await numbersOf()).toBe(numbers);
});

it('allocates consecutive, distinct numbers to concurrent invoices, and one number per invoice', async () => {
  const ctx = h.service.ctx;
  // Invoices dated in a year nothing else of this file uses: its sequence starts at 1.
  const dated = '2031-06-01T04:00:00Z';
  const ids = Array.from({ length: 20 }, (_, i) => `inv-c-${i}`);
  const numbers = await Promise.all(ids.map((id) => invoiceNumberFor(ctx, dated, id)));
  for (const n of numbers) expect(n).toMatch(/^316590021\d{11}$/);
  const sequences = numbers.map((n) => Number(n.slice(9)));
  expect([...sequences].sort((a, b) => a - b)).toEqual(ids.map((_, i) => i + 1));
  expect(await invoiceNumberFor(ctx, dated, 'inv-c-7')).toBe(numbers[7]);
  // Every number names the invoice it went to.
  const claims = await ctx.numbers.explain(numberSequenceOf('659002', '2031'));
  expect(claims.map((c) => c.holder).sort()).toEqual([...ids].sort());
});

it("the scheduler prepares last month's declarations once, and again only when they change", async () => {
  const ctx = h.service.ctx;
  h.setNow('2025-06-20T04:00:00Z');
  const sale = purchase(people.liXiulan, 12_300, { occurredAt: '2025-06-10T04:00:00Z' });
  await h.publish([h.purchase('recorded', sale)]);
  await waitFor(async () => (await recordsOf(sale.purchaseId)).length === 1, { what: 'the June invoice' });

  const july = new Date('2025-07-01T01:00:00Z'); // 09:00 on July 1st in Alar
  expect(await prepareDueDeclarations(ctx, july)).toBe(1);
  expect(await prepareDueDeclarations(ctx, july)).toBe(0);
  const declaration = await h.models.Declaration.findById(
    `dec-${issuers.lvyuan.enterpriseId}-2025-06`,
  ).lean();
  expect(declaration).toMatchObject({ revision: 1, period: '2025-06' });

  const late = purchase(people.liXiulan, 1_000, { occurredAt: '2025-06-30T15:00:00Z' });
  await h.publish([h.purchase('recorded', late)]);
  await waitFor(async () => (await recordsOf(late.purchaseId)).length === 1, {
    what: 'the late June invoice',
  });
  expect(await prepareDueDeclarations(ctx, july)).toBe(1);
  const revised = await h.models.Declaration.findById(`dec-${issuers.lvyuan.enterpriseId}-2025-06`).lean();
  expect(revised).toMatchObject({ revision: 2, data: { summary: { salesFen: 13_300 } } });
});

it('serves its OpenAPI document to anyone, without a token (the contract is no secret)', async () => {
  const res = await request(h.service.app).get('/openapi.json').expect(200);
  expect(res.body.openapi).toBe('3.1.0');
  expect(Object.keys(res.body.paths)).toContain('/feed/invoices');
});

it("sends another city's purchase to the DLQ and invoices nothing", async () => {
  const dlq = await collectMessages(h.kafka, [`${h.prefix}.recycling.purchases.v1.dlq`]);
  try {
    const elsewhere = createEventFactory({
      catalog: registryCatalog,
      source: eventSource('650100', 'sorting'),
    });
    const sale = purchase(people.liXiulan, 2_000);
    await h.publish([elsewhere('recycling.purchase.recorded.v1', sale)]);
    const letter = await waitFor(
      () => dlq.received.find((m) => JSON.parse(m.value!).purchaseId === sale.purchaseId),
      {
        what: 'the dead letter',
      },
    );
    // Its own kind: the runbook says forward or drop, never replay (it would come straight back).
    expect(letter.headers['dlq-error-kind']).toBe('foreign-city');
    expect(letter.headers['dlq-reason']).toContain('another city');
    expect(await recordsOf(sale.purchaseId)).toHaveLength(0);
  } finally {
    await dlq.stop();
  }
});
