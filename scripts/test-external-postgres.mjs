#!/usr/bin/env node
// Runs the platform's suite against an external PostgreSQL (ZW_DATABASE_URL mode): the
// server at ZW_TEST_POSTGRES_URL, default this machine's 127.0.0.1:5432. In CI a missing
// server fails the run; elsewhere it is skipped with the reason printed.
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';

const url = new URL(
  process.env.ZW_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
);
const reachable = await new Promise((resolve) => {
  const socket = connect({ host: url.hostname, port: Number(url.port || 5432) });
  socket.once('connect', () => resolve(socket.end() && true));
  socket.once('error', () => resolve(false));
});
if (!reachable) {
  const reason = `PostgreSQL at ${url.host} is not reachable (set ZW_TEST_POSTGRES_URL)`;
  if (process.env.CI) {
    console.error(`external PostgreSQL suite: ${reason}`);
    process.exit(1);
  }
  console.warn(`skipping the external PostgreSQL suite: ${reason}`);
  process.exit(0);
}
// Suites whose subject keeps no state in the platform's database ran once already in
// `test:unit`: engine brokers, the object store, the replica supervisor and router, the
// scaling decisions (their own throwaway database), and the engine-level API tours; and
// the entry point's test, which is about the embedded default.
const stateless = [
  'main.test.ts',
  'brokers/**',
  'objstore/**',
  'runtime/**',
  'scaling/**',
  'services/embedded-engines.test.ts',
  'services/external-engines.test.ts',
  'apps/autoscale.test.ts',
];
const run = spawnSync(
  'vitest',
  [
    'run',
    'packages/platform',
    ...stateless.flatMap((glob) => ['--exclude', `packages/platform/test/${glob}`]),
  ],
  {
    stdio: 'inherit',
    shell: process.platform === 'win32',
    env: { ...process.env, ZW_TEST_STATE_DB: 'external' },
  },
);
process.exit(run.status ?? 1);
