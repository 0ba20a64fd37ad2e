/**
 * `run(argv, io)`: the whole CLI as a function. Parses, runs one command, reports a failure
 * as a bilingual message with a hint (or JSON with `--json`) and returns the exit code.
 */
import { CommanderError } from 'commander';
import { resolveSettings } from './config';
import { type CliError, toCliError } from './errors';
import { EXIT } from './exit-codes';
import type { CliIo } from './io';
import { buildProgram } from './program';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version asked for exit 0; help shown because a command was missing, and every
      // parsing error, are usage errors.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const settings = await resolveSettings(io.env).catch(() => undefined);
    // The address the command used: `--url` (zw login) before the one stored.
    const failure = toCliError(
      error,
      urlOption(argv) ?? settings?.url,
      Boolean(io.env.ZHENGWU_TOKEN),
    );
    report(io, failure, argv.includes('--json'));
    return failure.exitCode;
  }
}

function report(io: CliIo, failure: CliError, json: boolean): void {
  if (json) {
    const error = {
      exitCode: failure.exitCode,
      message: failure.message,
      ...(failure.hint && { hint: failure.hint }),
      ...failure.details,
    };
    io.stderr.write(`${JSON.stringify({ error })}\n`);
    return;
  }
  const lines = [`错误 · Error: ${failure.message}`];
  if (failure.hint) lines.push(`提示 · Hint: ${failure.hint}`);
  const requestId = failure.details.requestId;
  if (typeof requestId === 'string') lines.push(`请求 ID · Request id: ${requestId}`);
  io.stderr.write(`${lines.join('\n')}\n`);
}

/** The value of `--url <u>` or `--url=<u>`, if given. */
function urlOption(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--url') return argv[i + 1];
    if (arg.startsWith('--url=')) return arg.slice('--url='.length);
  }
  return undefined;
}
