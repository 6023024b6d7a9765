import {
  residentIdCheckCharacter,
  sellerKeyOf,
  type InvoiceIssuedData,
  type InvoiceReversedData,
  type PurchaseCorrectedData,
  type PurchaseRecordedData,
  type SellerIdentity,
} from '@recycling/contracts';
import { FIXTURE_PEPPER, issuers, purchaseRecorded } from '@recycling/contracts/fixtures';
import { collectMessages, uniqueName, waitFor } from '@recycling/testkit';
import { randomInt } from 'node:crypto';
import { putEnterprise } from '../src/app/enterprises';
import { processPurchases } from '../src/app/process-purchase';
import type { PurchaseRevision } from '../src/domain/decide-purchase';
import { numberSequenceOf } from '../src/domain/invoice-number';
import type { LedgerPlanDoc } from '../src/store/models';
import { readPlan, type LedgerPlan } from '../src/store/seller-ledger-repository';
import { EVENTS_PER_DOCUMENT } from '../src/store/invoice-repository';
import { startHarness, type Harness } from './harness';

// Runs of purchases applied in bulk (the consumer's batch handler): several sellers in one run, in
// order; a crash between the ledgers' write and the documents; a poison purchase in a run; the
// enterprise cache; runs that share sellers waiting for each other.

let h: Harness;

const LVYUAN = issuers.lvyuan.enterpriseId;
const DISMANTLING = issuers.dismantling.enterpriseId;

beforeAll(async () => {
  // The service's clock in April 2025: March (filed by April 15th) and April are open months.
  h = await startHarness('invoicing-runs', { now: '2025-04-10T04:00:00Z' });
  for (const issuer of [issuers.lvyuan, issuers.dismantling]) {
    await putEnterprise(h.service.ctx, issuer.enterpriseId, {
      name: issuer.name,
      taxpayerId: issuer.taxpayerId,
      qualification: { type: 'recycler-filing', number: 'BA-659002-9' },
      vatMethod: issuer.vatMethod,
      status: 'active',
      siteIds: [],
    });
  }
});

afterAll(async () => {
  await h?.stop();
});

/** A seller of their own for every test (well-formed id numbers, distinct within this file). */
let sellers = randomInt(1000);
function newSeller(name = '测试卖家'): SellerIdentity {
  const first17 = `65900219850101${String(sellers++ % 1000).padStart(3, '0')}`;
  const idNumber = first17 + residentIdCheckCharacter(first17);
  return {
    sellerKey: sellerKeyOf('resident-id-card', idNumber, FIXTURE_PEPPER),
    name,
    idType: 'resident-id-card',
    idNumber,
  };
}

const revision = (
  seller: SellerIdentity,
  fen: number,
  over: Partial<PurchaseRevision> = {},
): PurchaseRevision => ({
  purchaseId: `intake:${uniqueName('R')}`,
  revision: 1,
  buyerId: LVYUAN,
  seller,
  lines: [{ ...purchaseRecorded.lines[0]!, unitPriceFen: fen, amountFen: fen }],
  totalFen: fen,
  occurredAt: '2025-04-03T04:00:00Z',
  ...over,
});

const correction = (of: PurchaseRevision, fen: number): PurchaseRevision => ({
  ...of,
  revision: of.revision + 1,
  reason: '复称后调整收购价',
  lines: [{ ...of.lines[0]!, unitPriceFen: fen, amountFen: fen }],
  totalFen: fen,
  occurredAt: '2025-04-03T09:00:00Z',
});

const recordsOf = (...purchaseIds: string[]) =>
  h.models.InvoiceRecord.find({ purchaseId: { $in: purchaseIds } })
    .sort({ invoiceNo: 1 })
    .lean();
