/**
 * Generates the docs site's references from the code: the catalog pages, the HTTP API
 * (openapi.yaml), the CLI (its command tree), the configuration (`ZW_*`), the TypeScript APIs
 * (typedoc) and their sidebars.
 *
 *   pnpm docs:generate           writes them
 *   pnpm docs:check              writes nothing; exits 1 when a file is stale, missing or extra
 */
import { checkAnchors } from './generate/anchors';
import { catalogPages } from './generate/catalog';
import { cliPages } from './generate/cli';
import { configurationPages } from './generate/config';
import { compare, type Difference, type Files, merge, write } from './generate/files';
import { httpPages } from './generate/http';
import { referenceIndexPages } from './generate/reference-index';
import { sidebarFiles } from './generate/sidebars';
import { typedocPages } from './generate/typedoc';

async function generateAll(): Promise<Files> {
  const pages = merge([
    catalogPages(),
    httpPages(),
    cliPages(),
    configurationPages(),
    referenceIndexPages(),
    await typedocPages(),
  ]);
  checkAnchors(pages);
  return merge([pages, sidebarFiles(pages)]);
}

/** One line per differing file: what `--check` found, or what writing did about it. */
function report(difference: Difference, wrote: boolean): string[] {
  const [stale, missing, extra] = wrote
    ? ['更新 · updated', '新建 · created', '删除 · removed']
    : ['过期 · stale  ', '缺少 · missing', '多余 · extra  '];
  return [
    ...difference.stale.map((path) => `  ${stale}  docs/${path}`),
    ...difference.missing.map((path) => `  ${missing}  docs/${path}`),
    ...difference.extra.map((path) => `  ${extra}  docs/${path}`),
  ];
}

const started = performance.now();
const files = await generateAll();
const seconds = ((performance.now() - started) / 1000).toFixed(1);

if (process.argv.includes('--check')) {
  const lines = report(compare(files), false);
  if (lines.length > 0) {
    console.error(
      [
        '生成的文档与代码不一致，请运行 pnpm docs:generate 并提交结果。',
        'The generated docs are out of date: run pnpm docs:generate and commit the result.',
        ...lines,
      ].join('\n'),
    );
    process.exit(1);
  }
  console.log(
    `生成的文档是最新的 · generated docs are up to date (${files.size} files, ${seconds} s)`,
  );
} else {
  const lines = report(write(files), true);
  for (const line of lines) console.log(line);
  console.log(`已生成 · generated ${files.size} files (${lines.length} changed, ${seconds} s)`);
}
