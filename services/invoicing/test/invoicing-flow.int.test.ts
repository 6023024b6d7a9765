import {
  DeclarationPreparedData,
  InvoiceIssuedData,
  InvoiceReversedData,
  type PurchaseCorrectedData,
  type PurchaseRecordedData,
} from '@recycling/contracts';
import { issuers, people, purchaseRecorded, sites } from '@recycling/contracts/fixtures';
import { collectMessages, uniqueName, waitFor } from '@recycling/testkit';
import request from 'supertest';
import { startHarness, type Harness } from './harness';

// The whole path on the real broker and store: purchase events in, invoices and the tax office's
// feed out, corrections as red-letter reversals, and the monthly declaration.

let h: Harness;
let admin: string;
let taxOfficer: string;

const enterpriseBody = (issuer: (typeof issuers)[keyof typeof issuers], siteIds: string[]) => ({
  name: issuer.name,
  taxpayerId: issuer.taxpayerId,
  qualification: { type: 'recycler-filing', number: 'BA-659002-0042' },
  vatMethod: issuer.vatMethod,
  status: 'active',
  siteIds,
});

beforeAll(async () => {
  // The service's clock in March 2025, when its sales are dated (an open month).
  h = await startHarness('invoicing', { now: '2025-03-25T04:00:00Z' });
  admin = await h.token('administrator');
  taxOfficer = await h.token('tax-officer');
  await request(h.service.app)
    .put(`/enterprises/${issuers.lvyuan.enterpriseId}`)
    .set('Authorization', `Bearer ${admin}`)
    .send(enterpriseBody(issuers.lvyuan, [sites.station.siteId]))
    .expect(201);
  await request(h.service.app)
    .put(`/enterprises/${issuers.dismantling.enterpriseId}`)
    .set('Authorization', `Bearer ${admin}`)
    .send(enterpriseBody(issuers.dismantling, [sites.dismantler.siteId]))
    .expect(201);
});

afterAll(async () => {
  await h?.stop();
});

/** A purchase of the fixture shape with its own id, seller and amount. */
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

async function feed(query: Record<string, string> = {}) {
  const res = await request(h.service.app)
    .get('/feed/invoices')
    .query(query)
    .set('Authorization', `Bearer ${taxOfficer}`)
    .expect(200);
  return res.body as {
    items: { id: string; kind: string; type: string; data: Record<string, unknown> }[];
    nextCursor: string | null;
  };
}

const entriesFor = async (purchaseId: string) =>
  (await feed({ limit: '500' })).items.filter((e) => e.data.purchaseId === purchaseId);

describe('purchase to invoice to the tax office feed', () => {
  it('issues a reverse invoice, publishes it on recycling.invoices.v1 and serves it in the feed', async () => {
    const collector = await collectMessages(h.kafka, [`${h.prefix}.recycling.invoices.v1`]);
    try {
      const data = purchase(people.wangJianxin, 20_000);
      await h.publish([h.purchase('recorded', data)]);

      const [entry] = await waitFor(
        async () => {
          const found = await entriesFor(data.purchaseId);
          return found.length > 0 && found;
        },
        { what: 'the invoice in the feed' },
      );
      expect(entry).toMatchObject({ kind: 'issued', type: 'recycling.invoice.issued.v1' });
      const invoice = InvoiceIssuedData.parse(entry!.data);
      expect(invoice).toMatchObject({
        issuer: issuers.lvyuan,
        seller: people.wangJianxin,
        purchaseRevision: 1,
        kind: 'ordinary',
        period: '2025-03',
        vatTreatment: 'exempt',
        totals: { amountFen: 20_000, vatFen: 0, totalFen: 20_000, incomeTaxWithheldFen: 100 },
      });
      // 数电票 shape: year 25, region 659002, channel 1, the city's sequence.
      expect(invoice.invoiceNo).toMatch(/^256590021\d{11}$/);

      const message = await waitFor(
        () => collector.received.find((m) => JSON.parse(m.value!).invoiceId === invoice.invoiceId),
        { what: 'the invoice event on the topic' },
      );
      expect(message.key).toBe(people.wangJianxin.sellerKey);
      expect(message.headers).toMatchObject({
        ce_type: 'recycling.invoice.issued.v1',
        ce_source: 'urn:recycling:659002:invoicing',
      });
      expect(InvoiceIssuedData.parse(JSON.parse(message.value!))).toEqual(invoice);

      // The enterprise's own operators read it; another station's operator may not.
      const operator = await h.token('station-operator', sites.station.siteId);
      await request(h.service.app)
        .get(`/invoices/${invoice.invoiceId}`)
        .set('Authorization', `Bearer ${operator}`)
        .expect(200);
      const stranger = await h.token('station-operator', 'st-elsewhere');
      await request(h.service.app)
        .get(`/invoices/${invoice.invoiceId}`)
        .set('Authorization', `Bearer ${stranger}`)
        .expect(403);
    } finally {
      await collector.stop();
    }
  });

  it('pages the feed with a cursor from any point, in a stable order', async () => {
    const seller = people.ayigul;
    const purchases = [1, 2, 3].map((i) => purchase(seller, 1_000 * i));
    await h.publish(purchases.map((p) => h.purchase('recorded', p)));
    await waitFor(async () => (await feed({ sellerKey: seller.sellerKey })).items.length >= 3, {
      what: 'three invoices',
    });

    const all = (await feed({ sellerKey: seller.sellerKey })).items.map((e) => e.id);
    const first = await feed({ sellerKey: seller.sellerKey, limit: '2' });
    expect(first.items.map((e) => e.id)).toEqual(all.slice(0, 2));
    const second = await feed({ sellerKey: seller.sellerKey, limit: '2', cursor: first.nextCursor! });
    expect(second.items.map((e) => e.id)).toEqual(all.slice(2, 4));
    // Nothing new after the end: the same cursor comes back, to poll with.
    const end = await feed({ sellerKey: seller.sellerKey, cursor: second.nextCursor! });
    expect(end).toEqual({ items: [], nextCursor: second.nextCursor });

    await request(h.service.app)
      .get('/feed/invoices')
      .query({ cursor: 'not-a-cursor' })
      .set('Authorization', `Bearer ${taxOfficer}`)
      .expect(400);
    const csv = await request(h.service.app)
      .get('/feed/invoices/export')
      .query({ sellerKey: seller.sellerKey, format: 'csv' })
      .set('Authorization', `Bearer ${taxOfficer}`)
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text).toContain('发票号码 Invoice no.');
    expect(csv.text.trim().split('\n')).toHaveLength(1 + 3);
  });
});

