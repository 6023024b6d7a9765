import { residentKeyOf, type PurchaseRecordedData } from '@recycling/contracts';
import { issuers, people, pickupRequested, purchaseRecorded, sites } from '@recycling/contracts/fixtures';
import { uniqueName, waitFor } from '@recycling/testkit';
import request from 'supertest';
import { TEST_SELLER_KEY_SECRET, startHarness, type Harness } from './harness';
import { pdfText } from './pdf-text';

// An invoice downloaded as a PDF (issue 16): by the resident whose pickup it came through, the tax
// office and the issuer's operators, with the fields of an electronic invoice; and the tax desk's
// filter by enterprise name or credit code with its totals.

let h: Harness;
const other = {
  enterpriseId: 'ent-tianshan',
  name: '阿拉尔市天山物资回收有限公司',
  taxpayerId: '91659002MA7B9C8D7E',
};

const enterprise = (name: string, taxpayerId: string, siteIds: string[]) => ({
  name,
  taxpayerId,
  qualification: { type: 'recycler-filing', number: 'BA-659002-0042' },
  vatMethod: 'general',
  status: 'active',
  siteIds,
});

beforeAll(async () => {
  h = await startHarness('invoicing-pdf');
  const admin = await h.token('administrator');
  for (const [id, body] of [
    [
      issuers.lvyuan.enterpriseId,
      enterprise(issuers.lvyuan.name, issuers.lvyuan.taxpayerId, [sites.station.siteId]),
    ],
    [other.enterpriseId, enterprise(other.name, other.taxpayerId, ['st-other-01'])],
  ] as const) {
    await request(h.service.app)
      .put(`/enterprises/${id}`)
      .set('Authorization', `Bearer ${admin}`)
      .send(body)
      .expect(201);
  }
});

afterAll(async () => {
  await h?.stop();
});

const purchase = (fen: number, over: Partial<PurchaseRecordedData> = {}): PurchaseRecordedData => ({
  ...purchaseRecorded,
  purchaseId: `intake:${uniqueName('I')}`,
  lines: [{ ...purchaseRecorded.lines[0]!, unitPriceFen: fen, amountFen: fen }],
  totalFen: fen,
  // Today: a sale of an open month, whatever the service's rules on late sales.
  occurredAt: new Date(Date.now() - 60_000).toISOString(),
  ...over,
});

const get = async (path: string, token: string) =>
  request(h.service.app)
    .get(path)
    .set('Authorization', `Bearer ${token}`)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

const json = (res: { body: Buffer }) => JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;