/** The documents a stored plan holds, per seller. */
const planned = (plan: LedgerPlanDoc | null): LedgerPlan['sellers'] => (plan ? readPlan(plan) : []);
/** The sequence part of a 数电票-shaped number (after year, region and channel). */
const numberOf = (invoiceNo: string | null) => Number(invoiceNo!.slice(9));
const SEQUENCE_2025 = numberSequenceOf('659002', '2025');
/** How many numbers of 2025 the city's issuers have claimed (every claim names what it went to). */
const claimed = async () =>
  (await h.service.ctx.numbers.explain(SEQUENCE_2025)).reduce((n, c) => n + c.last - c.first + 1, 0);

it('applies a run that mixes sellers, a correction and a month crossing, each seller in order', async () => {
  const [a, b, c] = [newSeller('甲'), newSeller('乙'), newSeller('丙')];
  const a1 = revision(a, 20_000);
  const b1 = revision(b, 6_000_000);
  const a1fix = correction(a1, 15_000);
  const b2 = revision(b, 5_000_000, { buyerId: DISMANTLING }); // B's month crosses 100,000 yuan
  const c1 = revision(c, 9_000, { buyerId: 'ent-not-registered' });
  const numbersBefore = await claimed();

  const outcomes = await processPurchases(h.service.ctx, [a1, b1, a1fix, b2, c1]);
  expect(outcomes).toEqual(['issued', 'issued', 'issued', 'issued', 'refused']);

  // A: the first invoice, its red-letter reversal naming its number, and the corrected invoice.
  const ofA = await recordsOf(a1.purchaseId);
  expect(ofA.map((r) => [r.kind, r.purchaseRevision])).toEqual([
    ['issued', 1],
    ['reversed', 2],
    ['issued', 2],
  ]);
  const reversalOfA = ofA[1]!.data as unknown as InvoiceReversedData;
  expect(reversalOfA).toMatchObject({ originalInvoiceId: ofA[0]!._id, originalInvoiceNo: ofA[0]!.invoiceNo });
  // B: the crossing reverses the month's exempt invoice and reissues it at 1%, by its own issuer.
  const ofB1 = await recordsOf(b1.purchaseId);
  expect(ofB1.map((r) => [r.kind, (r.data as unknown as InvoiceIssuedData).vatTreatment])).toEqual([
    ['issued', 'exempt'],
    ['reversed', 'exempt'],
    ['issued', 'reduced'],
  ]);
  expect((ofB1[1]!.data as unknown as InvoiceReversedData).originalInvoiceNo).toBe(ofB1[0]!.invoiceNo);
  expect((await recordsOf(b2.purchaseId)).map((r) => [r.kind, r.issuerId])).toEqual([
    ['issued', DISMANTLING],
  ]);
  expect((await recordsOf(c1.purchaseId)).map((r) => r.data.reasonCode)).toEqual(['unknown-issuer']);

  // The run's numbers, whoever issues them: one claim of the city's sequence, consecutive, in the
  // order the documents were decided (b2's invoice, then the month's reversal and reissue of b1).
  const [ofB2] = await recordsOf(b2.purchaseId);
  const runDocs = [ofA[0], ofB1[0], ofA[1], ofA[2], ofB2, ofB1[1], ofB1[2]];
  const order = runDocs.map((r) => numberOf(r!.invoiceNo));
  expect(order).toEqual(order.map((_, i) => order[0]! + i));
  expect(await claimed()).toBe(numbersBefore + runDocs.length);

  // The ledgers: totals after the run, every plan cleared.
  const ledgers = await h.models.Ledger.find({
    _id: { $in: [a.sellerKey, b.sellerKey, c.sellerKey] },
  }).lean();
  const byKey = new Map(ledgers.map((l) => [l._id, l]));
  expect(byKey.get(a.sellerKey)?.monthlySalesFen).toEqual({ '2025-04': 15_000 });
  expect(byKey.get(b.sellerKey)?.monthlySalesFen).toEqual({ '2025-04': 11_000_000 });
  expect(byKey.get(c.sellerKey)?.applied).toEqual([{ purchaseId: c1.purchaseId, revision: 1 }]);
  expect(ledgers.every((l) => l.pending.length === 0)).toBe(true);

  // The same run delivered again changes nothing and claims no number.
  const records = await h.models.InvoiceRecord.countDocuments();
  expect(await processPurchases(h.service.ctx, [a1, b1, a1fix, b2, c1])).toEqual(Array(5).fill('duplicate'));
  expect(await h.models.InvoiceRecord.countDocuments()).toBe(records);
  expect(await claimed()).toBe(numbersBefore + runDocs.length);
});