describe('exactly once', () => {
  it('gives one invoice for a purchase delivered twice, and counts it once', async () => {
    const seller = people.liXiulan;
    const data = purchase(seller, 50_000);
    const event = h.purchase('recorded', data);
    // The same event twice, and the same purchase revision again under a new event id (a producer retry).
    await h.publish([event, event, h.purchase('recorded', data)]);
    // A later purchase of the same seller lands on the same partition: once it is invoiced, the
    // duplicates before it have been handled.
    const marker = purchase(seller, 1_000);
    await h.publish([h.purchase('recorded', marker)]);
    await waitFor(async () => (await entriesFor(marker.purchaseId)).length === 1, {
      what: 'the marker invoice',
    });

    expect(await entriesFor(data.purchaseId)).toHaveLength(1);
    const ledger = await h.models.Ledger.findById(seller.sellerKey).lean();
    expect(ledger?.monthlySalesFen).toEqual({ '2025-03': 51_000 });
    expect(ledger?.pending).toEqual([]);
  });
});

describe('corrections', () => {
  it('reverses the original with a red-letter invoice and issues the corrected purchase', async () => {
    const seller = people.wangJianxin;
    const data = purchase(seller, 30_000, { buyer: { enterpriseId: issuers.dismantling.enterpriseId } });
    await h.publish([h.purchase('recorded', data)]);
    const [original] = await waitFor(
      async () => {
        const found = await entriesFor(data.purchaseId);
        return found.length === 1 && found;
      },
      { what: 'the original invoice' },
    );

    const corrected: PurchaseCorrectedData = {
      ...data,
      revision: 2,
      reason: '复称后调整收购价',
      lines: [{ ...data.lines[0]!, unitPriceFen: 25_000, amountFen: 25_000 }],
      totalFen: 25_000,
      occurredAt: '2025-03-01T09:00:00Z',
    };
    await h.publish([h.purchase('corrected', corrected)]);
    const entries = await waitFor(
      async () => {
        const found = await entriesFor(data.purchaseId);
        return found.length === 3 && found;
      },
      { what: 'the reversal and the new invoice' },
    );

    const reversal = InvoiceReversedData.parse(entries.find((e) => e.kind === 'reversed')!.data);
    const reissue = InvoiceIssuedData.parse(entries.filter((e) => e.kind === 'issued')[1]!.data);
    expect(reversal).toMatchObject({
      originalInvoiceId: original!.id,
      originalInvoiceNo: original!.data.invoiceNo,
      purchaseRevision: 2,
      reason: { code: 'purchase-corrected', note: '复称后调整收购价' },
      totals: { amountFen: -30_000, incomeTaxWithheldFen: -150 },
    });
    expect(reissue).toMatchObject({ purchaseRevision: 2, totals: { amountFen: 25_000 } });
    // Numbers of the issuer run on without a gap: original, red-letter, new.
    const numbers = [original!.data.invoiceNo as string, reversal.invoiceNo, reissue.invoiceNo].map((n) =>
      Number(n.slice(6)),
    );
    expect(numbers).toEqual([numbers[0], numbers[0]! + 1, numbers[0]! + 2]);
  });
});

