import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LogInput, type LogRecord, LogStore } from '../../src/runtime/logs';
import { secretsOf } from '../../src/runtime/mask';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'zw-logs-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const line = (message: string, extra: Partial<LogInput> = {}): LogInput => ({
  appId: 'app_a',
  releaseId: 'rel_1',
  process: 'web',
  replica: 0,
  source: 'app',
  stream: 'stdout',
  message,
  ...extra,
});
const texts = (records: LogRecord[]) => records.map((r) => r.entry.message);

describe('LogStore', () => {
  it('reads the tail, filters by process and source, and resumes after a cursor', () => {
    const store = new LogStore();
    for (let i = 0; i < 10; i++) store.append(line(`web ${i}`));
    store.append(line('worker 0', { process: 'worker' }));
    store.platform('app_a', 'web.0 restarting');
    store.append(line('other app', { appId: 'app_b' }));

    expect(texts(store.read({ appId: 'app_a', tail: 3 }))).toEqual([
      'web 9',
      'worker 0',
      'web.0 restarting',
    ]);
    expect(texts(store.read({ appId: 'app_a', process: 'worker' }))).toEqual(['worker 0']);
    const platform = store.read({ appId: 'app_a', source: 'platform' });
    expect(platform[0]!.entry).toMatchObject({
      releaseId: null,
      process: 'platform',
      replica: null,
      source: 'platform',
      stream: 'system',
    });
    const all = store.read({ appId: 'app_a', tail: 100 });
    expect(all).toHaveLength(12);
    // Cursors are unique and increasing; `after` ignores `tail`.
    expect(new Set(all.map((r) => r.cursor)).size).toBe(12);
    expect(texts(store.read({ appId: 'app_a', after: all[8]!.cursor, tail: 1 }))).toEqual([
      'web 9',
      'worker 0',
      'web.0 restarting',
    ]);
    expect(texts(store.read({ appId: 'app_b' }))).toEqual(['other app']);
  });

  it('filters by time with since', () => {
    const store = new LogStore();
    store.append(line('old', { time: '2026-01-01T00:00:00.000Z' }));
    store.append(line('edge', { time: '2026-01-01T00:00:05.000Z' }));
    store.append(line('new', { time: '2026-01-01T00:00:06.000Z' }));
    expect(texts(store.read({ appId: 'app_a', since: '2026-01-01T00:00:05Z' }))).toEqual(['new']);
    expect(texts(store.read({ appId: 'app_a', since: new Date('2025-12-31T00:00:00Z') }))).toEqual([
      'old',
      'edge',
      'new',
    ]);
  });

  it('keeps only the last ringSize entries in memory', () => {
    const store = new LogStore({ ringSize: 5 });
    for (let i = 0; i < 12; i++) store.append(line(`l${i}`));
    expect(texts(store.read({ appId: 'app_a', tail: 100 }))).toEqual([
      'l7',
      'l8',
      'l9',
      'l10',
      'l11',
    ]);
  });

  it('pushes new entries to subscribers that match, until they unsubscribe', () => {
    const store = new LogStore();
    const seen: string[] = [];
    const stop = store.subscribe('app_a', { source: 'app', process: 'web' }, (r) =>
      seen.push(r.entry.message),
    );
    store.append(line('one'));
    store.append(line('worker', { process: 'worker' }));
    store.platform('app_a', 'event');
    store.append(line('other', { appId: 'app_b' }));
    expect(store.subscribers('app_a')).toBe(1);
    stop();
    store.append(line('two'));
    expect(seen).toEqual(['one']);
    expect(store.subscribers('app_a')).toBe(0);
  });

  it('keeps fewer entries in memory when they are long, and forgets a removed app', async () => {
    const store = new LogStore({ dataDir, ringSize: 1000, ringChars: 20_000 });
    for (let i = 0; i < 50; i++) store.append(line(`${i} ${'长'.repeat(1000)}`));
    const kept = store.read({ appId: 'app_a', tail: 1000 });
    // ~1.2 k characters of JSON each: 16 fit in 20 000, the newest ones, in order.
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.length).toBeLessThan(20);
    expect(kept.at(-1)!.entry.message.startsWith('49 ')).toBe(true);
    expect(kept.map((r) => Number.parseInt(r.entry.message, 10))).toEqual(
      Array.from({ length: kept.length }, (_, i) => 50 - kept.length + i),
    );
    store.append(line('short'));
    expect(store.read({ appId: 'app_a', tail: 1 })[0]!.entry.message).toBe('short');

    await store.remove('app_a');
    expect(store.read({ appId: 'app_a', tail: 1000 })).toEqual([]);
    await store.close();
  });

  it('masks secret values', () => {
    const store = new LogStore();
    const secrets = secretsOf(
      {
        db: {
          type: 'postgresql',
          provider: 'zhengwu',
          credentials: { uri: 'postgres://u:p%40ss@h/db', password: 'p@ss', port: '5432' },
        },
      },
      ['session-secret-xyz'],
    );
    const record = store.append(
      line('url postgres://u:p%40ss@h/db pw p@ss and p%40ss port 5432 session-secret-xyz'),
      secrets,
    );
    expect(record.entry.message).toBe('url **** pw **** and **** port 5432 ****');
  });

  it('appends NDJSON files (0600), rotates by size, and survives a restart with increasing cursors', async () => {
    const options = { dataDir, maxFileBytes: 2_000, maxFiles: 3 };
    const store = new LogStore(options);
    const first = store.append(line('message 0'));
    for (let i = 1; i < 100; i++) store.append(line(`message ${i}`));
    const last = store.read({ appId: 'app_a', tail: 1 })[0]!;
    await store.close();

    const dir = join(dataDir, 'apps', 'app_a', 'logs');
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(3);
    expect(files.every((f) => /^\d{12}\.ndjson$/.test(f))).toBe(true);
    for (const file of files) {
      expect((await stat(join(dir, file))).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, file))).size).toBeLessThan(2_000 + 300);
    }
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const newest = (await readFile(join(dir, files.at(-1)!), 'utf8')).trim().split('\n');
    expect(JSON.parse(newest.at(-1)!)).toMatchObject({ message: 'message 99', process: 'web' });

    // A new store (platform restart) serves what the files still hold, and continues the sequence.
    const again = new LogStore(options);
    const kept = again.read({ appId: 'app_a', tail: 10_000 });
    expect(kept.at(-1)!.entry.message).toBe('message 99');
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.length).toBeLessThan(100); // the oldest file was deleted
    expect(again.read({ appId: 'app_a', after: first.cursor }).length).toBe(kept.length);
    const next = again.append(line('after restart'));
    expect(texts(again.read({ appId: 'app_a', after: last.cursor }))).toEqual(['after restart']);
    expect(next.cursor).not.toBe(last.cursor);
    await again.remove('app_a');
    await expect(stat(dir)).rejects.toThrow();
  });
});
