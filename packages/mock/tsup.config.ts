import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The handlers (browsers and Node) and the HTTP server (Node), sharing one chunk in ESM.
    entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    splitting: true,
    target: 'es2022',
    platform: 'neutral',
    external: [/^node:/],
  },
  {
    // The `zw-mock` bin: ESM only, with its shebang.
    entry: { 'node/cli': 'src/node/cli.ts' },
    format: ['esm'],
    target: 'es2022',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
