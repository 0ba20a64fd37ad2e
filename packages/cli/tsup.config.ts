import { defineConfig } from 'tsup';

export default defineConfig({
  // `bin` is the `zw` executable; `index` exports `run` for tools and tests.
  entry: { bin: 'src/bin.ts', index: 'src/index.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  // Each command's module is its own chunk, loaded only when that command runs.
  splitting: true,
  target: 'node20',
  platform: 'node',
});