it('finishes, after a crash between the ledgers and the documents, the plan with its numbers, once', async () => {
  const ctx = h.service.ctx;
  const [a, b] = [newSeller(), newSeller()];
  const a1 = revision(a, 30_000);
  const b1 = revision(b, 40_000);
  const a1fix = correction(a1, 25_000);
  const run = [a1, b1, a1fix];
  const claimedBefore = await claimed();

  const save = ctx.ledgers.save.bind(ctx.ledgers);
  const crash = jest.spyOn(ctx.ledgers, 'save').mockImplementationOnce(async (states) => {
    await save(states);
    throw new Error('crashed after the ledger write');
  });
  try {
    await expect(processPurchases(ctx, run)).rejects.toThrow('crashed after the ledger write');
  } finally {
    crash.mockRestore();
  }
  // The decisions are saved, naming the run's plan, which holds the numbered documents; none exists yet.
  const ledgerOfA = await h.models.Ledger.findById(a.sellerKey).lean();
  const plan = await h.models.LedgerPlan.findById(ledgerOfA?.plan).lean();
  const planOfA = planned(plan).find((s) => s.sellerKey === a.sellerKey)?.entries ?? [];
  expect(planOfA.map((d) => [d.kind, typeof d.invoiceNo])).toEqual([
    ['issued', 'string'],
    ['reversed', 'string'],
    ['issued', 'string'],
  ]);
  expect((await h.models.Ledger.findById(b.sellerKey).lean())?.plan).toBe(plan?._id);
  expect(await recordsOf(a1.purchaseId, b1.purchaseId)).toHaveLength(0);

  // The redelivery: every revision is a duplicate, and the plan is carried out first, then removed.
  expect(await processPurchases(ctx, run)).toEqual(['duplicate', 'duplicate', 'duplicate']);
  const records = await recordsOf(a1.purchaseId, b1.purchaseId);
  expect(records).toHaveLength(4);
  const ofA = records.filter((r) => r.sellerKey === a.sellerKey);
  expect(ofA.map((r) => r.invoiceNo)).toEqual(planOfA.map((d) => d.invoiceNo));
  expect((ofA[1]!.data as unknown as InvoiceReversedData).originalInvoiceNo).toBe(ofA[0]!.invoiceNo);
  expect(await claimed()).toBe(claimedBefore + 4); // the run's claim, all of it used
  expect(await h.models.LedgerPlan.findById(plan?._id).lean()).toBeNull();

  // A crash after the documents, before the plan is removed: again nothing is issued twice.
  const c1 = revision(newSeller(), 5_000);
  const remove = jest
    .spyOn(ctx.ledgers, 'removePlan')
    .mockRejectedValueOnce(new Error('crashed before removing the plan'));
  try {
    await expect(processPurchases(ctx, [c1])).rejects.toThrow('crashed before removing the plan');
  } finally {
    remove.mockRestore();
  }
  const [issued] = await recordsOf(c1.purchaseId);
  expect(await processPurchases(ctx, [c1])).toEqual(['duplicate']);
  expect(await recordsOf(c1.purchaseId)).toEqual([issued]);
  expect(await claimed()).toBe(claimedBefore + 5);
  expect(await h.models.LedgerPlan.countDocuments()).toBe(0);
});

