import {
  InvoiceIssuedData,
  InvoiceRefusedData,
  InvoiceReversedData,
  alarProfile,
  type InvoiceIssuedData as IssuedData,
  type ReverseInvoicingTax,
} from '@recycling/contracts';
import { people } from '@recycling/contracts/fixtures';
import {
  decidePurchase,
  type ActiveInvoice,
  type Decision,
  type PurchaseRevision,
} from '../src/domain/decide-purchase';
import type { Enterprise } from '../src/domain/enterprise';

// The reverse-invoicing rules (domain.md section 3) as a table of cases, run through a small
// in-memory ledger: each case is a sequence of purchases of one seller, and the expectations are on
// the documents the last purchase produces. Every document is also checked against the published
// event schemas, so the cases cannot pass with an invoice the tax office would reject.

const rules: ReverseInvoicingTax = alarProfile.tax.reverseInvoicing;
const TZ = alarProfile.timezone;
const YUAN = 100;

const enterprise = (id: string, over: Partial<Enterprise> = {}): Enterprise => ({
  enterpriseId: id,
  name: `阿拉尔市测试企业${id}`,
  taxpayerId: id === 'ent-b' ? '91659002MA79K8L6PX' : '91659002MA7A2B3C4D',
  qualification: { type: 'recycler-filing', number: `BA-${id}` },
  vatMethod: 'general',
  status: 'active',
  siteIds: [],
  ...over,
});

const enterprises: Record<string, Enterprise> = {
  'ent-a': enterprise('ent-a'),
  'ent-b': enterprise('ent-b', {
    vatMethod: 'simplified',
    qualification: { type: 'dismantler-certificate', number: 'CJ-001' },
  }),
  'ent-suspended': enterprise('ent-suspended', { status: 'suspended' }),
  'ent-unqualified': enterprise('ent-unqualified', { qualification: null }),
  'ent-expired': enterprise('ent-expired', {
    qualification: { type: 'hazardous-waste-licence', number: 'WF-9', validUntil: '2025-02-28' },
  }),
};

interface Sale {
  id: string;
  fen: number;
  at: string;
  buyer?: string;
  revision?: number;
  /** Several lines, as [quantity, unit price] pairs; default one line of the whole amount. */
  lines?: [string, number][];
  pickupId?: string;
}

const purchaseOf = (s: Sale): PurchaseRevision => {
  const lines = (s.lines ?? (s.fen > 0 ? [['1', s.fen]] : [])).map(([quantity, unitPriceFen], i) => {
    const [whole, frac = ''] = quantity.split('.');
    const amountFen = Math.round((Number(whole + frac) * unitPriceFen) / 10 ** frac.length);
    return {
      lineId: `l${i + 1}`,
      goodsName: '*废旧物资*废钢',
      taxCategoryCode: '1090501010000000000',
      unit: '千克',
      quantity,
      unitPriceFen,
      amountFen,
    };
  });
  return {
    purchaseId: `intake:${s.id}`,
    revision: s.revision ?? 1,
    buyerId: s.buyer ?? 'ent-a',
    seller: people.wangJianxin,
    lines,
    totalFen: lines.reduce((a, l) => a + l.amountFen, 0),
    occurredAt: s.at,
    ...((s.revision ?? 1) > 1 ? { reason: '更正收购金额' } : {}),
    ...(s.pickupId ? { pickupId: s.pickupId } : {}),
  };
};

