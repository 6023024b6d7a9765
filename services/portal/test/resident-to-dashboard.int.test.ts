// The "Must show", in a real headless Chromium against the real services, broker and store:
// a resident books a pickup, the station desk records its intake, and the change shows on the
// resident's page (delivered, and the reverse invoice under 我的发票) and on the city dashboard,
// which a city official reads. The dismantler desk takes in the resident's car from its pickup,
// certifies and dismantles it through its forms; the tax office filters, exports and sees the
// declaration an administrator prepares. Every page is photographed into .artifacts/.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { vinCheckDigit } from '@recycling/contracts';
import type { Page } from 'playwright-core';
import { eventually, launchBrowser, signIn, type Browser } from './support/browser';
import { startNetwork, type Network } from './support/network';
import { confirmBooking, fillBooking } from './support/resident';

jest.setTimeout(600_000);

const STATION = { siteId: 'st-e2e-01', enterpriseId: 'ent-e2e-lvyuan' };
const DISMANTLER = { siteId: 'dm-e2e-01', enterpriseId: 'ent-e2e-dismantling' };
const ENTERPRISE_NAMES = {
  station: '阿拉尔市绿源再生资源回收有限公司',
  dismantler: '阿拉尔市报废机动车回收拆解有限公司',
};
const SELLER = { name: '王建新', idNumber: '659002197803124511' }; // a valid resident id (check digit)
const OWNER = { name: '阿依古丽·买买提', idNumber: '65900219900517234X' };
const RESIDENT = 'r-e2e-1001';
const DISTRICT = 't01';

