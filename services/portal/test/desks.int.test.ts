// Issue 16, the desks, in a real headless Chromium at a desk viewport (1280 × 900) against the real
// pickup, dismantling and statistics services: the dismantler's day kept on the server (a car booked
// by a resident is expected, taken in, certified, deregistered and dismantled from the list, and a
// reload or the next shift finds the same work; nothing of it in the browser's storage), and the city
// dashboard with a period and a district picked (the figures of that district and month, pickers
// kept in the address, a legend only for what is drawn, the pickups in the order of their steps,
// times in Beijing time). axe-core audits both pages (WCAG 2.1 A and AA).
import { randomBytes } from 'node:crypto';
import { vinCheckDigit } from '@recycling/contracts';
import type { Page } from 'playwright-core';
import { eventually, launchBrowser, signIn, type Browser } from './support/browser';
import { startNetwork, type Network } from './support/network';
import { axeViolations, confirmBooking, describeViolations, fillBooking } from './support/resident';

jest.setTimeout(600_000);

const DISMANTLER = { siteId: 'dm-e2e-desk', enterpriseId: 'ent-e2e-desk' };
const DISTRICT = 't01'; // 金银川镇
const OWNER = { name: '阿依古丽·买买提', idNumber: '65900219900517234X' };

/** A VIN with a valid check digit, unique per run (one live intake per VIN). */
function freshVin(): string {
  const serial = randomBytes(4).readUInt32BE(0).toString().padStart(10, '0').slice(-7);
  const draft = `LSVAG2180A${serial}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
}

const cityMonth = (monthsBack = 0) => {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
    .format(new Date())
    .split('-')
    .map(Number) as [number, number];
  const index = y * 12 + (m - 1) - monthsBack;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};

let network: Network;
let browser: Browser;

beforeAll(async () => {
  network = await startNetwork('desk', ['pickup', 'dismantling', 'statistics']);
  for (const needed of ['pickup', 'dismantling', 'statistics'] as const) {
    if (!network.started.includes(needed)) throw new Error(`the ${needed} service is needed for this flow`);
  }
  const site = await network.call('pickup', 'PUT', `/sites/${DISMANTLER.siteId}`, 'administrator', {
    kind: 'dismantler',
    name: { zh: '金银川报废车拆解', en: 'Jinyinchuan vehicle dismantler' },
    enterpriseId: DISMANTLER.enterpriseId,
    districts: [DISTRICT],
    active: true,
  });
  expect(site.status).toBeLessThan(300);
  const dismantler = await network.call(
    'dismantling',
    'PUT',
    `/dismantlers/${DISMANTLER.siteId}`,
    'administrator',
    {
      name: '阿拉尔市金银川报废机动车回收拆解有限公司',
      enterpriseId: DISMANTLER.enterpriseId,
      qualificationCertificateNo: 'XJ-BF-2021-007',
      districtCode: DISTRICT,
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

async function expectAccessible(page: Page, what: string) {
  const violations = await axeViolations(page);
  expect({ page: what, violations: describeViolations(violations) }).toEqual({ page: what, violations: [] });
}

/** Nothing of the work in the browser: only the sign-in (per tab) and the language. */
async function expectNoWorkInStorage(page: Page) {
  const keys = (await page.evaluate(
    '[...Object.keys(sessionStorage), ...Object.keys(localStorage)]',
  )) as string[];
  expect(keys.filter((k) => !['recycling.session', 'recycling.lang'].includes(k))).toEqual([]);
}

describe('the dismantler’s day, kept on the server', () => {
  let pickupId = '';
  let intakeId = '';
  const vin = freshVin();

  it('a resident books the pickup of a scrapped car', async () => {
    const resident = await browser.tab({ phone: true });
    await signIn(resident, network.portalUrl, 'resident', 'r-e2e-desk-1');
    await fillBooking(resident, {
      district: DISTRICT,
      vehicle: { plate: '新N12323', vin, registrationDate: '2009-06-18' },
      address: '金银川镇 3 连 15 号',
      phone: '13912345678',
    });
    pickupId = await confirmBooking(resident);
    expect(pickupId).not.toBe('');
    await resident.close();
  });

  it('takes the car in from the list, and the desk survives a reload at every step', async () => {
    const desk = await browser.tab();
    await signIn(desk, network.portalUrl, 'dismantler-operator', 'op-e2e-desk-1', DISMANTLER.siteId);
    const expected = `[data-testid="expected-${pickupId}"]`;
    await eventually(desk, async () => (await desk.locator(expected).count()) > 0, {
      refresh: '[data-testid=expected-refresh]',
      what: `pickup ${pickupId} on the dismantler's work list`,
    });
    expect(await text(desk, expected)).toContain(vin);
    await expectAccessible(desk, 'dismantler: the day');
    await browser.screenshot(desk, 'k01-dismantler-day');

    // The booking being taken in is named in the address: a reload fills the form again.
    await desk.click(`[data-testid="take-in-${pickupId}"]`);
    await desk.waitForURL((url) => url.searchParams.get('takeIn') === pickupId);
    await desk.reload();
    await desk.waitForSelector('[data-testid=taking-in]');
    await eventually(desk, async () => (await desk.inputValue('input[name=vin]').catch(() => '')) === vin, {
      what: 'the intake form filled again from the list after the reload',
      timeoutMs: 30_000,
    });
    expect(await desk.inputValue('input[name=pickupId]')).toBe(pickupId);
    expect(await desk.inputValue('input[name=registrationDate]')).toBe('2009-06-18');
    await desk.fill('input[name=plate]', '新N12323');
    await desk.fill('input[name="owner.name"]', OWNER.name);
    await desk.fill('input[name="owner.idNumber"]', OWNER.idNumber);
    await desk.fill('input[name=priceYuan]', '1500');
    await desk.check('input[name="payment.consent"]');
    await desk.click('[data-testid=vehicle-submit]');
    const notice = await desk.waitForSelector('[data-testid=vehicle-notice]');
    intakeId = /:\s*(\S+)/.exec(await notice.innerText())?.[1] ?? '';
    expect(intakeId).toMatch(/^vi-/);
    const toCertify = `[data-testid=work-to-certify] [data-testid="todo-${intakeId}"]`;
    await desk.waitForSelector(toCertify);
    expect(await desk.locator(expected).count()).toBe(0);
    expect(await desk.inputValue('input[name="owner.idNumber"]')).toBe(''); // not left on the screen
    expect(new URL(desk.url()).searchParams.get('takeIn')).toBeNull();

    // A reload: the same list, from the server.
    await desk.reload();
    await desk.waitForSelector(toCertify);
    expect(await text(desk, '[data-testid=total-taken-in]')).toBe('1');
    await expectNoWorkInStorage(desk);

    // Certified from the list: the certificate opens, and stays open across a reload.
    await desk.click(`[data-testid="certify-${intakeId}"]`);
    await desk.waitForSelector('[data-testid=certificate] iframe');
    const certificateNo = new URL(desk.url()).searchParams.get('certificate') ?? '';
    expect(certificateNo).toMatch(new RegExp(`^${DISMANTLER.siteId}-\\d{4}-\\d{6}$`));
    await desk.reload();
    await desk.waitForSelector('[data-testid=certificate] iframe');
    expect(await text(desk, '[data-testid=certificate] h2')).toContain(certificateNo);
    await desk.waitForSelector(`[data-testid=work-to-dismantle] [data-testid="todo-${intakeId}"]`);
    await desk.waitForSelector(`[data-testid=work-to-deregister] [data-testid="todo-${intakeId}"]`);
    expect(await desk.locator(toCertify).count()).toBe(0);

    // Deregistration asked for from the list: awaited.
    await desk.click(`[data-testid="deregister-${intakeId}"]`);
    await desk.waitForSelector('[data-testid=deregister-form]');
    await desk.fill('input[name=trafficPoliceOffice]', '阿拉尔市公安局交通警察支队');
    await desk.click('[data-testid=deregister-submit]');
    const awaited = `[data-testid=work-deregistration-awaited] [data-testid="todo-${intakeId}"]`;
    await desk.waitForSelector(awaited);
    expect(await desk.locator('[data-testid=deregister-form]').count()).toBe(0);

    // The outcome's form is named in the address: a reload keeps it open, its heading focused.
    await desk.click(`[data-testid="outcome-${intakeId}"]`);
    await desk.waitForSelector('[data-testid=outcome-form]');
    await desk.reload();
    await desk.waitForSelector('[data-testid=outcome-form]');
    await expectAccessible(desk, 'dismantler: the outcome form');
    await desk.fill('input[name=deregistrationCertificateNo]', 'ZX-6590022026-0107');
    await desk.click('[data-testid=outcome-submit]');
    await eventually(desk, async () => (await desk.locator(awaited).count()) === 0, {
      what: 'the deregistration answered',
      timeoutMs: 30_000,
    });

    // Dismantled from the list: nothing left to do; still among today's vehicles.
    await desk.click(`[data-testid="dismantle-${intakeId}"]`);
    await desk.waitForSelector('[data-testid=dismantling-form]');
    await desk.fill('input[name="materials.ferrousKg"]', '712');
    await desk.click('[data-testid=dismantling-submit]');
    const row = `[data-testid="vehicle-intake-${intakeId}"]`;
    await eventually(desk, async () => (await desk.getAttribute(row, 'data-dismantled')) === 'yes', {
      what: 'the vehicle dismantled',
      timeoutMs: 30_000,
    });
    expect(await desk.locator(`[data-testid="todo-${intakeId}"]`).count()).toBe(0);
    const stage = await text(desk, row);
    expect(stage).toContain('已拆解');
    expect(stage).toContain('已注销');
    await browser.screenshot(desk, 'k02-dismantler-done');
  });

  it('the next shift finds the same day', async () => {
    const next = await browser.tab();
    await signIn(next, network.portalUrl, 'dismantler-operator', 'op-e2e-desk-2', DISMANTLER.siteId);
    const row = `[data-testid="vehicle-intake-${intakeId}"]`;
    await next.waitForSelector(row);
    expect(await next.getAttribute(row, 'data-pickup')).toBe(pickupId);
    expect(await next.getAttribute(row, 'data-dismantled')).toBe('yes');
    expect(await text(next, '[data-testid=total-taken-in]')).toBe('1');
    expect(await text(next, '[data-testid=work-to-certify]')).toContain('(0)');
    expect(await next.locator(`[data-testid="expected-${pickupId}"]`).count()).toBe(0);
    await expectNoWorkInStorage(next);
    await browser.screenshot(next, 'k03-dismantler-next-shift');
  });
});