/** Runs sales in order over one ledger, numbering invoices as the service would; returns the last decision. */
function run(sales: Sale[], startActive: ActiveInvoice[] = []): { last: Decision; all: Decision[] } {
  let active = startActive;
  const invoices = new Map<string, IssuedData>();
  // What the service reads back from the stored invoices: the pickup of each invoice's purchase.
  const pickupIds = new Map<string, string>();
  let number = 0;
  const all: Decision[] = [];
  for (const sale of sales) {
    const purchase = purchaseOf(sale);
    const decision = decidePurchase({
      purchase,
      active,
      invoices,
      enterprise: enterprises[purchase.buyerId],
      rules,
      timeZone: TZ,
      pickupIds,
    });
    for (const doc of decision.documents) {
      if (doc.pickupId) pickupIds.set(doc.data.purchaseId, doc.pickupId);
      const invoiceNo = `659002${String(++number).padStart(14, '0')}`;
      if (doc.kind === 'issued') {
        const data = InvoiceIssuedData.parse({ ...doc.data, invoiceNo });
        invoices.set(doc.invoiceId, data);
      } else if (doc.kind === 'reversed') {
        InvoiceReversedData.parse({ ...doc.data, invoiceNo });
      } else {
        InvoiceRefusedData.parse(doc.data);
      }
    }
    active = decision.active;
    all.push(decision);
  }
  return { last: all.at(-1)!, all };
}

const issued = (d: Decision) =>
  d.documents.filter((x) => x.kind === 'issued').map((x) => x.data as IssuedData);
const kinds = (d: Decision) => d.documents.map((x) => x.kind);

