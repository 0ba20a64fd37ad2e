import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serve } from '../src/serve';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) {
  throw new Error(`Chromium is required in CI at ${CHROMIUM} (apt-get install chromium)`);
}
if (!available)
  console.warn(`skipping the browser test: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

let browser: Browser;
let site: { url: string; server: Server };

beforeAll(async () => {
  if (!available) return;
  site = await serve(0);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
afterAll(async () => {
  await browser?.close();
  site?.server.close();
});

it.skipIf(!available)(
  'the SDK works in Chromium: lists the catalog, provisions, maps errors',
  async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(site.url);
    await page.waitForSelector('body[data-loaded="true"]');
    const services = await page.locator('#services tbody tr').count();
    expect(services).toBeGreaterThanOrEqual(6);
    expect(await page.locator('#services').textContent()).toContain('PostgreSQL');

    await page.click('#provision');
    await page.waitForFunction(() =>
      document.querySelector('#log')?.textContent?.includes('typed error'),
    );
    const log = await page.locator('#log').textContent();
    expect(log).toMatch(/created ins_\w+: provisioning/);
    expect(log).toMatch(/ready: ready/);
    expect(log).toMatch(/typed error: NotFoundError/);
    expect(errors).toEqual([]);

    const dir = join(import.meta.dirname, '../.artifacts');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, 'marketplace.png'), fullPage: true });
  },
);
