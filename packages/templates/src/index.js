#!/usr/bin/env node
// create-zhengwu: `npm create zhengwu@latest my-app -- --template approval`. No dependencies.
import { main } from './cli.js';

main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error('✖ 意外错误 · Unexpected error:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
