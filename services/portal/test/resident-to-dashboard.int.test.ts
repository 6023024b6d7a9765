// The "Must show", in a real headless Chromium against the real services, broker and store:
// a resident books a pickup, the station desk records its intake, and the change shows on the
// resident's page and on the city dashboard. Every page is photographed into .artifacts/.
import type { Page } from 'playwright-core';
import { eventually, launchBrowser, signIn, type Browser } from './support/browser';
import { startNetwork, type Network } from './support/network';

jest.setTimeout(300_000);

const STATION = { siteId: 'st-e2e-01', enterpriseId: 'ent-e2e-lvyuan' };
const SELLER = { name: '王建新', idNumber: '659002197803124511' }; // a valid resident id (check digit)

let network: Network;
let browser: Browser;

beforeAll(async () => {
  network = await startNetwork('e2e', ['pickup', 'sorting', 'dismantling', 'invoicing', 'statistics']);
  for (const needed of ['pickup', 'sorting', 'dismantling', 'invoicing', 'statistics'] as const) {
    if (!network.started.includes(needed)) throw new Error(`the ${needed} service is needed for this flow`);
  }
  // What an administrator sets up once: the station, known to pickup (assignment) and sorting (desk).
  const district = 't01';
  const site = await network.call('pickup', 'PUT', `/sites/${STATION.siteId}`, 'administrator', {
    kind: 'station',
    name: { zh: '幸福路分拣中心', en: 'Xingfu Road sorting station' },
    enterpriseId: STATION.enterpriseId,
    districts: [district],
    active: true,
  });
  expect(site.status).toBeLessThan(300);
  const station = await network.call('sorting', 'PUT', `/stations/${STATION.siteId}`, 'administrator', {
    name: '幸福路分拣中心',
    districtCode: district,
    enterpriseId: STATION.enterpriseId,
    active: true,
  });
  expect(station.status).toBeLessThan(300);
  // The enterprise behind the station, qualified to reverse-invoice its sellers.
  const enterprise = await network.call(
    'invoicing',
    'PUT',
    `/enterprises/${STATION.enterpriseId}`,
    'administrator',
    {
      name: '阿拉尔市绿源再生资源回收有限公司',
      taxpayerId: '91659002MA7A2B3C4D',
      qualification: { type: 'recycler-filing', number: 'XJ-ALR-2024-0017' },
      vatMethod: 'general',
      status: 'active',
      siteIds: [STATION.siteId],
    },
  );
  expect(enterprise.status).toBeLessThan(300);
  const dismantler = await network.call('dismantling', 'PUT', '/dismantlers/dm-e2e-01', 'administrator', {
    name: '阿拉尔市报废机动车回收拆解有限公司',
    enterpriseId: 'ent-e2e-dismantling',
    qualificationCertificateNo: 'XJ-BF-2020-003',
    districtCode: district,
    status: 'active',
  });
  expect(dismantler.status).toBeLessThan(300);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await network?.stop();
});

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

