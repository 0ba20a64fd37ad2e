import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sections } from '../.vitepress/pages';

// Every page of the sidebars exists in both locales, and each locale speaks its language.
const DOCS = join(import.meta.dirname, '..');
const fileOf = (link: string, locale: 'zh' | 'en') =>
  join(DOCS, locale === 'en' ? 'en' : '', link.endsWith('/') ? `${link}index.md` : `${link}.md`);
const pages = sections.flatMap((section) => section.pages);

it.each(pages.map((page) => [page.link, page] as const))('%s exists in zh and en', (_, page) => {
  const zh = fileOf(page.link, 'zh');
  const en = fileOf(page.link, 'en');
  expect(existsSync(zh), zh).toBe(true);
  expect(existsSync(en), en).toBe(true);
  // Chinese prose on the Chinese page; the English page is not a copy of it.
  const han = (text: string) => (text.match(/\p{Script=Han}/gu) ?? []).length / text.length;
  expect(han(readFileSync(zh, 'utf8'))).toBeGreaterThan(0.1);
  expect(han(readFileSync(en, 'utf8'))).toBeLessThan(han(readFileSync(zh, 'utf8')) / 3);
});