it('creates only the documents of the sellers whose ledger names the plan, after a partial write', async () => {
  const ctx = h.service.ctx;
  const [a, b] = [newSeller(), newSeller()];
  const run = [revision(a, 11_000), revision(b, 12_000)];
  const claimedBefore = await claimed();
  // The crash comes after the first ledger's write, before the second's.
  const save = ctx.ledgers.save.bind(ctx.ledgers);
  const crash = jest.spyOn(ctx.ledgers, 'save').mockImplementationOnce(async (states) => {
    await save(states.slice(0, 1));
    throw new Error('crashed between two ledger writes');
  });
  try {
    await expect(processPurchases(ctx, run)).rejects.toThrow('crashed between two ledger writes');
  } finally {
    crash.mockRestore();
  }
  expect((await h.models.Ledger.findById(b.sellerKey).lean())?.plan ?? null).toBeNull();
  const planId = (await h.models.Ledger.findById(a.sellerKey).lean())?.plan;
  const plan = await h.models.LedgerPlan.findById(planId).lean();
  const plannedForB = planned(plan).find((s) => s.sellerKey === b.sellerKey)?.entries[0]?.invoiceNo;
  expect(plannedForB).toEqual(expect.any(String));

  // The redelivery: A's invoice from the plan, B's decided again with a new claim. The number the
  // plan held for B is never used nor reused, and its claim names what it was for.
  expect(await processPurchases(ctx, run)).toEqual(['duplicate', 'issued']);
  const records = await recordsOf(...run.map((p) => p.purchaseId));
  expect(records.map((r) => r.sellerKey).sort()).toEqual([a.sellerKey, b.sellerKey].sort());
  expect(records.map((r) => r.invoiceNo)).not.toContain(plannedForB);
  expect(await claimed()).toBe(claimedBefore + 3);
  const claims = await ctx.numbers.explain(SEQUENCE_2025);
  const n = numberOf(plannedForB!);
  expect(claims.find((c) => c.first <= n && n <= c.last)?.holder).toMatch(/^run-/);
  expect(await h.models.LedgerPlan.findById(planId).lean()).toBeNull();
});

it('recovers through the consumer: a run whose ledger write crashed once is applied again, once', async () => {
  const ctx = h.service.ctx;
  const sellers = [newSeller(), newSeller(), newSeller()];
  const sales: PurchaseRecordedData[] = sellers.flatMap((seller, i) =>
    [1, 2].map((k) => ({
      ...purchaseRecorded,
      purchaseId: `intake:${uniqueName(`C${i}${k}`)}`,
      seller,
      buyer: { enterpriseId: LVYUAN },
      lines: [{ ...purchaseRecorded.lines[0]!, unitPriceFen: 1_000 * k, amountFen: 1_000 * k }],
      totalFen: 1_000 * k,
    })),
  );
  const save = ctx.ledgers.save.bind(ctx.ledgers);
  let crashed = 0;
  const crash = jest.spyOn(ctx.ledgers, 'save').mockImplementationOnce(async (states) => {
    await save(states);
    crashed += 1;
    throw new Error('crashed after the ledger write');
  });
  const claimedBefore = await claimed();
  const published = await collectMessages(h.kafka, [`${h.prefix}.recycling.invoices.v1`]);
  const ids = new Set(sales.map((s) => s.purchaseId));
  const eventsOf = () =>
    published.received
      .map((m) => JSON.parse(m.value!) as InvoiceIssuedData)
      .filter((e) => ids.has(e.purchaseId));
  try {
    await h.publish(sales.map((s) => h.purchase('recorded', s)));
    await waitFor(
      async () => (await recordsOf(...sales.map((s) => s.purchaseId))).length === sales.length || undefined,
      { what: 'an invoice for every purchase' },
    );
    await waitFor(() => eventsOf().length >= sales.length || undefined, { what: 'their events' });
    await new Promise((resolve) => setTimeout(resolve, 500)); // a second event would come now
  } finally {
    crash.mockRestore();
    await published.stop();
  }
  expect(crashed).toBe(1);
  const records = await recordsOf(...sales.map((s) => s.purchaseId));
  expect(records.map((r) => r.purchaseId).sort()).toEqual(sales.map((s) => s.purchaseId).sort());
  expect(new Set(records.map((r) => r.invoiceNo)).size).toBe(sales.length);
  // One event per invoice, saying what the invoice says.
  expect(
    eventsOf()
      .map((e) => [e.invoiceId, e.invoiceNo])
      .sort(),
  ).toEqual(records.map((r) => [r._id, r.invoiceNo]).sort());
  expect(await claimed()).toBe(claimedBefore + sales.length);
  const ledgers = await h.models.Ledger.find({ _id: { $in: sellers.map((s) => s.sellerKey) } }).lean();
  expect(ledgers.map((l) => l.monthlySalesFen['2025-03'])).toEqual([3_000, 3_000, 3_000]);
  expect(ledgers.every((l) => l.pending.length === 0)).toBe(true);
});

