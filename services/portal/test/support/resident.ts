// What the browser tests do as a resident on the phone: book through the five screens, and audit a
// page with axe-core (WCAG 2.1 A and AA rules), injected through the devtools protocol so the page's
// Content-Security-Policy (no inline scripts) stays as it is.
import fs from 'node:fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact?: string;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** The WCAG 2.1 A and AA violations axe-core finds on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  return (await page.evaluate(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    })))`)) as AxeViolation[];
}

/** A readable line per violation, for a failing expectation. */
export const describeViolations = (vs: AxeViolation[]) =>
  vs.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

export interface Booking {
  district: string;
  appliances?: Record<string, number>;
  vehicle?: { plate: string; vin: string; registrationDate: string };
  address: string;
  phone: string;
}

/**
 * Goes through the booking screens up to the confirmation, which it leaves unsent; `onScreen` runs
 * on each screen once it is filled in (an accessibility audit, a screenshot).
 */
export async function fillBooking(
  page: Page,
  b: Booking,
  onScreen: (screen: 'where' | 'what' | 'when' | 'contact') => Promise<void> = async () => {},
): Promise<void> {
  await page.waitForSelector('[data-testid=book-form]');
  await page.selectOption('[data-testid=area-district]', b.district);
  await page.waitForSelector('[data-testid=area-served]');
  await onScreen('where');
  await page.click('[data-testid=step-next]:not([disabled])');
  if (b.vehicle) {
    if (await page.locator('[data-testid=kind-vehicle]').count())
      await page.click('[data-testid=kind-vehicle]');
    await page.fill('input[name="vehicle.plate"]', b.vehicle.plate);
    await page.fill('input[name="vehicle.vin"]', b.vehicle.vin);
    await page.fill('input[name="vehicle.registrationDate"]', b.vehicle.registrationDate);
  } else {
    if (await page.locator('[data-testid=kind-appliances]').count())
      await page.click('[data-testid=kind-appliances]');
    for (const [category, count] of Object.entries(b.appliances ?? { refrigerator: 1 })) {
      await page.click(`[data-testid=cat-${category}]`);
      for (let n = 1; n < count; n++) await page.click(`[data-testid=cat-${category}-plus]`);
    }
  }
  await onScreen('what');
  await page.click('[data-testid=step-next]:not([disabled])');
  await page.waitForSelector('[data-testid=slots] button.slot');
  await page.click('[data-testid=slots] button.slot');
  await onScreen('when');
  await page.click('[data-testid=step-next]:not([disabled])');
  await page.fill('input[name="address.detail"]', b.address);
  await page.fill('input[name="contact.phone"]', b.phone);
  await onScreen('contact');
  await page.click('[data-testid=step-next]:not([disabled])');
  await page.waitForSelector('[data-testid=book-submit]');
}

/** Sends the booking on the confirmation screen; the new pickup's id. */
export async function confirmBooking(page: Page): Promise<string> {
  await page.click('[data-testid=book-submit]');
  const done = await page.waitForSelector('[data-testid=book-notice]');
  return (await done.getAttribute('data-pickup-id')) ?? '';
}
