/**
 * `docs/.vitepress/generated/sidebars.json`: the sidebars of the generated parts, which
 * config.ts merges with the hand-written ones. The typedoc groups list what typedoc wrote.
 */
import { services } from './catalog';
import { tagSlug } from './http-operations';
import { byCodePoint, type Locale, prefix, t } from './markdown';
import { loadSpec } from './openapi';
import { REFERENCES } from './typedoc';

interface Item {
  text: string;
  link?: string;
  items?: Item[];
  collapsed?: boolean;
}

/** typedoc's folders, in the order the sidebar lists them. */
const KINDS: [folder: string, title: string][] = [
  ['classes', 'Classes'],
  ['functions', 'Functions'],
  ['interfaces', 'Interfaces'],
  ['type-aliases', 'Type aliases'],
  ['variables', 'Variables'],
  ['enumerations', 'Enumerations'],
];

const link = (path: string) => `/${path.replace(/(^|\/)index\.md$/, '$1').replace(/\.md$/, '')}`;

function catalogSidebar(locale: Locale): Item[] {
  const p = prefix(locale);
  return [
    {
      text: t(locale, '服务目录', 'Service catalog'),
      items: [
        { text: t(locale, '总览', 'Overview'), link: `${p}/catalog/` },
        ...services().map((s) => ({ text: s.displayName[locale], link: `${p}/catalog/${s.id}` })),
        {
          text: t(locale, '概念：服务目录', 'Concepts: the catalog'),
          link: `${p}/concepts/catalog`,
        },
      ],
    },
  ];
}

/** One typedoc reference: its index, then a collapsed group per kind of export. */
function typedocGroup(dir: string, title: string, pages: string[]): Item {
  const base = `en/reference/${dir}/`;
  const own = pages.filter((path) => path.startsWith(base));
  const groups = KINDS.flatMap(([folder, text]) => {
    const items = own
      .filter((path) => path.startsWith(`${base}${folder}/`))
      .map((path) => ({ text: path.slice(path.lastIndexOf('/') + 1, -3), link: link(path) }))
      .sort((a, b) => byCodePoint(a.text, b.text));
    return items.length > 0 ? [{ text, collapsed: true, items }] : [];
  });
  return {
    text: title,
    collapsed: true,
    items: [{ text: 'Overview', link: link(`${base}index.md`) }, ...groups],
  };
}

function referenceSidebar(locale: Locale, pages: string[]): Item[] {
  const p = prefix(locale);
  const spec = loadSpec();
  const typescript: Item[] =
    locale === 'en'
      ? REFERENCES.filter((r) => !r.dir.includes('/')).map((r) => {
          const group = typedocGroup(r.dir, r.name, pages);
          // Sub-entries (`@zhengwu/mock/node`) nest under their package.
          for (const sub of REFERENCES.filter((s) => s.dir.startsWith(`${r.dir}/`))) {
            group.items!.push(typedocGroup(sub.dir, sub.name, pages));
          }
          return group;
        })
      : REFERENCES.filter((r) => !r.dir.includes('/')).map((r) => ({
          text: r.name,
          link: `/en/reference/${r.dir}/`,
        }));
  return [
    {
      text: t(locale, '参考', 'Reference'),
      items: [
        { text: t(locale, '概览', 'Overview'), link: `${p}/reference/` },
        { text: t(locale, '命令行 zw', 'The zw CLI'), link: `${p}/reference/cli` },
        { text: t(locale, '配置参考', 'Configuration'), link: `${p}/operator/configuration` },
      ],
    },
    {
      text: 'HTTP API',
      items: [
        { text: t(locale, '概览', 'Overview'), link: `${p}/reference/http/` },
        ...spec.tags.map((tag) => ({
          text: tag.name,
          link: `${p}/reference/http/${tagSlug(tag.name)}`,
        })),
        { text: t(locale, '数据结构', 'Schemas'), link: `${p}/reference/http/schemas` },
      ],
    },
    { text: t(locale, 'TypeScript API（英文）', 'TypeScript API'), items: typescript },
  ];
}

export function sidebarFiles(pages: Map<string, string>): Map<string, string> {
  const paths = [...pages.keys()];
  const sidebars = {
    zh: { '/catalog/': catalogSidebar('zh'), '/reference/': referenceSidebar('zh', paths) },
    en: {
      '/en/catalog/': catalogSidebar('en'),
      '/en/reference/': referenceSidebar('en', paths),
    },
  };
  return new Map([
    ['.vitepress/generated/sidebars.json', `${JSON.stringify(sidebars, null, 2)}\n`],
  ]);
}