it('dead-letters a poison purchase of a run alone and invoices the rest, each seller in order', async () => {
  const dlq = await collectMessages(h.kafka, [`${h.prefix}.recycling.purchases.v1.dlq`]);
  try {
    const [a, b] = [newSeller(), newSeller()];
    const sale = (seller: SellerIdentity, fen: number): PurchaseRecordedData => ({
      ...purchaseRecorded,
      purchaseId: `intake:${uniqueName('P')}`,
      seller,
      buyer: { enterpriseId: LVYUAN },
      lines: [{ ...purchaseRecorded.lines[0]!, unitPriceFen: fen, amountFen: fen }],
      totalFen: fen,
    });
    // B's ledger names an invoice the store does not hold (damaged by hand): a correction of its
    // purchase cannot be decided, however often it is tried.
    const damaged = sale(b, 2_000);
    await h.models.Ledger.create({
      _id: b.sellerKey,
      active: [
        {
          invoiceId: 'inv-not-stored',
          issuerId: LVYUAN,
          purchaseId: damaged.purchaseId,
          period: '2025-03',
          amountFen: 2_000,
          vatRateBp: 0,
        },
      ],
      monthlySalesFen: { '2025-03': 2_000 },
      applied: [{ purchaseId: damaged.purchaseId, revision: 1 }],
      pending: [],
      updatedAt: new Date(),
    });
    const poison: PurchaseCorrectedData = { ...damaged, revision: 2, reason: '复称', totalFen: 1_500 };
    poison.lines = [{ ...damaged.lines[0]!, unitPriceFen: 1_500, amountFen: 1_500 }];
    const [a1, b2, a2] = [sale(a, 1_000), sale(b, 3_000), sale(a, 4_000)];
    await h.publish([
      h.purchase('recorded', a1),
      h.purchase('corrected', poison),
      h.purchase('recorded', b2),
      h.purchase('recorded', a2),
    ]);
    const letter = await waitFor(
      () => dlq.received.find((m) => JSON.parse(m.value!).purchaseId === poison.purchaseId),
      { what: 'the dead letter' },
    );
    expect(letter.headers['dlq-error-kind']).toBe('processing-failed');
    expect(letter.headers['dlq-reason']).toContain('inv-not-stored');
    await waitFor(
      async () => (await recordsOf(a1.purchaseId, b2.purchaseId, a2.purchaseId)).length === 3 || undefined,
      { what: 'the other invoices' },
    );
    expect(await recordsOf(poison.purchaseId)).toHaveLength(0);
    expect(dlq.received.map((m) => JSON.parse(m.value!).purchaseId)).toEqual([poison.purchaseId]);
    // Each seller's purchases in order: A's first invoice numbered before its second; B's later
    // purchase applied after its poison was dead-lettered.
    const [first, second] = [await recordsOf(a1.purchaseId), await recordsOf(a2.purchaseId)];
    expect(numberOf(first[0]!.invoiceNo)).toBeLessThan(numberOf(second[0]!.invoiceNo));
    expect((await h.models.Ledger.findById(a.sellerKey).lean())?.monthlySalesFen).toEqual({
      '2025-03': 5_000,
    });
    expect((await h.models.Ledger.findById(b.sellerKey).lean())?.applied).toEqual([
      { purchaseId: damaged.purchaseId, revision: 1 },
      { purchaseId: b2.purchaseId, revision: 1 },
    ]);
  } finally {
    await dlq.stop();
  }
});

