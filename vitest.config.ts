import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests resolve workspace packages to their TypeScript sources (the `zhengwu-source`
// export condition), so `pnpm test:unit` needs no build and reports source lines.
const conditions = ['zhengwu-source', ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'docs/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
      'integration/test/**/*.test.ts',
    ],
    // After everything: no engine object made by a test is left (see the file).
    globalSetup: ['packages/platform/test/reconcile.global.ts'],
    // Most suites wait on servers and child processes, not the CPU: three files at a time
    // on a 2-core machine halve the wall time (vitest's default there is one).
    maxWorkers: 3,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
