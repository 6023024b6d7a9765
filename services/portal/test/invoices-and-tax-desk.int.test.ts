// Issue 16, the invoices and the tax desk, in a real headless Chromium against the real pickup,
// sorting and invoicing services: at a phone viewport the resident downloads an invoice as a PDF
// from My money (a plain link, 44 px, named with the invoice number; axe finds nothing); at a desk
// the tax office filters the feed by enterprise name, sees the totals of the filter and Beijing
// times, keeps the filter over a reload (it is in the address), and reads a bad credit code refused
// in plain words next to its field.
import fs from 'node:fs';
import { inflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { eventually, launchBrowser, signIn, type Browser } from './support/browser';
import { startNetwork, type Network } from './support/network';
import { axeViolations, describeViolations } from './support/resident';

jest.setTimeout(600_000);

const STATION = { siteId: 'st-e2e-inv-01', enterpriseId: 'ent-e2e-inv' };
const ENTERPRISE = { name: '阿拉尔市绿源再生资源回收有限公司', taxpayerId: '91659002MA7A2B3C4D' };
const SERVED = 's-xingfulu';
const RESIDENT = 'r-e2e-inv-1';

let network: Network;
let browser: Browser;

const cityDate = (days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
    new Date(Date.now() + days * 86_400_000),
  );

async function ok(what: string, res: Promise<Response>): Promise<Record<string, unknown>> {
  const r = await res;
  const body = (await r.json().catch(() => ({}))) as Record<string, unknown>;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(body)}`);
  return body;
}

beforeAll(async () => {
  network = await startNetwork('inv', ['pickup', 'sorting', 'invoicing']);
  await ok(
    'site',
    network.call('pickup', 'PUT', `/sites/${STATION.siteId}`, 'administrator', {
      kind: 'station',
      name: { zh: '幸福路分拣中心', en: 'Xingfu Road sorting station' },
      enterpriseId: STATION.enterpriseId,
      districts: [SERVED],
      active: true,
    }),
  );
  await ok(
    'station',
    network.call('sorting', 'PUT', `/stations/${STATION.siteId}`, 'administrator', {
      name: '幸福路分拣中心',
      districtCode: SERVED,
      enterpriseId: STATION.enterpriseId,
      active: true,
    }),
  );
  await ok(
    'enterprise',
    network.call('invoicing', 'PUT', `/enterprises/${STATION.enterpriseId}`, 'administrator', {
      ...ENTERPRISE,
      qualification: { type: 'recycler-filing', number: 'XJ-ALR-2024-0017' },
      vatMethod: 'general',
      status: 'active',
      siteIds: [STATION.siteId],
    }),
  );
  // A resident's booking, collected and bought by the station: its reverse invoice follows.
  const booked = await ok(
    'booking',
    network.call(
      'pickup',
      'POST',
      '/pickups',
      'resident',
      {
        kind: 'appliances',
        appliances: [{ category: 'refrigerator', count: 1 }],
        address: { districtCode: SERVED, detail: '幸福路 20 号 1 栋 101' },
        contact: { phone: '13912345678' },
        slot: { date: cityDate(1), window: '10:00-13:00' },
      },
      RESIDENT,
    ),
  );
  const pickupId = booked.pickupId as string;
  await ok(
    'schedule',
    network.call(
      'pickup',
      'POST',
      `/pickups/${pickupId}/schedule`,
      'station-operator',
      {
        slot: { date: cityDate(0), window: '16:00-19:00' },
        collector: { name: '李师傅', phone: '13800138000' },
      },
      STATION.siteId,
    ),
  );
  // Sorting learns of the pickup from its event: retry the intake until it does.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await network.call(
      'sorting',
      'POST',
      `/stations/${STATION.siteId}/intakes`,
      'station-operator',
      {
        source: { kind: 'pickup', pickupId },
        seller: {
          kind: 'person',
          name: '王建新',
          idType: 'resident-id-card',
          idNumber: '659002197803124511',
          consentToReverseInvoicing: true,
        },
        lines: [
          {
            category: 'refrigerator',
            units: 1,
            weightGrams: 62_500,
            condition: 'for-dismantling',
            priceFen: 12_050,
          },
        ],
      },
      STATION.siteId,
    );
    if (r.status < 300) break;
    if (Date.now() > deadline) throw new Error(`intake: ${r.status} ${await r.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await network?.stop();
});

async function expectAccessible(page: Page, what: string) {
  const violations = await axeViolations(page);
  expect({ page: what, violations: describeViolations(violations) }).toEqual({ page: what, violations: [] });
}

/** The text a pdfkit page shows: glyph ids in the content streams mapped back through ToUnicode. */
function pdfText(pdf: Buffer): string {
  const streams = [...pdf.toString('latin1').matchAll(/stream\r?\n([\s\S]*?)endstream/g)].map((m) => {
    const raw = Buffer.from(m[1]!, 'latin1');
    try {
      return inflateSync(raw).toString('latin1');
    } catch {
      return raw.toString('latin1');
    }
  });
  const glyphs = new Map<number, string>();
  for (const cmap of streams.filter((s) => s.includes('begincmap'))) {
    for (const m of cmap.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*\[([^\]]*)\]/gi)) {
      const targets = [...m[3]!.matchAll(/<([0-9a-f]+)>/gi)].map((t) =>
        String.fromCodePoint(parseInt(t[1]!, 16)),
      );
      targets.forEach((ch, i) => glyphs.set(parseInt(m[1]!, 16) + i, ch));
    }
  }
  return streams
    .filter((s) => /\bTJ\b/.test(s) && !s.includes('begincmap'))
    .flatMap((s) => [...s.matchAll(/<([0-9a-f]*)>/gi)])
    .map((m) => (m[1]!.match(/.{4}/g) ?? []).map((g) => glyphs.get(parseInt(g, 16)) ?? '').join(''))
    .join('');
}