it('publishes a run of more documents than one outbox document holds, each event once', async () => {
  const ctx = h.service.ctx;
  const published = await collectMessages(h.kafka, [`${h.prefix}.recycling.invoices.v1`]);
  try {
    const sellers = Array.from({ length: 30 }, () => newSeller());
    const run = Array.from({ length: EVENTS_PER_DOCUMENT + 50 }, (_, i) =>
      revision(sellers[i % sellers.length]!, 1_000 + i),
    );
    const ids = new Set(run.map((p) => p.purchaseId));
    expect(new Set(await processPurchases(ctx, run))).toEqual(new Set(['issued']));
    const eventsOf = () =>
      published.received
        .map((m) => JSON.parse(m.value!) as InvoiceIssuedData)
        .filter((e) => ids.has(e.purchaseId));
    await waitFor(() => eventsOf().length >= run.length || undefined, { what: 'every event' });
    await new Promise((resolve) => setTimeout(resolve, 500)); // a second event would come now
    expect(
      eventsOf()
        .map((e) => e.purchaseId)
        .sort(),
    ).toEqual([...ids].sort());
    const outboxes = await h.models.InvoiceEvents.find({}, { _id: 1 }).lean();
    expect(outboxes.filter((d) => d._id.includes('#2'))).toHaveLength(1);
  } finally {
    await published.stop();
  }
});

it('decides by an enterprise changed through this process at once (the cache is invalidated)', async () => {
  const ctx = h.service.ctx;
  const enterpriseId = uniqueName('ent-cached');
  const put = (status: 'active' | 'suspended') =>
    putEnterprise(ctx, enterpriseId, {
      name: issuers.dismantling.name,
      taxpayerId: issuers.dismantling.taxpayerId,
      qualification: { type: 'recycler-filing', number: 'BA-659002-77' },
      vatMethod: 'simplified',
      status,
      siteIds: [],
    });
  const seller = newSeller();
  // Unknown first (and so cached), then registered, then suspended: each decision sees the change.
  expect(await processPurchases(ctx, [revision(seller, 1_000, { buyerId: enterpriseId })])).toEqual([
    'refused',
  ]);
  await put('active');
  expect(await processPurchases(ctx, [revision(seller, 1_000, { buyerId: enterpriseId })])).toEqual([
    'issued',
  ]);
  await put('suspended');
  const refused = revision(seller, 1_000, { buyerId: enterpriseId });
  expect(await processPurchases(ctx, [refused])).toEqual(['refused']);
  expect((await recordsOf(refused.purchaseId))[0]?.data.reasonCode).toBe('issuer-suspended');
});

it('runs that share sellers wait for each other, and for a ledger lock held one at a time', async () => {
  const ctx = h.service.ctx;
  const [a, b, c] = [newSeller(), newSeller(), newSeller()];
  const first = [revision(a, 1_000), revision(b, 1_000)];
  const second = [revision(b, 2_000), revision(c, 2_000), revision(a, 2_000)];
  // An older replica locks one ledger at a time (DocumentLocks, `ledger:<sellerKey>`).
  let released = false;
  const held = h.service.messaging.locks.withLock(`ledger:${a.sellerKey}`, async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    released = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const runs = await Promise.all([
    processPurchases(ctx, first).then((outcomes) => ({ outcomes, afterRelease: released })),
    processPurchases(ctx, second),
  ]);
  await held;
  expect(runs[0]).toEqual({ outcomes: ['issued', 'issued'], afterRelease: true });
  expect(runs[1]).toEqual(['issued', 'issued', 'issued']);
  const ledgers = await h.models.Ledger.find({
    _id: { $in: [a.sellerKey, b.sellerKey, c.sellerKey] },
  }).lean();
  expect(ledgers.map((l) => [l._id, l.monthlySalesFen['2025-04']]).sort()).toEqual(
    [
      [a.sellerKey, 3_000],
      [b.sellerKey, 3_000],
      [c.sellerKey, 2_000],
    ].sort(),
  );
  const locks = await h.service.connection.collection('document_locks').find({}).toArray();
  expect(locks.filter((l) => String(l._id).startsWith('ledger:'))).toEqual([]);
});
