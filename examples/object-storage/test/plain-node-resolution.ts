/**
 * Makes this test worker load the AWS SDK the way plain Node does (as `pnpm start` runs the
 * example). The workspace's vitest config hands Node `--conditions module`, which makes the
 * SDK's `require`s pick its `dist-es` builds — made for bundlers (extensionless imports) and
 * unloadable by Node. Here a resolution that lands in a package's `dist-es/` under
 * node_modules goes to its `dist-cjs/` twin instead. Import it before the example.
 */
import { existsSync } from 'node:fs';
import Module from 'node:module';

type Resolve = (request: string, parent: unknown, isMain: boolean, options: unknown) => string;
const loader = Module as unknown as { _resolveFilename: Resolve & { zwDistCjs?: boolean } };
const resolveFilename = loader._resolveFilename;
if (!resolveFilename.zwDistCjs) {
  const patched: Resolve = function (this: unknown, request, parent, isMain, options) {
    const file = resolveFilename.call(this, request, parent, isMain, options);
    if (!file.includes('/node_modules/') || !file.includes('/dist-es/')) return file;
    const cjs = file.replace('/dist-es/', '/dist-cjs/');
    return existsSync(cjs) ? cjs : file;
  };
  loader._resolveFilename = Object.assign(patched, { zwDistCjs: true });
}
