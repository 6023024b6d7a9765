// Debian's Chromium driven by playwright-core: no browser download, a fresh profile per run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '..', '..', '.artifacts');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  /** A new tab: each tab keeps its own sign-in (sessionStorage), so roles do not mix. */
  tab(options?: { phone?: boolean }): Promise<Page>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run "apt-get install -y chromium" (as root)`);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  // Services answer slowly when the whole suite loads a small machine: a selector may take a while.
  context.setDefaultTimeout(60_000);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    tab: async (options = {}) => {
      const page = await context.newPage();
      if (options.phone) await page.setViewportSize({ width: 390, height: 844 });
      return page;
    },
    screenshot: async (page, name) => {
      const file = path.join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Signs a tab in through the portal's local sign-in page. */
export async function signIn(
  page: Page,
  portalUrl: string,
  role: string,
  sub: string,
  scope?: string,
): Promise<void> {
  await page.goto(`${portalUrl}/signin`);
  await page.selectOption('select[name=role]', role);
  await page.fill('input[name=sub]', sub);
  if (scope !== undefined) await page.fill('input[name=scope]', scope);
  await page.click('[data-testid=signin-submit]');
  await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/** Retries `check` (clicking `refresh` between tries) until it holds: events take a moment to flow. */
export async function eventually(
  page: Page,
  check: () => Promise<boolean>,
  { refresh, timeoutMs = 120_000, what }: { refresh?: string; timeoutMs?: number; what: string },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await page.waitForTimeout(500);
    if (refresh) await page.click(refresh);
  }
}