describe('the resident on a phone', () => {
  it('downloads an invoice as a PDF from My money', async () => {
    const resident = await browser.tab({ phone: true });
    await signIn(resident, network.portalUrl, 'resident', RESIDENT);
    await resident.click('[data-testid=tab-money]');
    await resident.waitForSelector('[data-testid=my-invoices]');
    const link = '[data-testid=invoices-list] li [data-testid=invoice-pdf]';
    await eventually(resident, async () => (await resident.locator(link).count()) > 0, {
      refresh: '[data-testid=invoices-refresh]',
      what: "the resident's reverse invoice",
    });
    const item = resident.locator('[data-testid=invoices-list] li').first();
    const invoiceNo = (await item.getAttribute('data-testid'))!.replace(/^invoice-/, '');
    expect(invoiceNo).toMatch(/^\d{20}$/);
    // A plain link, named with the invoice number, big enough to tap.
    const pdfLink = item.locator('[data-testid=invoice-pdf]');
    expect(await pdfLink.evaluate((a) => a.tagName)).toBe('A');
    expect(await pdfLink.innerText()).toBe('下载 PDF');
    expect(await pdfLink.getAttribute('aria-label')).toContain(invoiceNo);
    const box = (await pdfLink.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.width).toBeGreaterThanOrEqual(44);
    await expectAccessible(resident, 'money with the PDF link');
    await browser.screenshot(resident, 'i01-money-pdf-link');

    const [download] = await Promise.all([resident.waitForEvent('download'), pdfLink.click()]);
    expect(download.suggestedFilename()).toBe(`invoice-${invoiceNo}.pdf`);
    const pdf = fs.readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain(`(${invoiceNo})`); // the Keywords the service sets
    const text = pdfText(pdf);
    expect(text).toContain(`发票号码：${invoiceNo}`);
    expect(text).toContain(ENTERPRISE.name);
    expect(text).toContain('王**');
    expect(text).not.toContain('王建新');
    expect(text).toContain('价税合计（大写）⊗ 壹佰贰拾圆伍角整');
    console.log(`invoice PDF ${invoiceNo}: ${pdf.length} bytes`);
  });
});

describe('the tax desk', () => {
  it('filters by enterprise name with totals, keeps the filter over a reload, and explains a bad credit code', async () => {
    const tax = await browser.tab();
    await signIn(tax, network.portalUrl, 'tax-officer', 'tax-e2e-inv');
    await tax.goto(`${network.portalUrl}/tax`);
    await tax.waitForSelector('[data-testid=tax-filters]');
    await tax.fill('input[name=enterpriseName]', '绿源');
    await tax.click('[data-testid=tax-search]');
    await tax.waitForURL((url) => url.searchParams.get('enterpriseName') === '绿源');
    await eventually(tax, async () => (await tax.locator('[data-testid=invoices] tbody tr').count()) === 1, {
      refresh: '[data-testid=tax-refresh]',
      what: "the enterprise's invoice in the feed",
    });
    const totals = async () => ({
      count: await tax.innerText('[data-testid=total-count]'),
      amount: await tax.innerText('[data-testid=total-amount]'),
      vat: await tax.innerText('[data-testid=total-vat]'),
      total: await tax.innerText('[data-testid=total-total]'),
    });
    await eventually(tax, async () => (await totals()).count === '1', { what: 'the totals' });
    expect(await totals()).toEqual({ count: '1', amount: '120.50', vat: '0.00', total: '120.50' });
    expect(await tax.innerText('[data-testid=tax-matched]')).toContain(ENTERPRISE.taxpayerId);
    // Times in Beijing time: the row's time is the sale's time in Asia/Shanghai.
    const row = await tax.locator('[data-testid=invoices] tbody tr').first().innerText();
    expect(row).toContain(cityDate(0));
    expect(await tax.locator('th', { hasText: '北京时间' }).count()).toBe(1);
    await expectAccessible(tax, 'tax desk filtered');
    await browser.screenshot(tax, 'i02-tax-filtered');

    // The filter is in the address: a reload shows the same list and totals.
    await tax.reload();
    await tax.waitForSelector('[data-testid=tax-totals]');
    expect(await tax.inputValue('input[name=enterpriseName]')).toBe('绿源');
    await eventually(tax, async () => (await totals()).amount === '120.50', {
      what: 'the totals after a reload',
    });
    expect(await tax.locator('[data-testid=invoices] tbody tr').count()).toBe(1);

    // A bad credit code: refused in plain words beside its field, no path shown.
    await tax.fill('input[name=creditCode]', '12345');
    await tax.click('[data-testid=tax-search]');
    const input = tax.locator('input[name=creditCode]');
    await eventually(tax, async () => (await input.getAttribute('aria-invalid')) === 'true', {
      what: 'the credit code marked invalid',
    });
    const page = await tax.locator('main').innerText();
    expect(page).toContain('统一社会信用代码应为 18 位');
    expect(page).not.toContain('query.creditCode');
    await expectAccessible(tax, 'tax desk with a bad filter');
    await browser.screenshot(tax, 'i03-tax-bad-filter');
  });
});