describe('an invoice as a PDF', () => {
  const account = `r-${uniqueName('pdf')}`;
  const pickupId = uniqueName('pk-pdf');
  let invoice: { invoiceId: string; invoiceNo: string };

  beforeAll(async () => {
    await h.publish([
      h.pickupRequested({
        ...pickupRequested,
        pickupId,
        residentKey: residentKeyOf(account, TEST_SELLER_KEY_SECRET),
      }),
      h.purchase('recorded', purchase(123_456, { pickupId })),
    ]);
    invoice = await waitFor(
      async () => {
        const res = await request(h.service.app)
          .get('/residents/me/invoices')
          .set('Authorization', `Bearer ${await h.token('resident', account)}`)
          .expect(200);
        return (res.body.items as { invoiceId: string; invoiceNo: string }[])[0];
      },
      { what: "the resident's invoice" },
    );
  });

  it('gives the resident their invoice with the fields of an electronic invoice, the seller masked', async () => {
    const res = await get(`/invoices/${invoice.invoiceId}/pdf`, await h.token('resident', account));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="invoice-${invoice.invoiceNo}.pdf"`,
    );
    const pdf = res.body;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The CJK font is embedded as a subset of the glyphs used: a few tens of kilobytes, not 10 MB.
    expect(pdf.length).toBeLessThan(80_000);
    // The metadata names it too (Keywords, a plain string object), for tools that read no glyphs.
    expect(pdf.toString('latin1')).toContain(`(${invoice.invoiceNo})`);
    const text = pdfText(pdf);
    for (const field of [
      '电子发票（普通发票）', // exempt sales go on an ordinary invoice
      `发票号码：${invoice.invoiceNo}`,
      '开票日期：',
      '购买方',
      issuers.lvyuan.name,
      issuers.lvyuan.taxpayerId,
      '销售方',
      '王**（个人）',
      '居民身份证',
      '项目名称',
      '1234.56',
      '免税',
      '价税合计（大写）⊗ 壹仟贰佰叁拾肆圆伍角陆分',
      '（小写）¥1234.56',
      '反向开票',
      '国家税务总局公告2024年第5号',
    ]) {
      expect(text).toContain(field);
    }
    expect(text).not.toContain(people.wangJianxin.name);
    expect(text).not.toContain(people.wangJianxin.idNumber);
    // The date is the sale's calendar day in Asia/Shanghai.
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(Date.now() - 60_000);
    const [y, m, d] = local.split('-');
    expect(text).toContain(`开票日期：${y}年${m}月${d}日`);
  });

  it("lets the tax office and the issuer's operators read it; another resident and another enterprise's operator not", async () => {
    const path = `/invoices/${invoice.invoiceId}/pdf`;
    expect((await get(path, await h.token('tax-officer'))).status).toBe(200);
    expect((await get(path, await h.token('station-operator', sites.station.siteId))).status).toBe(200);
    expect((await get(path, await h.token('station-operator', 'st-other-01'))).status).toBe(403);
    const stranger = await get(path, await h.token('resident', `r-${uniqueName('other')}`));
    expect(stranger.status).toBe(404);
  });

  it('answers an unknown id with a 404 problem', async () => {
    const res = await get('/invoices/inv-unknown/pdf', await h.token('tax-officer'));
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(json(res)).toMatchObject({ status: 404, code: 'invoice-not-found' });
  });
});

describe('the tax desk', () => {
  beforeAll(async () => {
    const p = purchase(50_000, { buyer: { enterpriseId: other.enterpriseId } });
    await h.publish([h.purchase('recorded', p)]);
    await waitFor(
      async () =>
        (await h.models.InvoiceRecord.countDocuments({ purchaseId: p.purchaseId })) > 0 || undefined,
      {
        what: "the other enterprise's invoice",
      },
    );
  });

  const feed = async (query: string) =>
    request(h.service.app)
      .get(`/feed/invoices${query}`)
      .set('Authorization', `Bearer ${await h.token('tax-officer')}`);

  it('filters by part of the name or by the credit code, never needing the internal id, with totals', async () => {
    const byName = await feed(`?enterpriseName=${encodeURIComponent('天山物资')}`);
    expect(byName.status).toBe(200);
    expect(byName.body.items.length).toBeGreaterThan(0);
    expect(
      new Set(
        byName.body.items.map(
          (i: { data: { issuer: { enterpriseId: string } } }) => i.data.issuer.enterpriseId,
        ),
      ),
    ).toEqual(new Set([other.enterpriseId]));
    const byCode = await feed(`?creditCode=${other.taxpayerId.toLowerCase()}`);
    expect(byCode.body.items.map((i: { id: string }) => i.id)).toEqual(
      byName.body.items.map((i: { id: string }) => i.id),
    );
    expect((await feed(`?enterpriseName=${encodeURIComponent('没有这家')}`)).body.items).toEqual([]);

    const totals = await feed(`/totals?enterpriseName=${encodeURIComponent('天山')}`);
    expect(totals.status).toBe(200);
    expect(totals.body).toMatchObject({
      count: byName.body.items.length,
      issued: byName.body.items.length,
      refused: 0,
      amountFen: 50_000,
      vatFen: 0,
      totalFen: 50_000,
      enterprises: [{ enterpriseId: other.enterpriseId, name: other.name, taxpayerId: other.taxpayerId }],
    });
    const all = await feed('/totals');
    expect(all.body.count).toBeGreaterThanOrEqual(2);
    expect(all.body.amountFen).toBe(123_456 + 50_000);

    const csv = await request(h.service.app)
      .get(`/feed/invoices/export?creditCode=${other.taxpayerId}`)
      .set('Authorization', `Bearer ${await h.token('tax-officer')}`)
      .expect(200);
    expect(csv.text).toContain(other.name);
    expect(csv.text).not.toContain(issuers.lvyuan.name);
  });

  it('refuses a bad filter in Chinese first, naming the field', async () => {
    const res = await feed('?creditCode=12345');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({
      code: 'invalid-credit-code',
      title_zh: '筛选条件有误',
      errors: [{ field: 'query.creditCode', code: 'invalid-credit-code' }],
    });
    expect(res.body.detail).toMatch(/^统一社会信用代码/);
    const totals = await feed(`/totals?enterpriseName=${'长'.repeat(101)}`);
    expect(totals.status).toBe(400);
    expect(totals.body.errors[0].field).toBe('query.enterpriseName');
  });
});