describe('the monthly withholding declaration', () => {
  it('is prepared on demand, published on recycling.declarations.v1 and downloadable as CSV and JSON', async () => {
    const seller = people.ayigul;
    const data = purchase(seller, 7_700, { buyer: { enterpriseId: issuers.dismantling.enterpriseId } });
    await h.publish([h.purchase('recorded', data)]);
    await waitFor(async () => (await entriesFor(data.purchaseId)).length === 1, { what: 'the invoice' });

    const collector = await collectMessages(h.kafka, [`${h.prefix}.recycling.declarations.v1`]);
    try {
      const res = await request(h.service.app)
        .post('/declarations')
        .set('Authorization', `Bearer ${admin}`)
        .send({ enterpriseId: issuers.dismantling.enterpriseId, period: '2025-03' })
        .expect(201);
      const declaration = DeclarationPreparedData.parse(res.body);
      const mine = await request(h.service.app)
        .get('/feed/invoices')
        .query({ enterpriseId: issuers.dismantling.enterpriseId, period: '2025-03', limit: '500' })
        .set('Authorization', `Bearer ${taxOfficer}`);
      const items = mine.body.items as { kind: string; data: { totals: { amountFen: number } } }[];
      const expectedSales = items
        .filter((i) => i.kind !== 'refused')
        .reduce((s, i) => s + i.data.totals.amountFen, 0);
      expect(declaration).toMatchObject({
        enterpriseId: issuers.dismantling.enterpriseId,
        period: '2025-03',
        revision: 1,
        issuer: { name: issuers.dismantling.name, taxpayerId: issuers.dismantling.taxpayerId },
      });
      expect(declaration.summary.salesFen).toBe(expectedSales);
      expect(declaration.details.find((d) => d.seller.sellerKey === seller.sellerKey)).toMatchObject({
        salesFen: 7_700,
        exemptSalesFen: 7_700,
        incomeTaxFen: 39, // 38.5 rounds away from zero
        invoiceCount: 1,
      });

      const message = await waitFor(
        () =>
          collector.received.find((m) => JSON.parse(m.value!).declarationId === declaration.declarationId),
        { what: 'the declaration event' },
      );
      expect(message.key).toBe(issuers.dismantling.enterpriseId);
      expect(DeclarationPreparedData.parse(JSON.parse(message.value!))).toEqual(declaration);

      // Asking again with nothing changed gives the same revision and no new event.
      await request(h.service.app)
        .post('/declarations')
        .set('Authorization', `Bearer ${admin}`)
        .send({ enterpriseId: issuers.dismantling.enterpriseId, period: '2025-03' })
        .expect(200);

      const csv = await request(h.service.app)
        .get(`/declarations/${declaration.declarationId}/export`)
        .set('Authorization', `Bearer ${taxOfficer}`)
        .expect(200);
      expect(csv.headers['content-disposition']).toContain(`${declaration.declarationId}.csv`);
      expect(csv.text).toContain('代扣个人所得税 Income tax withheld (yuan)');
      expect(csv.text).toContain(seller.name);
      expect(csv.text).toContain('0.39');
      const json = await request(h.service.app)
        .get(`/declarations/${declaration.declarationId}/export?format=json`)
        .set(
          'Authorization',
          `Bearer ${await h.token('dismantler-operator', issuers.dismantling.enterpriseId)}`,
        )
        .expect(200);
      expect(JSON.parse(json.text)).toEqual(declaration);
      expect(
        collector.received.filter((m) => JSON.parse(m.value!).declarationId === declaration.declarationId),
      ).toHaveLength(1);
    } finally {
      await collector.stop();
    }
  });
});

describe('enterprises', () => {
  it('refuses a bad enterprise body naming the fields, and non-administrators', async () => {
    const res = await request(h.service.app)
      .put('/enterprises/ent-x')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: '', taxpayerId: '123', vatMethod: 'flat', status: 'active', qualification: null })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'name',
      'taxpayerId',
      'vatMethod',
    ]);
    await request(h.service.app)
      .put('/enterprises/ent-x')
      .set('Authorization', `Bearer ${taxOfficer}`)
      .send(enterpriseBody(issuers.lvyuan, []))
      .expect(403);
  });

  it('refuses purchases of a suspended enterprise with a reason in the feed', async () => {
    await request(h.service.app)
      .put('/enterprises/ent-suspended')
      .set('Authorization', `Bearer ${admin}`)
      .send({ ...enterpriseBody(issuers.lvyuan, []), status: 'suspended' })
      .expect(201);
    const data = purchase(people.liXiulan, 5_000, { buyer: { enterpriseId: 'ent-suspended' } });
    await h.publish([h.purchase('recorded', data)]);
    const [refusal] = await waitFor(
      async () => {
        const found = await entriesFor(data.purchaseId);
        return found.length === 1 && found;
      },
      { what: 'the refusal' },
    );
    expect(refusal).toMatchObject({
      kind: 'refused',
      type: 'recycling.invoice.refused.v1',
      data: { reasonCode: 'issuer-suspended', sellerKey: people.liXiulan.sellerKey },
    });
    expect(refusal!.data).not.toHaveProperty('seller');
  });
});
