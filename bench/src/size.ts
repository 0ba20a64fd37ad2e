/**
 * Bundle size of realistic SDK entries: esbuild (minify, browser, ESM) then gzip and
 * brotli, next to the figures other SDKs are known by. Prints a table; exits 1 when the
 * core entry exceeds its 4 kB gzip budget.
 */
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const entries: Record<string, string> = {
  'core: new ZhengwuCore() + raw.GET': `
    import { ZhengwuCore } from '@zhengwu/sdk';
    const c = new ZhengwuCore({ baseUrl: 'https://zw.example.gov.cn' });
    export const r = await c.raw.GET('/v1/instances/{instanceId}', { params: { path: { instanceId: 'ins_x' } } });`,
  'core + Instances resource': `
    import { Instances, ZhengwuCore } from '@zhengwu/sdk';
    const c = new ZhengwuCore({ baseUrl: 'https://zw.example.gov.cn' });
    export const r = await new Instances(c).waitUntilReady('ins_x');`,
  'full: new Zhengwu() + one call': `
    import { Zhengwu } from '@zhengwu/sdk';
    const c = new Zhengwu({ baseUrl: 'https://zw.example.gov.cn' });
    export const r = await c.instances.retrieve('ins_x');`,
};

const BUDGET_CORE_GZIP = 4096;

const rows: { entry: string; min: number; gzip: number; brotli: number }[] = [];
for (const [entry, contents] of Object.entries(entries)) {
  const out = await build({
    stdin: { contents, resolveDir: import.meta.dirname, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['zhengwu-source'],
    write: false,
  });
  const code = out.outputFiles[0]!.contents;
  rows.push({
    entry,
    min: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code).length,
  });
}

const kb = (n: number) => `${(n / 1024).toFixed(2)} kB`;
console.log('\nBundle size (esbuild --minify, browser ESM)\n');
console.log('| entry | min | gzip | brotli |\n| --- | ---: | ---: | ---: |');
for (const r of rows)
  console.log(`| ${r.entry} | ${kb(r.min)} | ${kb(r.gzip)} | ${kb(r.brotli)} |`);
console.log('| yardstick: openapi-fetch 0.17 | 6.44 kB | 2.57 kB | 2.26 kB |');
console.log('| yardstick: @octokit/core 7 | 20.02 kB | 7.81 kB | — |');

const core = rows[0]!;
console.log(`\ncore gzip ${kb(core.gzip)} / budget ${kb(BUDGET_CORE_GZIP)}`);
if (core.gzip > BUDGET_CORE_GZIP) {
  console.error('core entry is over budget');
  process.exit(1);
}