describe('a pickup from booking to the dashboard', () => {
  let pickupId = '';
  let resident: Page;
  let station: Page;

  it('a resident books a pickup; a bad phone number is marked next to its field first', async () => {
    resident = await browser.tab({ phone: true });
    await signIn(resident, network.portalUrl, 'resident', 'r-e2e-1001');
    await browser.screenshot(resident, '02-resident-empty');

    await resident.fill('input[name="appliances.0.count"]', '2');
    await resident.fill('input[name="address.detail"]', '幸福路 12 号 3 栋 2 单元 401');
    await resident.fill('input[name="contact.phone"]', '12345');
    await resident.waitForSelector('[data-testid=slots] button.slot');
    await resident.click('[data-testid=slots] button.slot');
    await resident.click('[data-testid=book-submit]');
    const fieldError = await resident.waitForSelector('[data-testid="field-error-contact.phone"]');
    expect(await fieldError.isVisible()).toBe(true);
    expect(await text(resident, '[data-testid=problem]')).toContain('输入有误');
    await browser.screenshot(resident, '03-resident-field-error');

    await resident.fill('input[name="contact.phone"]', '13912345678');
    await resident.click('[data-testid=book-submit]');
    const notice = await resident.waitForSelector('[data-testid=book-notice]');
    pickupId = /:\s*(\S+)/.exec(await notice.innerText())?.[1] ?? '';
    expect(pickupId).not.toBe('');
    const card = `[data-testid="pickup-${pickupId}"]`;
    await resident.waitForSelector(card);
    expect(await resident.getAttribute(`${card} [data-testid=pickup-status]`, 'data-status')).toBe(
      'requested',
    );
    await browser.screenshot(resident, '04-resident-booked');
  });

  it('the station desk sees it arriving and records its intake with the seller’s consent', async () => {
    station = await browser.tab();
    await signIn(station, network.portalUrl, 'station-operator', 'op-e2e-1', STATION.siteId);
    await eventually(
      station,
      async () => (await station.locator(`[data-testid="arrival-${pickupId}"]`).count()) > 0,
      {
        refresh: '[data-testid=arrivals-refresh]',
        what: `pickup ${pickupId} among the expected arrivals`,
      },
    );
    await browser.screenshot(station, '05-station-arrival');

    await station.click(`[data-testid="receive-${pickupId}"]`);
    expect(await station.inputValue('input[name="source.pickupId"]')).toBe(pickupId);
    expect(await station.inputValue('input[name="lines.0.units"]')).toBe('2');
    await station.fill('input[name="lines.0.weightKg"]', '98.5');
    await station.fill('input[name="lines.0.priceYuan"]', '120.5');
    await station.fill('input[name="seller.name"]', SELLER.name);
    await station.fill('input[name="seller.idNumber"]', SELLER.idNumber);

    // Without consent the service refuses, and the desk shows which field.
    await station.click('[data-testid=intake-submit]');
    await station.waitForSelector('[data-testid="field-error-seller.consentToReverseInvoicing"]');
    await browser.screenshot(station, '06-station-consent-missing');

    await station.check('input[name="seller.consentToReverseInvoicing"]');
    await station.click('[data-testid=intake-submit]');
    await station.waitForSelector('[data-testid=intake-notice]');
    await station.waitForSelector('[data-testid=intakes] tbody tr');
    const row = await text(station, '[data-testid=intakes] tbody tr');
    expect(row).toContain(pickupId);
    expect(row).toContain('¥120.50'); // the line's price, sent as 12050 fen
    expect(row).toContain('98.5 kg');
    expect(row).not.toContain(SELLER.idNumber); // the desk shows the seller masked
    expect(await station.locator(`[data-testid="arrival-${pickupId}"]`).count()).toBe(0);
    await browser.screenshot(station, '07-station-intake-recorded');
  });

  it('the resident’s page shows the pickup delivered to the station', async () => {
    const status = `[data-testid="pickup-${pickupId}"] [data-testid=pickup-status]`;
    await eventually(
      resident,
      async () => (await resident.getAttribute(status, 'data-status')) === 'delivered',
      {
        refresh: '[data-testid=pickups-refresh]',
        what: `pickup ${pickupId} delivered on the resident's page`,
      },
    );
    await resident.click(`[data-testid="pickup-${pickupId}"] summary`);
    const history = await text(resident, `[data-testid="pickup-${pickupId}"] .history`);
    expect(history).toContain('已预约');
    expect(history).toContain('已入库');
    await browser.screenshot(resident, '08-resident-delivered');
  });

  it('the city dashboard counts the request and the two appliances recovered', async () => {
    const admin = await browser.tab();
    await signIn(admin, network.portalUrl, 'administrator', 'admin-e2e');
    await admin.goto(`${network.portalUrl}/dashboard`);
    const value = (selector: string) => admin.getAttribute(selector, 'data-value');
    await eventually(
      admin,
      async () =>
        (await admin.locator('[data-testid=ytd-appliances-recovered]').count()) > 0 &&
        (await value('[data-testid=ytd-appliances-recovered]')) === '2' &&
        (await value('[data-testid=funnel-requested]')) === '1',
      {
        refresh: '[data-testid=dashboard-refresh]',
        what: 'the dashboard to count the pickup and its intake',
      },
    );
    // The charts are drawn (ECharts renders into a canvas).
    for (const chart of [
      'chart-month-appliances-recovered',
      'chart-path-appliances-recovered',
      'chart-funnel',
    ]) {
      expect(await admin.locator(`[data-testid=${chart}] canvas`).count()).toBeGreaterThan(0);
    }
    expect(await admin.locator('[data-testid=chart-district] canvas').count()).toBeGreaterThan(0);
    await browser.screenshot(admin, '09-dashboard');

    await admin.click('[data-testid=lang-switch]');
    await admin.waitForSelector('text=City dashboard');
    await browser.screenshot(admin, '10-dashboard-en');
    await admin.click('[data-testid=lang-switch]');
  });

  it('the tax office sees the intake’s reverse invoice; the other pages render (screenshots)', async () => {
    const page = await browser.tab();
    await page.goto(`${network.portalUrl}/signin`);
    await page.waitForSelector('[data-testid=signin-form]');
    await browser.screenshot(page, '01-signin');

    await signIn(page, network.portalUrl, 'dismantler-operator', 'op-e2e-2', 'dm-e2e-01');
    await page.waitForSelector('[data-testid=vehicle-form]');
    await browser.screenshot(page, '11-dismantler');

    const tax = await browser.tab();
    await signIn(tax, network.portalUrl, 'tax-officer', 'tax-e2e');
    await tax.waitForSelector('[data-testid=invoices]');
    // The intake's purchase became a reverse invoice naming the seller, as the tax office sees it.
    const issued = '[data-testid=invoices] tr[data-kind=issued]';
    await eventually(tax, async () => (await tax.locator(issued).count()) > 0, {
      refresh: '[data-testid=tax-refresh]',
      what: 'the reverse invoice of the intake in the tax office feed',
    });
    const row = await text(tax, issued);
    expect(row).toContain(SELLER.name);
    expect(row).toContain('120.50');
    await browser.screenshot(tax, '12-tax');
  });
});
