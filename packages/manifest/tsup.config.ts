import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  // The node entry imports the main entry by name, so both share one ManifestError class.
  external: ['@zhengwu/manifest', /^node:/],
});
