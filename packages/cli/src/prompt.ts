/**
 * Terminal input: a line, a hidden secret (the token is never echoed), a typed confirmation.
 * Prompts go to stderr so stdout stays clean for data and `--json`.
 */
import type { ReadStream } from 'node:tty';
import { CliError } from './errors';
import { EXIT } from './exit-codes';
import type { CliIo } from './io';

/**
 * Reads one line. The terminal (cooked mode) echoes and edits the line itself; Ctrl+C reaches
 * the process as SIGINT, which aborts `io.signal`.
 */
export function readLine(io: CliIo, question: string): Promise<string> {
  const input = io.stdin!;
  io.stderr.write(question);
  return new Promise((resolve, reject) => {
    let line = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.off('end', onEnd);
      io.signal?.removeEventListener('abort', onAbort);
      input.pause();
      if (error) reject(error);
      else resolve(line);
    };
    const onData = (chunk: Buffer | string) => {
      line += chunk.toString();
      const newline = line.indexOf('\n');
      if (newline >= 0) {
        line = line.slice(0, newline).replace(/\r$/, '');
        finish();
      }
    };
    const onEnd = () => finish();
    const onAbort = () => finish(new CliError('已取消 · Canceled', EXIT.interrupted));
    io.signal?.addEventListener('abort', onAbort, { once: true });
    input.on('data', onData);
    input.once('end', onEnd);
    input.resume();
  });
}

/** Reads a secret without echoing it (raw mode: each key is handled here, nothing is printed). */
export function readSecret(io: CliIo, question: string): Promise<string> {
  const input = io.stdin as ReadStream;
  io.stderr.write(question);
  return new Promise((resolve, reject) => {
    let secret = '';
    const wasRaw = input.isRaw;
    input.setRawMode?.(true);
    input.resume();
    input.setEncoding('utf8');
    const done = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode?.(wasRaw ?? false);
      input.pause();
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(secret.trim());
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return done();
        if (char === '\u0003') return done(new CliError('已取消 · Canceled', EXIT.interrupted));
        if (char === '\u007f' || char === '\b') secret = secret.slice(0, -1);
        else if (char >= ' ') secret += char;
      }
    };
    input.on('data', onData);
  });
}

/** Reads everything piped to stdin (`echo $TOKEN | zw login`). */
export async function readPiped(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin!) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').trim();
}

/**
 * Asks the user to type `expected` (a name) to go ahead with something destructive. Without a
 * terminal it refuses and asks for `--yes`, so a script never deletes by accident.
 *
 * @example await confirmByName(io, { zh: '删除应用', en: 'delete app' }, 'approval', opts.yes);
 */
export async function confirmByName(
  io: CliIo,
  action: { zh: string; en: string },
  expected: string,
  yes: boolean | undefined,
): Promise<void> {
  if (yes) return;
  if (!io.stdinIsTTY) {
    throw new CliError(
      `需要确认才能${action.zh} ${expected} · Confirmation needed to ${action.en} ${expected}`,
      EXIT.usage,
      '非交互运行时加 --yes · add --yes when not running interactively',
    );
  }
  const answer = await readLine(
    io,
    `${action.zh} ${expected}？输入名称确认 · ${action.en} ${expected}? Type its name to confirm: `,
  );
  if (answer.trim() !== expected) {
    throw new CliError('未确认，什么也没做 · Not confirmed, nothing was done', EXIT.usage);
  }
}