/** A VIN with a valid check digit, unique per run (one live intake per VIN). */
function freshVin(): string {
  const serial = randomBytes(4).readUInt32BE(0).toString().padStart(10, '0').slice(-7);
  const draft = `LSVAG2180A${serial}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
}

let network: Network;
let browser: Browser;

beforeAll(async () => {
  network = await startNetwork('e2e', ['pickup', 'sorting', 'dismantling', 'invoicing', 'statistics']);
  for (const needed of ['pickup', 'sorting', 'dismantling', 'invoicing', 'statistics'] as const) {
    if (!network.started.includes(needed)) throw new Error(`the ${needed} service is needed for this flow`);
  }
  // What an administrator sets up once: the station, known to pickup (assignment) and sorting (desk).
  const district = DISTRICT;
  const site = await network.call('pickup', 'PUT', `/sites/${STATION.siteId}`, 'administrator', {
    kind: 'station',
    name: { zh: '幸福路分拣中心', en: 'Xingfu Road sorting station' },
    enterpriseId: STATION.enterpriseId,
    districts: [district],
    active: true,
  });
  expect(site.status).toBeLessThan(300);
  const vehicleSite = await network.call('pickup', 'PUT', `/sites/${DISMANTLER.siteId}`, 'administrator', {
    kind: 'dismantler',
    name: { zh: '阿拉尔报废车拆解', en: 'Alar vehicle dismantler' },
    enterpriseId: DISMANTLER.enterpriseId,
    districts: [district],
    active: true,
  });
  expect(vehicleSite.status).toBeLessThan(300);
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
      name: ENTERPRISE_NAMES.station,
      taxpayerId: '91659002MA7A2B3C4D',
      qualification: { type: 'recycler-filing', number: 'XJ-ALR-2024-0017' },
      vatMethod: 'general',
      status: 'active',
      siteIds: [STATION.siteId],
    },
  );
  expect(enterprise.status).toBeLessThan(300);
  const vehicleEnterprise = await network.call(
    'invoicing',
    'PUT',
    `/enterprises/${DISMANTLER.enterpriseId}`,
    'administrator',
    {
      name: ENTERPRISE_NAMES.dismantler,
      taxpayerId: '91659002MA79K8L6PX',
      qualification: { type: 'dismantler-certificate', number: 'XJ-BF-2020-003' },
      vatMethod: 'simplified',
      status: 'active',
      siteIds: [DISMANTLER.siteId],
    },
  );
  expect(vehicleEnterprise.status).toBeLessThan(300);
  const dismantler = await network.call(
    'dismantling',
    'PUT',
    `/dismantlers/${DISMANTLER.siteId}`,
    'administrator',
    {
      name: ENTERPRISE_NAMES.dismantler,
      enterpriseId: DISMANTLER.enterpriseId,
      qualificationCertificateNo: 'XJ-BF-2020-003',
      districtCode: district,
      status: 'active',
    },
  );
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
    await signIn(resident, network.portalUrl, 'resident', RESIDENT);
    await browser.screenshot(resident, '02-resident-empty');

    await fillBooking(resident, {
      district: DISTRICT,
      appliances: { refrigerator: 2 },
      address: '幸福路 12 号 3 栋 2 单元 401',
      phone: '12345',
    });
    await resident.click('[data-testid=book-submit]');
    // The refusal names the field in plain words and takes the resident back to it.
    expect(await text(resident, '[data-testid=problem]')).toContain('联系电话');
    await browser.screenshot(resident, '03-resident-field-error');
    await resident.click('[data-testid=fix-field]');
    const fieldError = await resident.waitForSelector('[data-testid="field-error-contact.phone"]');
    expect(await fieldError.isVisible()).toBe(true);

    await resident.fill('input[name="contact.phone"]', '13912345678');
    await resident.click('[data-testid=step-next]:not([disabled])');
    pickupId = await confirmBooking(resident);
    expect(pickupId).not.toBe('');
    await resident.click('[data-testid=go-bookings]');
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
    // The arrivals are read again after the intake list: wait for that answer, not for a fixed time.
    const arrival = station.locator(`[data-testid="arrival-${pickupId}"]`);
    await arrival.waitFor({ state: 'detached', timeout: 15_000 });
    expect(await arrival.count()).toBe(0);
    await browser.screenshot(station, '07-station-intake-recorded');
  });

  it('the resident’s page shows the pickup delivered to the station, and its reverse invoice', async () => {
    const status = `[data-testid="pickup-${pickupId}"] [data-testid=pickup-status]`;
    await eventually(
      resident,
      async () => (await resident.getAttribute(status, 'data-status')) === 'delivered',
      {
        refresh: '[data-testid=pickups-refresh]',
        what: `pickup ${pickupId} delivered on the resident's page`,
      },
    );
    const tracker = await text(resident, `[data-testid="pickup-${pickupId}"] [data-testid=tracker]`);
    expect(tracker).toContain('已预约');
    expect(tracker).toContain('已送达回收站');
    await browser.screenshot(resident, '08-resident-delivered');
    await resident.click('[data-testid=tab-money]');

    // 我的发票: the station's enterprise reverse-invoiced the purchase that came through this pickup.
    const invoice = `[data-testid=invoices-list] li[data-pickup="${pickupId}"]`;
    await eventually(resident, async () => (await resident.locator(invoice).count()) > 0, {
      refresh: '[data-testid=invoices-refresh]',
      what: `the invoice of pickup ${pickupId} under My invoices`,
    });
    expect(await resident.getAttribute(invoice, 'data-status')).toBe('issued');
    expect(await text(resident, `${invoice} [data-testid=invoice-amount]`)).toBe('120.50'); // 12050 fen
    expect(await text(resident, `${invoice} [data-testid=invoice-vat]`)).toBe('0.00'); // exempt
    expect(await text(resident, `${invoice} [data-testid=invoice-status]`)).toBe('已开具');
    const row = await text(resident, invoice);
    expect(row).toMatch(/^\d{20}/); // the invoice number comes first
    expect(row).toContain(ENTERPRISE_NAMES.station);
    expect(row).toContain('王**'); // the seller masked
    expect(row).not.toContain(SELLER.name);
    expect(await text(resident, '[data-testid=my-invoices] h2')).toBe('我的发票');
    await resident.locator('[data-testid=my-invoices]').scrollIntoViewIfNeeded();
    await browser.screenshot(resident, '09-resident-invoice');
    await resident.click('[data-testid=lang-switch]');
    expect(await text(resident, '[data-testid=my-invoices] h2')).toBe('My invoices');
    expect(await text(resident, `${invoice} [data-testid=invoice-status]`)).toBe('Issued');
    await resident.click('[data-testid=lang-switch]');
  });

  it('a city official sees the dashboard count the request and the two appliances recovered', async () => {
    const city = await browser.tab();
    await signIn(city, network.portalUrl, 'city-official', 'city-e2e');
    // The city official lands on the dashboard, the only page of the role.
    await city.waitForURL((url) => url.pathname === '/dashboard');
    expect(await city.locator('[data-testid=nav-dashboard]').count()).toBe(1);
    expect(await city.locator('[data-testid=nav-tax]').count()).toBe(0);
    const value = (selector: string) => city.getAttribute(selector, 'data-value');
    await eventually(
      city,
      async () =>
        (await city.locator('[data-testid=ytd-appliances-recovered]').count()) > 0 &&
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
      expect(await city.locator(`[data-testid=${chart}] canvas`).count()).toBeGreaterThan(0);
    }
    expect(await city.locator('[data-testid=chart-district] canvas').count()).toBeGreaterThan(0);
    expect(await city.locator('[data-testid=problem]').count()).toBe(0);
    await browser.screenshot(city, '10-dashboard');

    await city.click('[data-testid=lang-switch]');
    await city.waitForSelector('text=City dashboard');
    await browser.screenshot(city, '11-dashboard-en');
    await city.click('[data-testid=lang-switch]');
  });

  let vehiclePickupId = '';
  const vin = freshVin();

  it('the resident books the pickup of a scrapped car', async () => {
    await resident.click('[data-testid=tab-book]');
    await fillBooking(resident, {
      district: DISTRICT,
      vehicle: { plate: '新N12323', vin, registrationDate: '2009-06-18' },
      address: '昌安镇 3 连 15 号',
      phone: '13912345678',
    });
    vehiclePickupId = await confirmBooking(resident);
    expect(vehiclePickupId).not.toBe('');
    expect(vehiclePickupId).not.toBe(pickupId);
    await resident.click('[data-testid=go-bookings]');
    await resident.waitForSelector(`[data-testid="pickup-${vehiclePickupId}"]`);
  });

  it('the dismantler desk takes the car in from its pickup, certifies it and records the dismantling', async () => {
    const desk = await browser.tab();
    await signIn(desk, network.portalUrl, 'dismantler-operator', 'op-e2e-2', DISMANTLER.siteId);
    await desk.waitForSelector('[data-testid=vehicle-form]');
    await eventually(
      desk,
      async () => (await desk.locator(`[data-testid="expected-${vehiclePickupId}"]`).count()) > 0,
      {
        refresh: '[data-testid=expected-refresh]',
        what: `pickup ${vehiclePickupId} among the expected vehicles`,
      },
    );
    await browser.screenshot(desk, '12-dismantler-expected');

    // Taking it in from the list fills in what the pickup knows.
    await desk.click(`[data-testid="take-in-${vehiclePickupId}"]`);
    expect(await desk.inputValue('input[name=pickupId]')).toBe(vehiclePickupId);
    expect(await desk.inputValue('input[name=vin]')).toBe(vin);
    expect(await desk.inputValue('input[name=registrationDate]')).toBe('2009-06-18');
    await desk.fill('input[name=plate]', '新N12323');
    await desk.fill('input[name="owner.name"]', OWNER.name);
    await desk.fill('input[name="owner.idNumber"]', OWNER.idNumber);
    await desk.check('input[name="payment.consent"]');
    // A price of a tenth of a fen is refused by the service, next to its field.
    await desk.fill('input[name=priceYuan]', '1500.555');
    await desk.click('[data-testid=vehicle-submit]');
    await desk.waitForSelector('[data-testid="field-error-priceFen"]');
    await browser.screenshot(desk, '13-dismantler-price-error');

    await desk.fill('input[name=priceYuan]', '1500');
    await desk.click('[data-testid=vehicle-submit]');
    const notice = await desk.waitForSelector('[data-testid=vehicle-notice]');
    const intakeId = /:\s*(\S+)/.exec(await notice.innerText())?.[1] ?? '';
    expect(intakeId).toMatch(/^vi-/);
    const intake = `[data-testid="vehicle-intake-${intakeId}"]`;
    await desk.waitForSelector(intake);
    expect(await desk.getAttribute(intake, 'data-pickup')).toBe(vehiclePickupId);
    expect(await desk.getAttribute(intake, 'data-status')).toBe('received');
    expect(await text(desk, intake)).toContain(vin);
    // The form is cleared: the owner's identity does not stay on the desk's screen.
    expect(await desk.inputValue('input[name="owner.idNumber"]')).toBe('');
    // Taken in: no longer expected.
    await eventually(
      desk,
      async () => (await desk.locator(`[data-testid="expected-${vehiclePickupId}"]`).count()) === 0,
      { refresh: '[data-testid=expected-refresh]', what: 'the taken-in vehicle to leave the expected list' },
    );

    // The certificate, printable from the desk.
    await desk.click(`${intake} [data-testid=issue-certificate]`);
    await desk.waitForSelector('[data-testid=certificate] iframe');
    const certificateNo = (await text(desk, '[data-testid=certificate] h2')).split('·').pop()!.trim();
    expect(certificateNo).toMatch(new RegExp(`^${DISMANTLER.siteId}-\\d{4}-\\d{6}$`));
    const certificate = desk.frameLocator('[data-testid=certificate] iframe').locator('body');
    await certificate.waitFor();
    expect(await certificate.innerText()).toContain(vin);
    expect(await certificate.innerText()).toContain('报废机动车回收证明');
    expect(await text(desk, `${intake} [data-testid=open-certificate]`)).toContain(certificateNo);
    await browser.screenshot(desk, '14-dismantler-certificate');

    // The dismantling record: the five assemblies to scrap steel, 712 kg of steel.
    await desk.click(`${intake} [data-testid=open-dismantling]`);
    await desk.waitForSelector('[data-testid=dismantling-form]');
    await desk.fill('input[name="materials.ferrousKg"]', '712');
    await desk.click('[data-testid=dismantling-submit]');
    await eventually(desk, async () => (await desk.getAttribute(intake, 'data-dismantled')) === 'yes', {
      what: 'the intake marked dismantled',
    });
    expect(await desk.locator('[data-testid=dismantling-form]').count()).toBe(0);
    expect(await text(desk, intake)).toContain('已拆解');
    await browser.screenshot(desk, '15-dismantler-dismantled');
  });

  it('the resident reads the car’s certificate online and finds its invoice', async () => {
    const card = `[data-testid="pickup-${vehiclePickupId}"]`;
    await resident.click('[data-testid=tab-bookings]');
    await eventually(
      resident,
      async () =>
        (await resident.getAttribute(`${card} [data-testid=pickup-status]`, 'data-status')) === 'certified',
      { refresh: '[data-testid=pickups-refresh]', what: `pickup ${vehiclePickupId} certified` },
    );
    await resident.click(`${card} [data-testid=pickup-certificate]`);
    const certificate = resident.frameLocator('[data-testid=certificate] iframe').locator('body');
    await certificate.waitFor();
    expect(await certificate.innerText()).toContain(vin);
    expect(await certificate.innerText()).not.toContain(OWNER.idNumber);
    await resident.click('[data-testid=tab-money]');

    const invoice = `[data-testid=invoices-list] li[data-pickup="${vehiclePickupId}"]`;
    await eventually(resident, async () => (await resident.locator(invoice).count()) > 0, {
      refresh: '[data-testid=invoices-refresh]',
      what: `the invoice of pickup ${vehiclePickupId} under My invoices`,
    });
    expect(await text(resident, `${invoice} [data-testid=invoice-amount]`)).toBe('1,500.00');
    expect(await text(resident, invoice)).toContain(ENTERPRISE_NAMES.dismantler);
    // Both pickups' invoices, and nobody else's.
    expect(await resident.locator('[data-testid=invoices-list] li').count()).toBe(2);
    await browser.screenshot(resident, '16-resident-certificate-and-invoices');
  });

  it('the tax office filters the feed, exports it, and sees the declaration an administrator prepares', async () => {
    const page = await browser.tab();
    await page.goto(`${network.portalUrl}/signin`);
    await page.waitForSelector('[data-testid=signin-form]');
    await browser.screenshot(page, '01-signin');

    const tax = await browser.tab();
    await signIn(tax, network.portalUrl, 'tax-officer', 'tax-e2e');
    await tax.waitForSelector('[data-testid=invoices]');
    // Both reverse invoices are in the month's feed, naming their sellers.
    const issued = '[data-testid=invoices] tbody tr[data-kind=issued]';
    await eventually(tax, async () => (await tax.locator(issued).count()) >= 2, {
      refresh: '[data-testid=tax-refresh]',
      what: 'both reverse invoices in the tax office feed',
    });
    await browser.screenshot(tax, '17-tax');

    // Filter: the station's enterprise (by its name, as people know it), issued invoices only.
    await tax.fill('input[name=enterpriseName]', ENTERPRISE_NAMES.station);
    await tax.selectOption('select[name=kind]', 'issued');
    await tax.click('[data-testid=tax-search]');
    await eventually(
      tax,
      async () =>
        (await tax.locator('[data-testid=invoices] tbody tr').count()) === 1 &&
        (await tax.getAttribute('[data-testid=invoices] tbody tr', 'data-enterprise')) ===
          STATION.enterpriseId,
      { what: 'the feed filtered to the station’s enterprise' },
    );
    const row = await text(tax, '[data-testid=invoices] tbody tr');
    expect(row).toContain(SELLER.name); // the tax office sees the full identity, as on the invoice
    expect(row).toContain('120.50');
    expect(row).not.toContain(OWNER.name);
    await browser.screenshot(tax, '18-tax-filtered');

    // The export is the filtered feed, as a CSV file.
    const [download] = await Promise.all([
      tax.waitForEvent('download'),
      tax.click('[data-testid=tax-export]'),
    ]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    expect(csv).toContain(SELLER.name);
    expect(csv).toContain('120.50');
    expect(csv).not.toContain(OWNER.name);

    // A name no enterprise has: an empty feed, said so.
    await tax.fill('input[name=enterpriseName]', '没有这家企业');
    await tax.click('[data-testid=tax-search]');
    await eventually(tax, async () => (await tax.locator('[data-testid=invoices] tbody tr').count()) === 0, {
      what: 'an empty feed',
    });
    expect(await tax.locator('text=暂无记录').count()).toBeGreaterThan(0);
    // The tax office writes nothing: no declaration button for it.
    expect(await tax.locator('[data-testid=prepare-declaration]').count()).toBe(0);

    // An administrator prepares the station enterprise's declaration for the month from the same page.
    const admin = await browser.tab();
    await signIn(admin, network.portalUrl, 'administrator', 'admin-e2e');
    // The filter is in the address: the station's enterprise named by its credit code.
    await admin.goto(`${network.portalUrl}/tax?creditCode=91659002MA7A2B3C4D`);
    await admin.waitForSelector('[data-testid=tax-matched]');
    await admin.click('[data-testid=prepare-declaration]');
    const declared = await admin.waitForSelector('[data-testid=declaration-notice]');
    const declarationId = /:\s*(\S+)/.exec(await declared.innerText())?.[1] ?? '';
    expect(declarationId).toContain(STATION.enterpriseId);
    await admin.waitForSelector(`[data-testid="declaration-${declarationId}"]`);
    await browser.screenshot(admin, '19-tax-declaration-prepared');

    // The tax officer sees it by searching for the enterprise.
    await tax.fill('input[name=enterpriseName]', ENTERPRISE_NAMES.station);
    await tax.click('[data-testid=tax-search]');
    const declaration = `[data-testid="declaration-${declarationId}"]`;
    await tax.waitForSelector(declaration);
    const cells = await tax.locator(`${declaration} td`).allInnerTexts();
    expect(cells[0]).toContain(ENTERPRISE_NAMES.station);
    expect(cells[2]).toBe('1'); // one seller
    expect(cells[3]).toBe('120.50'); // sales in yuan
    await browser.screenshot(tax, '20-tax-declaration');
  });
});
