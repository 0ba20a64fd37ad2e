import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { findService } from '@zhengwu/catalog';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DIST, serveSite } from '../.vitepress/preview';

// The built site (`pnpm docs:build`) in headless Chromium, as a reader meets it.
const SHOTS = join(import.meta.dirname, '../.artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// A loaded CI machine (three test files at once) parses the 1.4 MB search index slowly.
const TIMEOUT = 60_000;

const missing = !existsSync(join(DIST, 'index.html'))
  ? `no built site at ${DIST} (run pnpm docs:build)`
  : !existsSync(CHROMIUM)
    ? `no Chromium at ${CHROMIUM} (apt-get install chromium)`
    : undefined;
if (missing && process.env.CI) throw new Error(`the docs site test needs ${missing}`);
if (missing) console.warn(`skipping the docs site test: ${missing}`);

let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  if (missing) return;
  ({ url: origin, server } = await serveSite());
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  server?.close();
}, TIMEOUT);

/** A page that fails the test on any script error it meets. */
async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(origin + path);
  // Server-rendered HTML shows before Vue hydrates it; clicks before that do nothing.
  await page.waitForFunction(() => '__vue_app__' in (document.querySelector('#app') ?? {}));
  return { page, errors };
}

/** Waits until the page's title matches: client-side navigation swaps it after the URL. */
const headingShows = (page: Page, title: RegExp) =>
  page.waitForFunction(
    (source) => new RegExp(source).test(document.querySelector('.vp-doc h1')?.textContent ?? ''),
    title.source,
  );

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

it.skipIf(missing)(
  'renders the Chinese home page and switches to English',
  async () => {
    const { page, errors } = await open('/');
    await expect(page.locator('.VPHero .name').textContent()).resolves.toContain('政务云平台');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await shot(page, 'home-zh');

    await page.locator('.VPNavBarTranslations').hover();
    await page.locator('.VPNavBarTranslations a', { hasText: 'English' }).click();
    await page.waitForURL(`${origin}/en/`);
    await expect(page.locator('.VPHero .name').textContent()).resolves.toContain('Zhengwu');
    expect(await page.getAttribute('html', 'lang')).toBe('en-US');
    await expect(page.locator('.VPNavBar').textContent()).resolves.toContain('Concepts');
    await expect(page.locator('.VPHero').textContent()).resolves.toContain('Quick start');
    await shot(page, 'home-en');
    expect(errors).toEqual([]);
  },
  TIMEOUT,
);

it.skipIf(missing)(
  'finds the PostgreSQL catalog page by searching "PostgreSQL"',
  async () => {
    const { page, errors } = await open('/en/');
    await page.locator('#local-search button').click();
    await page.locator('.VPLocalSearchBox input').fill('PostgreSQL');
    const hit = page.locator('.VPLocalSearchBox a.result[href*="/catalog/postgresql"]').first();
    await hit.waitFor();
    await shot(page, 'search-postgresql');
    await hit.click();
    await page.waitForURL(/\/catalog\/postgresql/);
    await headingShows(page, /PostgreSQL/);
    expect(errors).toEqual([]);
  },
  TIMEOUT,
);

it.skipIf(missing)(
  'shows every plan of a service in its catalog page table',
  async () => {
    const service = findService('postgresql');
    expect(service?.plans.length).toBeGreaterThan(1);
    for (const [locale, prefix] of [
      ['zh', ''],
      ['en', '/en'],
    ] as const) {
      const { page, errors } = await open(`${prefix}/catalog/postgresql`);
      // The plans table: one row per plan, naming its id in a cell of its own and its name.
      const tables = await page
        .locator('.vp-doc table')
        .evaluateAll((nodes) =>
          nodes.map((table) =>
            [...table.querySelectorAll('tbody tr')].map((row) =>
              [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim() ?? ''),
            ),
          ),
        );
      const rowOf = (rows: string[][], id: string) => rows.find((cells) => cells.includes(id));
      const plans = tables.find((rows) => service!.plans.every((plan) => rowOf(rows, plan.id)));
      expect(plans, `a table with a row per plan of ${service!.id}`).toBeDefined();
      for (const plan of service!.plans) {
        expect(rowOf(plans!, plan.id)!.join(' ')).toContain(plan.displayName[locale]);
      }
      await shot(page, `catalog-postgresql-${locale}`);
      expect(errors).toEqual([]);
    }
  },
  TIMEOUT,
);

it.skipIf(missing)(
  'has an SDK reference page for the Zhengwu class',
  async () => {
    const { page, errors } = await open('/en/reference/sdk/');
    await page
      .locator('.vp-doc a', { hasText: /^Zhengwu$/ })
      .first()
      .click();
    await page.waitForURL(/\/en\/reference\/sdk\/classes\/Zhengwu$/);
    await headingShows(page, /\bZhengwu\b/);
    // Its members are documented from the code: the resource groups a vendor calls.
    const text = await page.locator('.vp-doc').textContent();
    for (const member of ['instances', 'bindings', 'apps']) expect(text).toContain(member);
    await shot(page, 'sdk-zhengwu-class');
    expect(errors).toEqual([]);
  },
  TIMEOUT,
);

it.skipIf(missing)(
  'renders the architecture diagrams (Mermaid) as SVG',
  async () => {
    const { page, errors } = await open('/concepts/architecture');
    await page.locator('.vp-doc .mermaid svg').first().waitFor();
    const diagrams = await page.locator('.vp-doc .mermaid').count();
    expect(diagrams).toBeGreaterThan(0);
    await expect(page.locator('.vp-doc .mermaid svg').count()).resolves.toBe(diagrams);
    await shot(page, 'architecture');
    expect(errors).toEqual([]);
  },
  TIMEOUT,
);
