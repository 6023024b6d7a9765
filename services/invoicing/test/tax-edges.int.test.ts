import type { InvoiceIssuedData, InvoiceRefusedData, PurchaseRecordedData } from '@recycling/contracts';
import { issuers, people, purchaseRecorded } from '@recycling/contracts/fixtures';
import { uniqueName, waitFor } from '@recycling/testkit';
import request from 'supertest';
import { startHarness, type Harness } from './harness';

// Tax fidelity at the edges (issue 18), on the real broker and store: invoice numbers unique in the
// city in the 数电票 shape, sales dated in a month already filed, local times in the CSV export, and
// the months a declaration may be prepared for.

let h: Harness;
let admin: string;
let taxOfficer: string;

beforeAll(async () => {
  // June 20th 2025 in Alar: May's filing period (to June 15th) is over, June is the open month.
  h = await startHarness('invoicing-edges', { now: '2025-06-20T04:00:00Z' });
  admin = await h.token('administrator');
  taxOfficer = await h.token('tax-officer');
  for (const issuer of [issuers.lvyuan, issuers.dismantling]) {
    await request(h.service.app)
      .put(`/enterprises/${issuer.enterpriseId}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({
        name: issuer.name,
        taxpayerId: issuer.taxpayerId,
        qualification: { type: 'recycler-filing', number: 'BA-659002-0018' },
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
  purchaseId: `intake:${uniqueName('E')}`,
  seller,
  lines: [{ ...purchaseRecorded.lines[0]!, unitPriceFen: fen, amountFen: fen }],
  totalFen: fen,
  ...over,
});

const recordsOf = (purchaseId: string) => h.models.InvoiceRecord.find({ purchaseId }).lean();
const issuedOf = async (purchaseId: string) => {
  const [record] = await waitFor(
    async () => {
      const found = await recordsOf(purchaseId);
      return found.length > 0 ? found : undefined;
    },
    { what: `the document of ${purchaseId}` },
  );
  return record!;
};

const prepare = (period: string, enterpriseId = issuers.lvyuan.enterpriseId) =>
  request(h.service.app)
    .post('/declarations')
    .set('Authorization', `Bearer ${admin}`)
    .send({ enterpriseId, period });

describe('invoice numbers', () => {
  it('are unique in the city across issuers, of the 数电票 shape, and never reused after a restart', async () => {
    const sellers = [people.wangJianxin, people.liXiulan];
    const buyers = [issuers.lvyuan.enterpriseId, issuers.dismantling.enterpriseId];
    const batch = (round: number) =>
      sellers.flatMap((seller, i) =>
        buyers.map((enterpriseId, k) =>
          purchase(seller, 1_000 + round * 100 + i * 10 + k, {
            occurredAt: '2025-06-18T02:00:00Z',
            buyer: { enterpriseId },
          }),
        ),
      );
    const first = batch(1);
    await h.publish(first.map((p) => h.purchase('recorded', p)));
    const before = await Promise.all(first.map((p) => issuedOf(p.purchaseId)));
    const numbers = before.map((r) => r.invoiceNo!);
    // Two enterprises, two sellers, one run: four different numbers, each 20 digits of
    // year (25), region (659002, Alar), channel (1) and the city's sequence.
    expect(new Set(before.map((r) => r.issuerId))).toEqual(new Set(buyers));
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const n of numbers) {
      expect(n).toMatch(/^\d{20}$/);
      expect(n.slice(0, 2)).toBe('25');
      expect(n.slice(2, 8)).toBe('659002');
      expect(n.slice(8, 9)).toBe('1');
    }

    await h.restart();
    const second = batch(2);
    await h.publish(second.map((p) => h.purchase('recorded', p)));
    const after = await Promise.all(second.map((p) => issuedOf(p.purchaseId)));
    const again = after.map((r) => r.invoiceNo!);
    expect(new Set([...numbers, ...again]).size).toBe(numbers.length + again.length);
    const sequence = (n: string) => Number(n.slice(9));
    expect(Math.min(...again.map(sequence))).toBeGreaterThan(Math.max(...numbers.map(sequence)));
  });
});

describe('a sale dated in a month already filed', () => {
  it('is invoiced in the open month and declared there; the filed month is not reopened', async () => {
    const seller = people.ayigul;
    // June 10th: May is still in its filing period, so a May sale is May's.
    h.setNow('2025-06-10T04:00:00Z');
    const onTime = purchase(seller, 30_000, { occurredAt: '2025-05-12T04:00:00Z' });
    await h.publish([h.purchase('recorded', onTime)]);
    expect((await issuedOf(onTime.purchaseId)).period).toBe('2025-05');
    const may = await prepare('2025-05').expect(201);
    expect(may.body).toMatchObject({ period: '2025-05', revision: 1, summary: { salesFen: 30_000 } });

    // June 21st (after the documents above: the feed shows what was recorded before its clock): May
    // is filed. A sale dated May 20th is invoiced now, in June.
    h.setNow('2025-06-21T04:00:00Z');
    const late = purchase(seller, 7_000, { occurredAt: '2025-05-20T04:00:00Z' });
    await h.publish([h.purchase('recorded', late)]);
    const record = await issuedOf(late.purchaseId);
    const invoice = record.data as unknown as InvoiceIssuedData;
    expect(record).toMatchObject({ kind: 'issued', period: '2025-06' });
    expect(invoice).toMatchObject({ period: '2025-06', saleOccurredAt: '2025-05-20T04:00:00Z' });
    expect(invoice.occurredAt >= '2025-06-21T04:00:00').toBe(true);
    expect(invoice.occurredAt < '2025-06-22').toBe(true);

    // May's declaration is what was filed; June's declares the late sale.
    const mayAgain = await prepare('2025-05').expect(200);
    expect(mayAgain.body).toMatchObject({ revision: 1, summary: { salesFen: 30_000 } });
    const june = await prepare('2025-06').expect(201);
    const mine = (
      june.body as { details: { seller: { sellerKey: string }; salesFen: number }[] }
    ).details.find((d) => d.seller.sellerKey === seller.sellerKey);
    expect(mine?.salesFen).toBe(7_000);
    const ledger = await h.models.Ledger.findById(seller.sellerKey).lean();
    expect(ledger?.monthlySalesFen).toEqual({ '2025-05': 30_000, '2025-06': 7_000 });
  });

  it('older than the months a sale may be dated (3 before the current one), is refused with the reason', async () => {
    const sale = purchase(people.wangJianxin, 5_000, { occurredAt: '2025-02-10T04:00:00Z' });
    await h.publish([h.purchase('recorded', sale)]);
    const record = await issuedOf(sale.purchaseId);
    expect(record.kind).toBe('refused');
    const refusal = record.data as unknown as InvoiceRefusedData;
    expect(refusal.reasonCode).toBe('other');
    expect(refusal.message.zh).toContain('2025-03');
    expect(refusal.message.en).toContain('more than 3 months before the current month');
    expect(record.invoiceNo).toBeNull();
  });
});

describe('the CSV export of the feed', () => {
  it('writes every time in Asia/Shanghai with its offset', async () => {
    const seller = people.liXiulan;
    const csv = await request(h.service.app)
      .get('/feed/invoices/export')
      .query({ sellerKey: seller.sellerKey, format: 'csv' })
      .set('Authorization', `Bearer ${taxOfficer}`)
      .expect(200);
    const rows = csv.text.trim().split('\n');
    expect(rows[0]).toContain('开票时间 Invoice time');
    expect(rows.length).toBeGreaterThan(1);
    // 2025-06-18T02:00:00Z is 10:00 in Alar.
    expect(csv.text).toContain('2025-06-18T10:00:00+08:00');
    const times = csv.text.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[^,\n]*/g) ?? [];
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) expect(t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
  });

  it('shows the sale time of a late sale next to its invoice time', async () => {
    const csv = await request(h.service.app)
      .get('/feed/invoices/export')
      .query({ sellerKey: people.ayigul.sellerKey, format: 'csv' })
      .set('Authorization', `Bearer ${taxOfficer}`)
      .expect(200);
    expect(csv.text).toContain('2025-05-20T12:00:00+08:00');
  });
});

describe('POST /declarations', () => {
  it.each([
    ['0000-01', 'not a year of the programme'],
    ['2024-03', 'before reverse invoicing took effect (2024-04-29)'],
    ['2025-07', 'after the current month'],
  ])('refuses the period %s (%s) with a problem naming the field', async (period) => {
    const res = await prepare(period).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('period');
  });
});
