// The platform's own entry point, started as a child process for the cold-start figure (the
// copy named by ZW_BENCH_PLATFORM when set, as in `platform-seed.ts`).
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const copy = process.env.ZW_BENCH_PLATFORM;
await import(
  copy ? pathToFileURL(join(dirname(copy), 'main.ts')).href : '../../packages/platform/src/main'
);
