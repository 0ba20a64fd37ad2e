import { readFileSync } from 'node:fs';
import type { DefaultTheme } from 'vitepress';
import { withMermaid } from 'vitepress-plugin-mermaid';
import { type Section, sections } from './pages';

type Locale = 'zh' | 'en';
type Sidebar = Record<string, DefaultTheme.SidebarItem[]>;

/** Sidebars of the generated references (`pnpm docs:generate` writes them with the pages). */
const generated = JSON.parse(
  readFileSync(new URL('./generated/sidebars.json', import.meta.url), 'utf8'),
) as Record<Locale, Sidebar>;

const prefix = (locale: Locale) => (locale === 'en' ? '/en' : '');

function sidebar(locale: Locale): Sidebar {
  const bar: Sidebar = {};
  for (const section of sections) {
    bar[prefix(locale) + section.base] = [group(section, locale)];
  }
  return { ...bar, ...generated[locale] };
}

function group(section: Section, locale: Locale): DefaultTheme.SidebarItem {
  return {
    text: section[locale],
    items: section.pages.map((page) => ({ text: page[locale], link: prefix(locale) + page.link })),
  };
}

function nav(locale: Locale): DefaultTheme.NavItem[] {
  const p = prefix(locale);
  const t = (zh: string, en: string) => (locale === 'zh' ? zh : en);
  return [
    { text: t('指南', 'Guide'), link: `${p}/guide/quick-start`, activeMatch: '/(guide|vendor)/' },
    { text: t('概念', 'Concepts'), link: `${p}/concepts/shared-cloud`, activeMatch: '/concepts/' },
    { text: t('服务目录', 'Catalog'), link: `${p}/catalog/`, activeMatch: '/catalog/' },
    { text: t('模板', 'Templates'), link: `${p}/templates/`, activeMatch: '/templates/' },
    { text: t('参考', 'Reference'), link: `${p}/reference/`, activeMatch: '/reference/' },
    { text: t('运维', 'Operators'), link: `${p}/operator/`, activeMatch: '/operator/' },
  ];
}

const searchZh = {
  button: { buttonText: '搜索文档', buttonAriaLabel: '搜索文档' },
  modal: {
    noResultsText: '没有找到结果',
    resetButtonTitle: '清除查询',
    footer: { selectText: '选择', navigateText: '切换', closeText: '关闭' },
  },
};

export default withMermaid({
  title: '政务云平台 Zhengwu',
  description: '政务云平台开发者文档 · Developer docs of the Zhengwu shared government cloud',
  cleanUrls: true,
  lastUpdated: false,
  // The package's own README, scripts and tests are not pages.
  srcExclude: ['README.md', 'scripts/**', 'test/**'],
  head: [['meta', { name: 'theme-color', content: '#c0392b' }]],
  markdown: { lineNumbers: false },
  mermaid: {},
  // Mermaid's renderer is one large chunk, loaded only on pages with a diagram.
  vite: { build: { chunkSizeWarningLimit: 4096 } },
  locales: {
    root: {
      label: '简体中文',
      lang: 'zh-CN',
      themeConfig: {
        nav: nav('zh'),
        sidebar: sidebar('zh'),
        outline: { label: '本页目录', level: [2, 3] },
        docFooter: { prev: '上一页', next: '下一页' },
        darkModeSwitchLabel: '外观',
        sidebarMenuLabel: '菜单',
        returnToTopLabel: '回到顶部',
        langMenuLabel: '语言',
        footer: { message: 'Apache-2.0 许可', copyright: '政务云平台 Zhengwu' },
      },
    },
    en: {
      label: 'English',
      lang: 'en-US',
      link: '/en/',
      title: 'Zhengwu',
      description: 'Developer docs of the Zhengwu shared government cloud',
      themeConfig: {
        nav: nav('en'),
        sidebar: sidebar('en'),
        outline: { level: [2, 3] },
        footer: { message: 'Apache-2.0 licensed', copyright: 'Zhengwu' },
      },
    },
  },
  themeConfig: {
    search: {
      provider: 'local',
      options: { locales: { root: { translations: searchZh } } },
    },
  },
});
