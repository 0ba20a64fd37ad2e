/**
 * What every command handler gets: output helpers that respect `--json`, the resolved
 * settings, a lazily built SDK client, and polling options for waiters.
 */
import type { WaiterOptions, Zhengwu } from '@zhengwu/sdk';
import { resolveSettings, type Settings } from './config';
import { CliError } from './errors';
import { EXIT } from './exit-codes';
import type { CliIo } from './io';
import { createStyle, type Style } from './output/style';
import { type Column, renderTable } from './output/table';
import { VERSION } from './version';

export interface Ctx {
  io: CliIo;
  /** `--json`: one JSON document on stdout, nothing else there. */
  json: boolean;
  style: Style;
  /** A line of human output on stdout (suppressed with `--json`). */
  out(text?: string): void;
  /** A line of notes, warnings and progress on stderr. */
  note(text: string): void;
  /** The command's result: JSON with `--json`, otherwise `human()` prints it. */
  result(value: unknown, human: () => void): void;
  table(columns: Column[], rows: string[][]): void;
  settings(): Promise<Settings>;
  /** The SDK client on the resolved URL and token; throws (exit 3) without a token. */
  client(): Promise<Zhengwu>;
  /**
   * Waiter options: poll interval (ZHENGWU_POLL_INTERVAL_MS, else backing off from 1 s to
   * 5 s, or `pace` for work someone watches step by step), deadline, Ctrl+C.
   */
  waiter(maxWaitTime?: number, pace?: { minDelay: number; maxDelay: number }): WaiterOptions;
}

export function createContext(io: CliIo, json: boolean): Ctx {
  const style = createStyle(Boolean(io.stdoutIsTTY), io.env);
  let settings: Promise<Settings> | undefined;
  let client: Promise<Zhengwu> | undefined;
  const ctx: Ctx = {
    io,
    json,
    style,
    out(text = '') {
      if (!json) io.stdout.write(`${text}\n`);
    },
    note(text) {
      io.stderr.write(`${text}\n`);
    },
    result(value, human) {
      if (json) io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      else human();
    },
    table(columns, rows) {
      ctx.out(renderTable(columns, rows, io.stdoutIsTTY ? io.columns : undefined));
    },
    settings() {
      settings ??= resolveSettings(io.env);
      return settings;
    },
    client() {
      client ??= (async () => {
        const s = await ctx.settings();
        if (!s.token) {
          throw new CliError(
            '尚未登录 · Not logged in',
            EXIT.auth,
            '运行 zw login，或设置 ZHENGWU_TOKEN · run zw login, or set ZHENGWU_TOKEN',
          );
        }
        const { Zhengwu } = await import('@zhengwu/sdk');
        // Explicit values: the SDK must not fall back to this process's own environment.
        return new Zhengwu({
          baseUrl: s.url,
          token: s.token,
          appInfo: { name: 'zw', version: VERSION },
        });
      })();
      return client;
    },
    waiter(maxWaitTime = 600_000, pace = { minDelay: 1_000, maxDelay: 5_000 }) {
      const interval = Number(io.env.ZHENGWU_POLL_INTERVAL_MS);
      const fixed = Number.isFinite(interval) && interval > 0;
      return {
        maxWaitTime,
        minDelay: fixed ? interval : pace.minDelay,
        maxDelay: fixed ? interval : pace.maxDelay,
        signal: io.signal ?? null,
      };
    },
  };
  return ctx;
}