describe('reverse-invoicing decision: a table of cases', () => {
  it.each([
    {
      name: 'under the monthly threshold: exempt, income tax 0.5%',
      sales: [{ id: 'p1', fen: 50_000 * YUAN, at: '2025-03-10T04:00:00Z' }],
      treatment: 'exempt',
      rateBp: 0,
      vatFen: 0,
      incomeTaxFen: 25_000,
      kind: 'ordinary',
    },
    {
      name: 'exactly at the threshold over two enterprises: still exempt',
      sales: [
        { id: 'p1', fen: 60_000 * YUAN, at: '2025-03-10T04:00:00Z', buyer: 'ent-b' },
        { id: 'p2', fen: 40_000 * YUAN, at: '2025-03-11T04:00:00Z' },
      ],
      treatment: 'exempt',
      rateBp: 0,
      vatFen: 0,
      incomeTaxFen: 20_000,
      kind: 'ordinary',
    },
    {
      name: 'over the threshold: reduced 1%, a general-method issuer issues a special invoice',
      sales: [{ id: 'p1', fen: 150_000 * YUAN, at: '2025-03-10T04:00:00Z' }],
      treatment: 'reduced',
      rateBp: 100,
      vatFen: 150_000,
      incomeTaxFen: 75_000,
      kind: 'special',
    },
    {
      name: 'over the threshold at a simplified-method issuer: ordinary invoice only',
      sales: [{ id: 'p1', fen: 150_000 * YUAN, at: '2025-03-10T04:00:00Z', buyer: 'ent-b' }],
      treatment: 'reduced',
      rateBp: 100,
      vatFen: 150_000,
      incomeTaxFen: 75_000,
      kind: 'ordinary',
    },
    {
      name: 'after the reduced rate ends (2027-12-31): the standard 3%',
      sales: [{ id: 'p1', fen: 150_000 * YUAN, at: '2028-01-05T04:00:00Z' }],
      treatment: 'standard',
      rateBp: 300,
      vatFen: 450_000,
      incomeTaxFen: 75_000,
      kind: 'special',
    },
    {
      name: 'a new Asia/Shanghai month starts exempt again (17:00Z on the 31st is April 1st in Alar)',
      sales: [
        { id: 'p1', fen: 99_000 * YUAN, at: '2025-03-31T08:00:00Z' },
        { id: 'p2', fen: 5_000 * YUAN, at: '2025-03-31T17:00:00Z' },
      ],
      treatment: 'exempt',
      rateBp: 0,
      vatFen: 0,
      incomeTaxFen: 2_500,
      kind: 'ordinary',
      period: '2025-04',
    },
  ])('$name', ({ sales, treatment, rateBp, vatFen, incomeTaxFen, kind, period }) => {
    const { last } = run(sales);
    expect(last.outcome).toBe('issued');
    expect(kinds(last)).toEqual(['issued']);
    const [inv] = issued(last);
    expect(inv).toMatchObject({
      vatTreatment: treatment,
      kind,
      totals: { vatFen, incomeTaxWithheldFen: incomeTaxFen, incomeTaxRateBp: 50 },
    });
    expect(inv!.lines.every((l) => l.vatRateBp === rateBp)).toBe(true);
    if (period) expect(inv!.period).toBe(period);
  });

  describe('the month that crosses the threshold', () => {
    const sales: Sale[] = [
      { id: 'p1', fen: 60_000 * YUAN, at: '2025-03-05T04:00:00Z', buyer: 'ent-b' },
      { id: 'p2', fen: 30_000 * YUAN, at: '2025-03-12T04:00:00Z' },
      { id: 'p3', fen: 20_000 * YUAN, at: '2025-03-20T04:00:00Z' },
    ];

    it('issues the crossing invoice at 1% and reverses and reissues the month’s exempt invoices at 1%', () => {
      const { all, last } = run(sales);
      expect(all.slice(0, 2).map((d) => issued(d)[0]!.vatTreatment)).toEqual(['exempt', 'exempt']);
      expect(kinds(last)).toEqual(['issued', 'reversed', 'issued', 'reversed', 'issued']);
      const [crossing, ...reissues] = issued(last);
      expect(crossing).toMatchObject({ purchaseId: 'intake:p3', vatTreatment: 'reduced' });
      expect(crossing!.totals.vatFen).toBe(20_000);
      expect(
        reissues.map((r) => [r.purchaseId, r.issuer.enterpriseId, r.vatTreatment, r.totals.vatFen]),
      ).toEqual([
        ['intake:p1', 'ent-b', 'reduced', 60_000],
        ['intake:p2', 'ent-a', 'reduced', 30_000],
      ]);
      const reversals = last.documents.filter((d) => d.kind === 'reversed');
      expect(reversals.map((r) => [r.issuerId, r.data.totals.amountFen, r.data.reason.code])).toEqual([
        ['ent-b', -6_000_000, 'other'],
        ['ent-a', -3_000_000, 'other'],
      ]);
      // The reissue of an exempt invoice by a general-method issuer becomes a special invoice.
      expect(reissues.map((r) => r.kind)).toEqual(['ordinary', 'special']);
      // The month's sales count once: 110,000 yuan, all of it at 1%.
      expect(last.active.filter((a) => a.period === '2025-03')).toHaveLength(3);
      expect(last.active.reduce((s, a) => s + a.amountFen, 0)).toBe(110_000 * YUAN);
      expect(last.active.every((a) => a.vatRateBp === 100)).toBe(true);
    });

    it('a later purchase in a taxable month is taxed with no further reissue', () => {
      const { last } = run([...sales, { id: 'p4', fen: 1_000 * YUAN, at: '2025-03-25T04:00:00Z' }]);
      expect(kinds(last)).toEqual(['issued']);
      expect(issued(last)[0]!.totals.vatFen).toBe(1_000);
    });

    it('a correction that takes the month back under the threshold reissues the month exempt', () => {
      const { last } = run([
        ...sales,
        { id: 'p3', revision: 2, fen: 5_000 * YUAN, at: '2025-03-21T04:00:00Z' },
      ]);
      const docs = last.documents;
      expect(docs[0]).toMatchObject({ kind: 'reversed', data: { reason: { code: 'purchase-corrected' } } });
      expect(issued(last).map((i) => [i.purchaseId, i.vatTreatment])).toEqual([
        ['intake:p3', 'exempt'],
        ['intake:p1', 'exempt'],
        ['intake:p2', 'exempt'],
      ]);
      expect(last.active.every((a) => a.vatRateBp === 0)).toBe(true);
    });
  });

  describe('the pickup each document belongs to', () => {
    const sales: Sale[] = [
      { id: 'p1', fen: 60_000 * YUAN, at: '2025-03-05T04:00:00Z', pickupId: 'pk-1' },
      { id: 'p2', fen: 30_000 * YUAN, at: '2025-03-12T04:00:00Z' }, // brought to the desk
      { id: 'p3', fen: 20_000 * YUAN, at: '2025-03-20T04:00:00Z', pickupId: 'pk-3' },
    ];
    const pickupsOf = (d: Decision) => d.documents.map((x) => [x.kind, x.data.purchaseId, x.pickupId]);

    it('is that of its own purchase, also for the reversals and reissues of a crossing', () => {
      expect(pickupsOf(run(sales).last)).toEqual([
        ['issued', 'intake:p3', 'pk-3'],
        ['reversed', 'intake:p1', 'pk-1'],
        ['issued', 'intake:p1', 'pk-1'],
        ['reversed', 'intake:p2', undefined],
        ['issued', 'intake:p2', undefined],
      ]);
    });

    it('stays with a purchase whose correction does not restate it', () => {
      const { last } = run([
        sales[0]!,
        { id: 'p1', fen: 50_000 * YUAN, at: '2025-03-06T04:00:00Z', revision: 2 },
      ]);
      expect(pickupsOf(last)).toEqual([
        ['reversed', 'intake:p1', 'pk-1'],
        ['issued', 'intake:p1', 'pk-1'],
      ]);
    });

    it('is on a refusal too', () => {
      const { last } = run([
        { id: 'p9', fen: 100, at: '2025-03-05T04:00:00Z', buyer: 'ent-suspended', pickupId: 'pk-9' },
      ]);
      expect(pickupsOf(last)).toEqual([['refused', 'intake:p9', 'pk-9']]);
    });
  });

  describe('the rolling 12-month cap (5,000,000 yuan, all enterprises)', () => {
    // 11 earlier months of 450,000 yuan each, alternating between two enterprises: 4,950,000 yuan.
    const history: ActiveInvoice[] = Array.from({ length: 11 }, (_, i) => ({
      invoiceId: `old-${i}`,
      issuerId: i % 2 === 0 ? 'ent-a' : 'ent-b',
      purchaseId: `intake:old-${i}`,
      period: `2024-${String(i + 4).padStart(2, '0')}`,
      amountFen: 450_000 * YUAN,
      vatRateBp: 100,
    }));

    it('refuses a sale that would exceed the cap, whole, with the reason and the advice', () => {
      const { last } = run([{ id: 'p1', fen: 50_001 * YUAN, at: '2025-03-10T04:00:00Z' }], history);
      expect(last.outcome).toBe('refused');
      expect(kinds(last)).toEqual(['refused']);
      const refusal = last.documents[0]!.data as InvoiceRefusedData;
      expect(refusal).toMatchObject({
        reasonCode: 'rolling-cap-exceeded',
        cap: {
          windowStart: '2024-04',
          windowEnd: '2025-03',
          invoicedFen: 4_950_000 * YUAN,
          requestedFen: 50_001 * YUAN,
          capFen: 5_000_000 * YUAN,
        },
      });
      expect(refusal.advice?.zh).toContain('个体工商户');
      expect(last.active).toEqual(history); // nothing counted
    });

    it('issues a sale that reaches the cap exactly', () => {
      const { last } = run([{ id: 'p1', fen: 50_000 * YUAN, at: '2025-03-10T04:00:00Z' }], history);
      expect(last.outcome).toBe('issued');
    });

    it('lets the oldest month leave the window', () => {
      const { last } = run([{ id: 'p1', fen: 400_000 * YUAN, at: '2025-04-10T04:00:00Z' }], history);
      expect(last.outcome).toBe('issued'); // 2024-04 left: 4,500,000 + 400,000
    });
  });

  it.each([
    ['ent-suspended', 'issuer-suspended'],
    ['ent-unqualified', 'issuer-not-qualified'],
    ['ent-expired', 'issuer-not-qualified'],
    ['ent-nobody', 'unknown-issuer'],
  ])('refuses a purchase by %s: %s', (buyer, reasonCode) => {
    const { last } = run([{ id: 'p1', fen: 1_000 * YUAN, at: '2025-03-10T04:00:00Z', buyer }]);
    expect(last.outcome).toBe('refused');
    expect(last.documents).toHaveLength(1);
    expect(last.documents[0]!.data).toMatchObject({ reasonCode, issuer: { enterpriseId: buyer } });
    expect((last.documents[0]!.data as InvoiceRefusedData).cap).toBeUndefined();
    expect(last.active).toEqual([]);
  });

  it('refuses a sale dated before the rules took effect', () => {
    const { last } = run([{ id: 'p1', fen: 1_000, at: '2024-04-20T04:00:00Z' }]);
    expect(last.documents[0]!.data).toMatchObject({ reasonCode: 'other' });
  });

  describe('rounding: per line, half away from zero, to the fen', () => {
    const over = { id: 'big', fen: 100_000 * YUAN, at: '2025-03-01T04:00:00Z' };

    it.each([
      { lines: [['1', 12_345]], vat: [123], income: 62 }, // 123.45 -> 123; 61.725 -> 62
      { lines: [['1', 12_350]], vat: [124], income: 62 }, // 123.5 -> 124; 61.75 -> 62
      {
        lines: [
          ['1', 150],
          ['1', 150],
        ],
        vat: [2, 2],
        income: 2,
      }, // 1.5 -> 2 per line; 1.5 -> 2
      { lines: [['2.5', 99]], vat: [2], income: 1 }, // 247.5 fen -> 248 fen; 2.48 -> 2; 1.24 -> 1
    ] as { lines: [string, number][]; vat: number[]; income: number }[])(
      'lines $lines: VAT $vat, income tax $income',
      ({ lines, vat, income }) => {
        const { last } = run([over, { id: 'p', fen: 0, lines, at: '2025-03-02T04:00:00Z' }]);
        const inv = issued(last)[0]!;
        expect(inv.lines.map((l) => l.vatFen)).toEqual(vat);
        expect(inv.totals.incomeTaxWithheldFen).toBe(income);
      },
    );

    it('a red-letter reversal mirrors its original to the fen', () => {
      const { all, last } = run([
        over,
        { id: 'p', fen: 0, lines: [['1', 12_350]], at: '2025-03-02T04:00:00Z' },
        { id: 'p', revision: 2, fen: 0, at: '2025-03-02T06:00:00Z' },
      ]);
      const original = issued(all[1]!)[0]!;
      expect(last.outcome).toBe('withdrawn');
      const reversal = last.documents.find((d) => d.kind === 'reversed')!.data as InvoiceReversedData;
      expect(reversal.originalInvoiceId).toBe(original.invoiceId);
      expect(reversal.reason.code).toBe('purchase-withdrawn');
      expect(reversal.lines[0]).toMatchObject({ quantity: '-1', amountFen: -12_350, vatFen: -124 });
      expect(reversal.totals).toEqual({
        amountFen: -original.totals.amountFen,
        vatFen: -original.totals.vatFen,
        totalFen: -original.totals.totalFen,
        incomeTaxRateBp: 50,
        incomeTaxWithheldFen: -original.totals.incomeTaxWithheldFen,
      });
    });
  });

  describe('corrections', () => {
    it('reverses the original and issues the corrected purchase', () => {
      const { all, last } = run([
        { id: 'p1', fen: 20_000, at: '2025-03-01T04:00:00Z' },
        { id: 'p1', revision: 2, fen: 19_000, at: '2025-03-01T07:00:00Z' },
      ]);
      expect(kinds(last)).toEqual(['reversed', 'issued']);
      expect(last.documents[0]!.data).toMatchObject({
        originalInvoiceId: issued(all[0]!)[0]!.invoiceId,
        purchaseRevision: 2,
        reason: { code: 'purchase-corrected', note: '更正收购金额' },
      });
      expect(issued(last)[0]).toMatchObject({ purchaseRevision: 2, totals: { amountFen: 19_000 } });
      expect(last.active.map((a) => a.amountFen)).toEqual([19_000]);
    });

    it('a correction over the cap reverses the original and refuses the new revision', () => {
      const { last } = run([
        { id: 'p1', fen: 4_999_000 * YUAN, at: '2025-03-01T04:00:00Z' },
        { id: 'p1', revision: 2, fen: 5_000_001 * YUAN, at: '2025-03-02T04:00:00Z' },
      ]);
      expect(kinds(last)).toEqual(['reversed', 'refused']);
      expect((last.documents[1]!.data as InvoiceRefusedData).cap?.invoicedFen).toBe(0);
      expect(last.active).toEqual([]);
    });
  });
});
