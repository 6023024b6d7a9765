// Issues 14 and 15 in a real headless Chromium against the real dismantling, subsidies, disposals and
// remanufacturing services: on a phone (390 × 844) a resident claims the scrap-and-buy subsidy for a
// car the dismantler scrapped (the conditions in plain words first, one task per screen, a bad card
// number refused in plain Chinese and corrected on its own screen) and follows the claim like a parcel;
// axe-core finds no WCAG 2.1 A or AA violation on any of those screens. At a desk the commerce
// bureau's reviewer sees the claim with its evidence and approves it, the finance bureau pays it and
// follows the payment's chain, and the resident sees the money. Then the retailer's counter records a
// trade-in sale with the subsidy shown before it is confirmed, a public institution registers a
// disposal batch (an early scrapping asking for its approval), and a remanufacturer receives the
// engine the dismantler coded, traced back to the car.
import type { Page } from 'playwright-core';
import { eventually, launchBrowser, signIn, type Browser } from './support/browser';
import {
  assemblyKnown,
  freshCard,
  freshIdNumber,
  freshVin,
  registerDismantler,
  registerInstitution,
  registerRemanufacturer,
  registerRetailer,
  scrapCar,
  short,
  type ScrappedCar,
} from './support/channels';
import { startNetwork, type Network } from './support/network';
import { axeViolations, describeViolations } from './support/resident';

jest.setTimeout(600_000);

const DISMANTLER = short('dm-pc');
const RETAILER = short('rt-pc');
const INSTITUTION = '11659002MB1357924K';
const REMANUFACTURER = short('rm-pc');

let network: Network;
let browser: Browser;
let car: ScrappedCar;
let engine: ScrappedCar;

