#!/usr/bin/env node
/** The `zw` executable. Ctrl+C stops a running command cleanly; a second Ctrl+C exits at once. */
import { processIo } from './io';
import { run } from './run';

const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
});

run(process.argv.slice(2), processIo(controller.signal)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error)?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
