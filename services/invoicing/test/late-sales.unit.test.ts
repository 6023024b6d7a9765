import {
  InvoiceIssuedData,
  InvoiceRefusedData,
  alarProfile,
  type ReverseInvoicingTax,
} from '@recycling/contracts';
import { people } from '@recycling/contracts/fixtures';
import { decidePurchase, type PurchaseRevision } from '../src/domain/decide-purchase';
import type { Enterprise } from '../src/domain/enterprise';
import { earliestOpenMonth, saleTiming } from '../src/domain/late-sales';

// A sale dated in a month whose filing period has closed is invoiced in the open month, dated when
// issued, naming the sale's time; one older than lateSaleMaxMonths is refused (docs/decisions/18).

const rules: ReverseInvoicingTax = alarProfile.tax.reverseInvoicing;
const TZ = alarProfile.timezone;

const enterprise: Enterprise = {
  enterpriseId: 'ent-a',
  name: '阿拉尔市测试企业',
  taxpayerId: '91659002MA7A2B3C4D',
  qualification: { type: 'recycler-filing', number: 'BA-1' },
  vatMethod: 'general',
  status: 'active',
  siteIds: [],
};

const sale = (occurredAt: string, fen = 50_000): PurchaseRevision => ({
  purchaseId: `intake:${occurredAt}`,
  revision: 1,
  buyerId: 'ent-a',
  seller: people.wangJianxin,
  lines: [
    {
      lineId: 'l1',
      goodsName: '*废旧物资*废钢',
      taxCategoryCode: '1090501010000000000',
      unit: '千克',
      quantity: '1',
      unitPriceFen: fen,
      amountFen: fen,
    },
  ],
  totalFen: fen,
  occurredAt,
});

const decide = (occurredAt: string, decidedAt: string) =>
  decidePurchase({
    purchase: sale(occurredAt),
    active: [],
    invoices: new Map(),
    enterprise,
    rules,
    timeZone: TZ,
    decidedAt,
  });

describe('which months are open (Alar: filing by the 15th, sales up to 3 months back)', () => {
  it('last month stays open to the end of the filing day, in the city time zone', () => {
    expect(rules.declarationDueDay).toBe(15);
    // 2025-06-15T15:59Z is 23:59 on June 15th in Alar; a minute later it is the 16th.
    expect(earliestOpenMonth('2025-06-15T15:59:00Z', rules, TZ)).toBe('2025-05');
    expect(earliestOpenMonth('2025-06-15T16:00:00Z', rules, TZ)).toBe('2025-06');
    // January looks back to December of the year before.
    expect(earliestOpenMonth('2026-01-02T04:00:00Z', rules, TZ)).toBe('2025-12');
  });

  it.each([
    ['2025-06-20T04:00:00Z', '2025-06-01T04:00:00Z', 'on-time'],
    ['2025-06-10T04:00:00Z', '2025-05-31T15:00:00Z', 'on-time'], // May, in its filing period
    ['2025-06-20T04:00:00Z', '2025-05-31T15:00:00Z', 'late'], // May 31st 23:00, filed
    ['2025-06-20T04:00:00Z', '2025-03-01T04:00:00Z', 'late'], // three months back: still invoiced
    ['2025-06-20T04:00:00Z', '2025-02-28T15:59:00Z', 'too-old'], // Feb 28th 23:59 in Alar
    ['2025-06-20T04:00:00Z', '2025-02-28T16:00:00Z', 'late'], // March 1st 00:00 in Alar
  ])('decided at %s, a sale at %s is %s', (now, occurredAt, kind) => {
    expect(saleTiming(occurredAt, now, rules, TZ).kind).toBe(kind);
  });
});

describe('the decision', () => {
  it('invoices a sale of a filed month in the open month, dated when issued, naming the sale', () => {
    const decidedAt = '2025-06-20T04:00:00.000Z';
    const { outcome, documents, active } = decide('2025-04-10T04:00:00Z', decidedAt);
    expect(outcome).toBe('issued');
    const invoice = InvoiceIssuedData.parse({ ...documents[0]!.data, invoiceNo: '25659002100000000001' });
    expect(invoice).toMatchObject({
      period: '2025-06',
      occurredAt: decidedAt,
      saleOccurredAt: '2025-04-10T04:00:00Z',
    });
    // It counts in the open month's sales (threshold and cap), never in the filed one.
    expect(active.map((a) => a.period)).toEqual(['2025-06']);
  });

  it('keeps a sale of an open month at its own date, without saleOccurredAt', () => {
    const { documents } = decide('2025-05-31T15:00:00Z', '2025-06-10T04:00:00.000Z');
    expect(documents[0]!.data).toMatchObject({ period: '2025-05', occurredAt: '2025-05-31T15:00:00Z' });
    expect(documents[0]!.data).not.toHaveProperty('saleOccurredAt');
  });

  it('refuses a sale dated before the months a sale may be invoiced in, saying why', () => {
    const { outcome, documents } = decide('2025-01-20T04:00:00Z', '2025-06-20T04:00:00.000Z');
    expect(outcome).toBe('refused');
    const refusal = InvoiceRefusedData.parse(documents[0]!.data);
    expect(refusal.reasonCode).toBe('other');
    expect(refusal.occurredAt).toBe('2025-01-20T04:00:00Z');
    expect(refusal.message.zh).toContain('2025-03');
    expect(refusal.message.en).toContain('more than 3 months');
  });
});