describe('the city dashboard', () => {
  it('shows a period and a district picked, kept in the address', async () => {
    const city = await browser.tab();
    await signIn(city, network.portalUrl, 'city-official', 'city-e2e-desk');
    await city.waitForURL((url) => url.pathname === '/dashboard');
    const value = (selector: string) => city.getAttribute(selector, 'data-value');
    // The car taken in above is counted for the whole city this month.
    await eventually(city, async () => (await value('[data-testid=ytd-scrapped-vehicles]')) === '1', {
      refresh: '[data-testid=dashboard-refresh]',
      what: 'the dashboard to count the scrapped car',
    });
    expect(await text(city, '[data-testid=dashboard-title]')).toContain('全市');
    // Times in Beijing time, said so.
    expect(await text(city, '[data-testid=dashboard-note]')).toMatch(
      /北京时间.*\d{4}-\d{2}-\d{2} \d{2}:\d{2}/,
    );
    // The city's breakdowns by area and kind (no appliances counted in this network: said so).
    expect(await city.locator('text=各区域今年完成情况').count()).toBe(1);
    // The plan's two added channels, city-wide: the institutions' assets by kind, remanufacturing by line
    // (nothing happened in them in this network, and the table says so with zeros, not blanks).
    await city.waitForSelector('[data-testid=disposals-total]');
    expect(await text(city, '[data-testid=channels] h2')).toBe('公共机构资产处置与再制造');
    expect(await city.locator('[data-testid=disposals-appliances]').count()).toBe(1);
    expect(await text(city, '[data-testid=disposals-total]')).toMatch(/^合计\s+0\s+0\s+0$/);
    expect(await city.locator('[data-testid=reman-total]').count()).toBe(1);

    // The district of the pickup: its own figures, its share of the target said, no breakdowns.
    await city.selectOption('select[name=district]', DISTRICT);
    await city.waitForURL((url) => url.searchParams.get('district') === DISTRICT);
    await eventually(
      city,
      async () =>
        (await city.locator('[data-testid=district-share]').count()) > 0 &&
        (await value('[data-testid=funnel-requested]')) === '1',
      { refresh: '[data-testid=dashboard-refresh]', what: `the figures of ${DISTRICT}` },
    );
    expect(await text(city, '[data-testid=dashboard-title]')).toContain('金银川镇');
    expect(await value('[data-testid=ytd-scrapped-vehicles]')).toBe('1');
    expect(await value('[data-testid=funnel-delivered]')).toBe('1');
    expect(await city.locator('text=各区域今年完成情况').count()).toBe(0);
    // The pickups in the order of their steps, never by value.
    const steps = await city
      .locator('[data-testid=funnel] li')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(steps).toEqual([
      'funnel-requested',
      'funnel-scheduled',
      'funnel-collected',
      'funnel-delivered',
      'funnel-cancelled',
      'funnel-failed',
    ]);
    // A legend only for what is drawn: the baseline year's months were never counted here.
    for (const chart of ['chart-month-scrapped-vehicles', 'chart-path-scrapped-vehicles']) {
      const selector = `[data-testid=${chart}]`;
      expect(await city.getAttribute(selector, 'data-legend')).toBe(
        await city.getAttribute(selector, 'data-series'),
      );
      expect(await city.getAttribute(selector, 'data-legend')).not.toMatch(/基期|同月/);
      expect(await city.locator(`${selector} canvas`).count()).toBeGreaterThan(0);
    }
    // Subsidies: per programme city-wide only, the district's totals.
    expect(await text(city, '[data-testid=subsidies]')).toContain('分项目的数字只有全市的');
    expect(await text(city, '[data-testid=channels]')).toContain('再制造只有全市的数字');
    expect(await city.locator('[data-testid=disposals-appliances]').count()).toBe(0);
    await expectAccessible(city, 'dashboard: a district');
    await browser.screenshot(city, 'k04-dashboard-district');

    // Another district had nothing; December of last year had nothing either.
    await city.selectOption('select[name=district]', 't02');
    await eventually(city, async () => (await value('[data-testid=ytd-scrapped-vehicles]')) === '0', {
      what: 'nothing in t02',
    });
    await city.selectOption('select[name=district]', DISTRICT);
    const lastYear = cityMonth(12).slice(0, 4);
    await city.selectOption('select[name=year]', lastYear);
    await city.selectOption('select[name=month]', '12');
    await city.waitForURL((url) => url.searchParams.get('asOf') === `${lastYear}-12`);
    await eventually(city, async () => (await value('[data-testid=ytd-scrapped-vehicles]')) === '0', {
      what: `nothing up to December ${lastYear}`,
    });
    expect(await text(city, '[data-testid=dashboard-title]')).toContain(`${lastYear}年1—12月`);

    // A reload (or a shared link) shows the same period and district.
    await city.reload();
    await city.waitForSelector('[data-testid=target-scrapped-vehicles]');
    expect(await city.inputValue('select[name=year]')).toBe(lastYear);
    expect(await city.inputValue('select[name=month]')).toBe('12');
    expect(await city.inputValue('select[name=district]')).toBe(DISTRICT);
    expect(await city.locator('[data-testid=problem]').count()).toBe(0);

    // This year again, up to this month: the car is counted.
    await city.selectOption('select[name=year]', cityMonth().slice(0, 4));
    await city.selectOption('select[name=month]', String(Number(cityMonth().slice(5))));
    await eventually(city, async () => (await value('[data-testid=ytd-scrapped-vehicles]')) === '1', {
      what: 'the car counted this month in the district',
    });
    await city.click('[data-testid=lang-switch]');
    await city.waitForSelector('text=City dashboard');
    expect(await text(city, '[data-testid=dashboard-title]')).toContain('Jinyinchuan');
    await browser.screenshot(city, 'k05-dashboard-district-en');
    await city.click('[data-testid=lang-switch]');
  });
});
