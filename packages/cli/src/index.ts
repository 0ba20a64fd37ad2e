/**
 * `@zhengwu/cli`: the `zw` command line. Besides the `zw` bin, it exports `run()` so other
 * tools (and tests) can drive the CLI in-process with their own streams and environment.
 *
 * ```ts
 * import { run } from '@zhengwu/cli';
 *
 * const code = await run(['services', 'list', '--json'], {
 *   stdout: process.stdout, stderr: process.stderr, env: process.env,
 * });
 * ```
 *
 * @packageDocumentation
 */
export { EXIT, type ExitCode } from './exit-codes';
export { type CliIo, processIo, type TextSink } from './io';
export { run } from './run';
export { VERSION } from './version';
