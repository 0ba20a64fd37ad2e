/** The small pieces: tables with Chinese text, ignore rules, parameters, times, error mapping. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ignoreFrom, parseRules } from '../src/deploy/ignore';
import { toCliError } from '../src/errors';
import { EXIT } from '../src/exit-codes';
import { renderTable } from '../src/output/table';
import { displayWidth } from '../src/output/width';
import { parseParams } from '../src/params';
import { parseDuration, parseTime } from '../src/time';
import { VERSION } from '../src/version';
import { packageDir } from './helpers';

describe('tables', () => {
  it('count Chinese characters as two columns, so columns line up', () => {
    expect(displayWidth('浙江省 · Zhejiang')).toBe(17);
    const out = renderTable(
      [{ header: '名称 NAME' }, { header: 'ID', align: 'right' }],
      [
        ['浙江省', '1'],
        ['hangzhou', '22'],
      ],
    ).split('\n');
    expect(out).toEqual(['名称 NAME  ID', '浙江省      1', 'hangzhou   22']);
    expect(new Set(out.map(displayWidth)).size).toBe(1);
  });

  it('shrink the marked column to fit the terminal', () => {
    const out = renderTable(
      [{ header: 'A' }, { header: 'DESCRIPTION', shrink: true }],
      [['x', '这是一段很长很长的说明文字 · a long description']],
      30,
    );
    for (const line of out.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(30);
    expect(out).toMatch(/…$/);
  });
});

describe('ignore rules (gitignore syntax)', () => {
  const ignore = ignoreFrom(
    parseRules(['node_modules/', '*.log', '/build', 'docs/**/*.tmp', '!keep.log', '# comment', '']),
  );
  it.each([
    ['node_modules', true, true],
    ['packages/a/node_modules', true, true],
    ['node_modules', false, false],
    ['debug.log', false, true],
    ['src/deep/trace.log', false, true],
    ['keep.log', false, false],
    ['build', true, true],
    ['src/build', true, false],
    ['docs/a/b/c.tmp', false, true],
    ['docs/c.tmp', false, true],
    ['src/c.tmp', false, false],
  ])('%s (dir: %s) → ignored %s', (path, isDir, expected) => {
    expect(ignore(path, isDir)).toBe(expected);
  });
});

describe('parameters and times', () => {
  it('read --param values as JSON when they parse', () => {
    expect(
      parseParams(['n=5', 'on=true', 'list=["a"]', 'text=hello', 'eq=a=b'], '{"base":1,"n":0}'),
    ).toEqual({
      base: 1,
      n: 5,
      on: true,
      list: ['a'],
      text: 'hello',
      eq: 'a=b',
    });
    expect(() => parseParams(['novalue'])).toThrow(/key=value/);
    expect(() => parseParams([], '[1]')).toThrow(/JSON 对象/);
  });

  it('parse durations and relative or ISO times', () => {
    expect(parseDuration('15m', '--timeout')).toBe(900_000);
    expect(parseDuration('90', '--timeout')).toBe(90_000);
    expect(() => parseDuration('soon', '--timeout')).toThrow(/--timeout/);
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(parseTime('2h', '--since', now)).toBe('2026-11-26T10:00:00.000Z');
    expect(parseTime('2026-11-01', '--since', now)).toBe('2026-11-01T00:00:00.000Z');
    expect(() => parseTime('tuesday', '--since', now)).toThrow(/--since/);
  });
});

describe('errors → exit codes', () => {
  const api = (status: number, code?: string) => ({
    name: 'APIError',
    message: 'x',
    status,
    code,
    problem: { code, detail: `detail ${status}` },
  });
  it.each([
    [401, undefined, EXIT.auth, /run zw login/],
    [403, 'forbidden', EXIT.auth, /tenant-admin/],
    [404, 'not_found', EXIT.notFound, /check the name/],
    [409, 'already_exists', EXIT.conflict, /choose another/],
    [409, 'invalid_state', EXIT.conflict, /wait for the running operation/],
    [422, 'quota_exceeded', EXIT.refused, /zw tenants show/],
    [422, 'validation_failed', EXIT.refused, undefined],
    [400, 'bad_request', EXIT.refused, undefined],
    [429, 'rate_limited', EXIT.failure, /retry/],
    [503, 'unavailable', EXIT.failure, /request id/],
  ])('%i %s → exit %i', (status, code, exit, hint) => {
    const e = toCliError(api(status, code));
    expect(e.exitCode).toBe(exit);
    expect(e.message).toContain(`detail ${status}`);
    if (hint) expect(e.hint).toMatch(hint);
  });

  it('a refused token from ZHENGWU_TOKEN: the hint names the variable, not zw login', () => {
    const e = toCliError(api(401, 'token_revoked'), undefined, true);
    expect(e.hint).toMatch(/ZHENGWU_TOKEN/);
    expect(e.hint).not.toMatch(/run zw login/);
  });

  it('a platform-wide token without a department: the hint says to add --tenant', () => {
    const e = toCliError({
      ...api(422, 'validation_failed'),
      problem: {
        code: 'validation_failed',
        detail: 'Give tenantId',
        errors: [{ path: '/body/tenantId', message: 'required for platform-wide tokens' }],
      },
    });
    expect(e.hint).toMatch(/add --tenant <department name or id>/);
  });

  it('connection errors name the URL and say what to check', () => {
    const e = toCliError(
      { name: 'APIConnectionError', message: 'Connection error: ECONNREFUSED' },
      'http://x:1',
    );
    expect(e.exitCode).toBe(EXIT.failure);
    expect(e.message).toMatch(/无法连接平台 · Cannot reach the platform at http:\/\/x:1/);
    expect(e.hint).toMatch(/ZHENGWU_URL/);
  });
});

describe('package', () => {
  it('VERSION matches package.json', async () => {
    const pkg = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8'));
    expect(VERSION).toBe(pkg.version);
    expect(pkg.bin).toEqual({ zw: './dist/bin.js' });
  });

  it("the README's exit-code table is the one in the code", async () => {
    const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `(\d+)` +\|/gm)].map((m) => Number(m[1]));
    expect(rows).toEqual(Object.values(EXIT));
  });
});