beforeAll(async () => {
  network = await startNetwork('chan', ['dismantling', 'subsidies', 'disposals', 'remanufacturing']);
  await registerDismantler(network, DISMANTLER);
  await Promise.all([
    registerRetailer(network, RETAILER),
    registerInstitution(network, INSTITUTION),
    registerRemanufacturer(network, REMANUFACTURER),
  ]);
  // The certificate and the deregistration reach the subsidies service before the claim names them.
  car = await scrapCar(network, DISMANTLER);
  engine = await scrapCar(network, DISMANTLER);
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

const next = (page: Page) => page.click('[data-testid=step-next]:not([disabled])');

describe('a car trade-in claim', () => {
  let resident: Page;
  let claimId = '';
  const person = { name: '阿依古丽·买买提', idNumber: freshIdNumber(), phone: '13912345678' };

  it('is made on a phone, one task per screen, the conditions first, a refusal shown at its field', async () => {
    resident = await browser.tab({ phone: true });
    await signIn(resident, network.portalUrl, 'resident', short('r-pc'));
    await resident.goto(`${network.portalUrl}/resident/subsidies`);
    await resident.waitForSelector('[data-testid=subsidy-claims] h1');
    expect(await text(resident, 'h1')).toBe('以旧换新补贴');
    expect(await text(resident, '[data-testid=subsidy-received]')).toBe('0.00 元');
    await expectAccessible(resident, 'subsidies: my claims');

    await resident.click('[data-testid=subsidy-apply]');
    await resident.waitForSelector('[data-testid=programme-car-scrap]');
    expect(await text(resident, 'h1')).toBe('您是哪种情况？');
    await resident.click('[data-testid=programme-car-scrap]');
    expect(await resident.getAttribute('[data-testid=programme-car-scrap]', 'aria-pressed')).toBe('true');
    await expectAccessible(resident, 'claim: which case');
    await next(resident);

    // The conditions of the programme in plain words, before any form.
    await resident.waitForSelector('[data-testid=programme-rules]');
    const rules = await text(resident, '[data-testid=programme-rules]');
    expect(rules).toContain('旧车初次登记不晚于');
    expect(rules).toContain('买新能源车');
    expect(rules).toMatch(/元/);
    expect(rules).not.toMatch(/rateBp|fixedFen|car-scrap/);
    await expectAccessible(resident, 'claim: the conditions');
    await next(resident);

    expect(await text(resident, 'h1')).toBe('申请人');
    await resident.fill('input[name="applicant.name"]', person.name);
    await resident.fill('input[name="applicant.idNumber"]', person.idNumber);
    await resident.fill('input[name="applicant.phone"]', person.phone);
    await resident.selectOption('select[name="applicant.districtCode"]', 't10');
    await expectAccessible(resident, 'claim: applicant');
    await next(resident);

    expect(await text(resident, 'h1')).toBe('旧车');
    await resident.fill('input[name="oldCar.vin"]', car.vin);
    await resident.fill('input[name="oldCar.certificateNo"]', car.certificateNo);
    await resident.fill('input[name="oldCar.registrationDate"]', '2009-06-18');
    await resident.fill('input[name="oldCar.ownedSince"]', '2012-03-01');
    await expectAccessible(resident, 'claim: old car');
    await next(resident);

    expect(await text(resident, 'h1')).toBe('新车');
    await resident.fill('input[name="newCar.vin"]', freshVin());
    await resident.selectOption('select[name="newCar.fuelType"]', 'bev');
    await resident.fill('input[name="newCar.priceFen"]', '159800');
    await resident.fill('input[name="newCar.invoiceNo"]', `2665${Date.now()}`.slice(0, 20));
    await resident.fill('input[name="newCar.purchaseDate"]', '2026-03-01');
    await resident.fill('input[name="newCar.registrationDate"]', '2026-03-04');
    await resident.fill('input[name="newCar.registration.certificateNo"]', `DJ${Date.now()}`);
    await resident.fill('input[name="newCar.dealer.name"]', '阿拉尔市比亚迪汽车销售服务有限公司');
    await resident.selectOption('select[name="newCar.dealer.districtCode"]', 's-jinyinchuanlu');
    await expectAccessible(resident, 'claim: new car');
    await next(resident);

    // A card number with a wrong check digit: the service refuses it, the resident reads it in Chinese.
    expect(await text(resident, 'h1')).toBe('收款银行卡');
    await resident.fill('input[name="bankCard.cardNo"]', freshCard({ wrong: true }));
    await resident.fill('input[name="bankCard.bankName"]', '中国农业银行阿拉尔分行');
    await expectAccessible(resident, 'claim: bank card');
    await next(resident);

    expect(await text(resident, 'h1')).toBe('请确认');
    // 12% of 159,800 yuan under the 2026 rule, below the 20,000 cap.
    expect(await text(resident, '[data-testid=claim-estimate]')).toContain('19,176.00');
    await expectAccessible(resident, 'claim: confirm');
    await resident.click('[data-testid=claim-submit]');
    const problem = await resident.waitForSelector('[data-testid=problem]');
    const refusal = await problem.innerText();
    expect(refusal).toContain('银行卡号');
    expect(refusal).not.toMatch(/bankCard\.cardNo|[0-9a-f]{8}-[0-9a-f]{4}-/);
    await expectAccessible(resident, 'claim: refused');
    await resident.click('[data-testid=fix-field]');
    const card = resident.locator('input[name="bankCard.cardNo"]');
    expect(
      await resident.evaluate('document.activeElement && document.activeElement.getAttribute("name")'),
    ).toBe('bankCard.cardNo');
    expect(await card.getAttribute('aria-invalid')).toBe('true');
    expect(await card.getAttribute('aria-describedby')).toBeTruthy();
    await card.fill(freshCard());
    await next(resident);
    await resident.click('[data-testid=claim-submit]');
    const done = await resident.waitForSelector('[data-testid=claim-submitted]');
    claimId = (await done.getAttribute('data-claim-id')) ?? '';
    expect(claimId).toMatch(/^tc-/);
    expect(await text(resident, 'h1')).toBe('申请已提交');
    await expectAccessible(resident, 'claim: submitted');
  });

  it('is followed like a parcel: the evidence checked, then under review', async () => {
    await resident.click('[data-testid=claim-follow]');
    await resident.waitForSelector('[data-testid=claim-page] [data-testid=tracker]');
    await eventually(
      resident,
      async () => (await resident.getAttribute('[data-testid=claim-page]', 'data-status')) === 'in-review',
      { refresh: '[data-testid=claim-refresh]', what: 'the claim under review' },
    );
    expect(await resident.getAttribute('[data-step=evidence]', 'data-state')).toBe('done');
    expect(await resident.getAttribute('[data-step=review]', 'data-state')).toBe('current');
    expect(await text(resident, '[data-testid=claim-status]')).toBe('审核中');
    expect(await text(resident, '[data-testid=claim-amount]')).toBe('19,176.00 元');
    expect(await text(resident, '[data-testid=claim-deadlines]')).toMatch(/应于 \d{4}-\d{2}-\d{2} 前审核完/);
    await browser.screenshot(resident, 'c01-claim-in-review');
    await expectAccessible(resident, 'claim: in review');
  });

  it('is approved by the commerce bureau’s reviewer at a desk, with its evidence in view', async () => {
    const reviewer = await browser.tab();
    await signIn(reviewer, network.portalUrl, 'commerce-reviewer', 'cr-pc-1');
    await reviewer.waitForSelector('[data-testid=review-queue]');
    await reviewer.goto(`${network.portalUrl}/review?programme=car-scrap&year=2026&stage=in-review`);
    await reviewer.waitForSelector(`[data-testid=queue-${claimId}]`);
    expect(await text(reviewer, '[data-testid=review-budget]')).toContain('剩余');
    await reviewer.click(`[data-testid=queue-${claimId}] a`);
    await reviewer.waitForSelector('[data-testid=claim-facts]');
    // The address names the claim and keeps the queue: a reload finds the same screen.
    expect(reviewer.url()).toContain(`/review/${claimId}?programme=car-scrap&year=2026&stage=in-review`);
    await reviewer.reload();
    await reviewer.waitForSelector('[data-testid=claim-evidence]');
    const evidence = await text(reviewer, '[data-testid=claim-evidence]');
    expect(evidence).toContain('回收证明');
    expect(evidence).toContain(car.certificateNo);
    expect(evidence).toContain('注销登记');
    expect(evidence).toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    expect(await text(reviewer, '[data-testid=claim-facts]')).toContain('阿***');
    await browser.screenshot(reviewer, 'c02-review-claim');
    await reviewer.fill('input[name=note]', '材料齐全');
    await reviewer.click('[data-testid=review-approve]');
    await reviewer.waitForSelector('[data-testid=review-notice]');
    expect(await text(reviewer, '[data-testid=review-notice]')).toContain('19,176.00');
    await reviewer.waitForSelector('[data-testid=review-claim][data-status=approved]');
    const history = await text(reviewer, '[data-testid=claim-history]');
    expect(history).toContain('审核通过');
    expect(history).toContain('cr-pc-1');
    await browser.screenshot(reviewer, 'c03-review-approved');
    await reviewer.close();

    await resident.click('[data-testid=claim-refresh]');
    await resident.waitForSelector('[data-testid=claim-page][data-status=approved]');
    expect(await resident.getAttribute('[data-step=paid]', 'data-state')).toBe('current');
    await expectAccessible(resident, 'claim: approved');
  });

  it('is paid by the finance bureau, whose view traces the payment; the resident sees the money', async () => {
    const finance = await browser.tab();
    await signIn(finance, network.portalUrl, 'finance-officer', 'fo-pc-1');
    await finance.goto(`${network.portalUrl}/finance?year=2026&programme=car-scrap`);
    await finance.waitForSelector('[data-testid=pay-release]');
    expect(await text(finance, '[data-testid=to-pay]')).toContain(claimId);
    await finance.click('[data-testid=pay-release]');
    await finance.waitForSelector('[data-testid=batch-summary]');
    expect(await text(finance, '[data-testid=batch-summary]')).toContain('19,176.00');
    await finance.click(`[data-testid="chain-pay-${claimId}"]`);
    await finance.waitForSelector('[data-testid=chain-budget]');
    const chain = await text(finance, '[data-testid=chain]');
    expect(chain).toContain(car.certificateNo);
    expect(chain).toContain('cr-pc-1');
    expect(await text(finance, '[data-testid=chain-budget]')).toContain('拨付');
    await browser.screenshot(finance, 'c04-payment-chain');
    await finance.goto(`${network.portalUrl}/finance?year=2026&programme=car-scrap`);
    await finance.waitForSelector('[data-testid=fund-car-scrap]');
    expect(await text(finance, '[data-testid=fund-car-scrap] [data-testid=fund-paid]')).toBe('19,176.00');
    await finance.close();

    await resident.click('[data-testid=claim-refresh]');
    await resident.waitForSelector('[data-testid=claim-page][data-status=paid]');
    expect(await text(resident, '[data-testid=claim-paid-to]')).toMatch(/尾号 \d{4}/);
    await expectAccessible(resident, 'claim: paid');
    await resident.goto(`${network.portalUrl}/resident/subsidies`);
    await resident.waitForSelector(`[data-testid=claim-${claimId}][data-status=paid]`);
    expect(await text(resident, '[data-testid=subsidy-received]')).toBe('19,176.00 元');
    await browser.screenshot(resident, 'c05-money-received');
    await expectAccessible(resident, 'subsidies: money received');
  });
});

describe('the channels’ desks', () => {
  it('the retailer records a trade-in sale, the subsidy shown before it is confirmed', async () => {
    const counter = await browser.tab();
    await signIn(counter, network.portalUrl, 'retailer-operator', 'op-pc-1', RETAILER);
    await counter.waitForSelector('[data-testid=sale-form]');
    await counter.fill('input[name=soldOn]', '2026-06-15');
    await counter.waitForSelector('[data-testid=sale-rules]');
    expect(await text(counter, '[data-testid=sale-rules]')).toContain('空调');
    await counter.selectOption('select[name=category]', 'air-conditioner');
    // A barcode with a wrong check digit is caught before the customer sees a figure.
    await counter.fill('input[name=gtin]', '6901234567893');
    await counter.fill('input[name=model]', 'KFR-35GW/BP3DN8Y-PH400(B1)');
    await counter.selectOption('select[name=energyGrade]', '1');
    await counter.fill('input[name=serialNo]', `SN${Date.now()}`);
    await counter.fill('input[name=priceFen]', '4599');
    await counter.fill('input[name=invoiceNo]', `2665${Date.now()}`.slice(0, 20));
    await counter.fill('input[name="buyer.idNumber"]', freshIdNumber('19880808'));
    await counter.fill('input[name="buyer.phone"]', '13812345678');
    await counter.selectOption('select[name="buyer.address.districtCode"]', 's-xingfulu');
    await counter.fill('input[name="buyer.address.detail"]', '幸福路 12 号 3 栋 401');
    await counter.click('[data-testid=sale-compute]');
    await counter.waitForSelector('[data-testid=field-error-gtin]');
    expect(await text(counter, '[data-testid=field-error-gtin]')).toContain('校验位');
    await counter.fill('input[name=gtin]', '6901234567892');
    await counter.click('[data-testid=sale-compute]');
    // 15% of 4,599 yuan under the 2026 rule.
    await counter.waitForSelector('[data-testid=sale-quote]');
    expect(await text(counter, '[data-testid=sale-quote]')).toContain('补贴 689.85 元');
    expect(await text(counter, '[data-testid=sale-quote]')).toContain('顾客实付 3,909.15 元');
    await browser.screenshot(counter, 'c06-counter-quote');
    await counter.click('[data-testid=sale-confirm]');
    const recorded = await counter.waitForSelector('[data-testid=sale-recorded]');
    const saleId = (await recorded.getAttribute('data-claim-id')) ?? '';
    expect(await recorded.innerText()).toContain('689.85');
    await counter.goto(`${network.portalUrl}/retailer/sales?month=2026-06`);
    await counter.waitForSelector(`[data-testid=sale-${saleId}]`);
    expect(await text(counter, '[data-testid=sales-total-subsidy]')).toBe('689.85');
    await counter.close();
  });

  it('the institution registers a disposal batch, an early scrapping asking for its approval', async () => {
    const desk = await browser.tab();
    await signIn(desk, network.portalUrl, 'public-institution', 'pi-pc-1', INSTITUTION);
    await desk.waitForSelector('[data-testid=institution]');
    await desk.click('[data-testid=batch-register]');
    await desk.waitForSelector('[data-testid=disposal-rules]');
    expect(await text(desk, '[data-testid=disposal-rules]')).toContain('最低使用年限');
    await desk.fill('input[name="approval.documentNo"]', '阿教财〔2026〕7号');
    await desk.fill('input[name="approval.authority"]', '第一师阿拉尔市财政局');
    await desk.fill('input[name="handover.stationId"]', 'st-pc-01');
    await desk.fill('input[name="handover.address"]', '阿拉尔市教育局 3 楼');
    const card = short('ZC');
    await desk.fill('input[name="assets.0.assetCardNo"]', card);
    await desk.selectOption('select[name="assets.0.category"]', 'desktop-computer');
    await desk.selectOption('select[name="assets.0.mode"]', 'scrapping');
    await desk.fill('input[name="assets.0.acquisitionDate"]', '2023-01-10');
    await desk.fill('input[name="assets.0.originalValueFen"]', '5600');
    // Three years old, six required: the page asks for the early-scrapping approval before sending.
    await desk.waitForSelector('[data-testid=life-0].warning');
    expect(await text(desk, '[data-testid=life-0]')).toContain('提前报废批复');
    await desk.fill('input[name="assets.0.earlyScrapApproval.documentNo"]', '阿财资〔2026〕3号');
    await desk.fill('input[name="assets.0.earlyScrapApproval.authority"]', '第一师阿拉尔市财政局');
    await desk.click('[data-testid=batch-submit]');
    await desk.waitForSelector('[data-testid=batch-page][data-status=registered]');
    expect(await text(desk, `[data-testid=asset-${card}]`)).toContain('待交接');
    expect(await text(desk, '[data-testid=close-blockers]')).toContain('回收站还没有接收');
    await browser.screenshot(desk, 'c07-disposal-batch');
    await desk.reload();
    await desk.waitForSelector('[data-testid=batch-page][data-status=registered]');
    await desk.close();
  });

  it('the remanufacturer receives the engine the dismantler coded, traced back to the car', async () => {
    await assemblyKnown(network, engine.engineCode);
    const desk = await browser.tab();
    await signIn(desk, network.portalUrl, 'remanufacturer-operator', 'rm-op-pc', REMANUFACTURER);
    await desk.waitForSelector('[data-testid=core-new]');
    await desk.click('[data-testid=core-new]');
    await desk.waitForSelector('[data-testid=core-form]');
    await desk.selectOption('select[name=productLine]', 'engine');
    await desk.fill('input[name="source.remanufacturingCode"]', engine.engineCode);
    await desk.fill('input[name="source.certificateNo"]', engine.certificateNo);
    await desk.click('[data-testid=core-submit]');
    await desk.waitForSelector('[data-testid=core-received]');
    expect(await text(desk, '[data-testid=core-status]')).toBe('检测合格');
    const origin = await text(desk, '[data-testid=core-origin]');
    expect(origin).toContain(engine.vin);
    expect(origin).toContain(engine.certificateNo);
    expect(origin).toContain('发动机');
    await browser.screenshot(desk, 'c08-core-received');
    await desk.goto(`${network.portalUrl}/remanufacturer`);
    await desk.waitForSelector('[data-testid=cores]');
    expect(await text(desk, '[data-testid=cores]')).toContain(engine.engineCode);
    await desk.close();
  });
});
