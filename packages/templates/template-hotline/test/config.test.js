import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig, missingSettings } from '../src/config.js';

// No services needed: only how settings are read and reported.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const NAMES = [
  'DATABASE_URL',
  'MQ_URL',
  'MQ_TOPIC_PREFIX',
  'AMQP_URL',
  'SERVICE_BINDING_ROOT',
  'EVENTS_CLIENT_ID',
  'ZHENGWU_REPLICA',
];

describe('配置 · settings', () => {
  /** @type {Record<string, string | undefined>} */
  let saved = {};
  beforeEach(() => {
    saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
    for (const name of NAMES) delete process.env[name];
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('reads the broker from MQ_URL, and from AMQP_URL (the former name) when it is absent', () => {
    process.env.AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
    assert.equal(loadConfig().events.url, 'amqp://guest:guest@127.0.0.1:5672');
    process.env.MQ_URL = 'mqtt://u:p@127.0.0.1:1883';
    process.env.MQ_TOPIC_PREFIX = 'zw_i_abc/';
    const { events } = loadConfig();
    assert.equal(events.url, 'mqtt://u:p@127.0.0.1:1883');
    assert.equal(events.topicPrefix, 'zw_i_abc/');
  });

  it('names MQ_URL when no broker is set', () => {
    process.env.DATABASE_URL = 'postgres://127.0.0.1/hotline';
    assert.deepEqual(missingSettings(loadConfig()), ['MQ_URL']);
    delete process.env.DATABASE_URL;
    assert.deepEqual(missingSettings(loadConfig()), ['DATABASE_URL', 'MQ_URL']);
  });

  it('falls back to the binding files $SERVICE_BINDING_ROOT/mq/{uri,topicPrefix}', async () => {
    const bindings = await mkdtemp(join(tmpdir(), 'hotline-bindings-'));
    try {
      await mkdir(join(bindings, 'mq'));
      await writeFile(join(bindings, 'mq', 'uri'), 'mqtt://u:p@127.0.0.1:1883\n');
      await writeFile(join(bindings, 'mq', 'topicPrefix'), 'zw_i_xyz/');
      process.env.SERVICE_BINDING_ROOT = bindings;
      const { events } = loadConfig();
      assert.equal(events.url, 'mqtt://u:p@127.0.0.1:1883');
      assert.equal(events.topicPrefix, 'zw_i_xyz/');
    } finally {
      await rm(bindings, { recursive: true, force: true });
    }
  });

  it('gives each worker replica a stable MQTT client id of its own, within the prefix', () => {
    process.env.MQ_TOPIC_PREFIX = 'zw_i_abc'; // a hand-set prefix without its slash
    assert.equal(loadConfig().events.topicPrefix, 'zw_i_abc/');
    assert.equal(loadConfig().events.clientId, 'zw_i_abc-worker-0');
    process.env.ZHENGWU_REPLICA = '1';
    assert.equal(loadConfig().events.clientId, 'zw_i_abc-worker-1');
    delete process.env.MQ_TOPIC_PREFIX;
    assert.equal(loadConfig().events.topicPrefix, '');
    assert.equal(loadConfig().events.clientId, 'hotline-worker-1');
    process.env.EVENTS_CLIENT_ID = 'mine';
    assert.equal(loadConfig().events.clientId, 'mine');
  });
});

describe('缺少配置时退出 · stopping on missing settings', () => {
  /** @param {string} file @param {Record<string, string>} env */
  function run(file, env) {
    const child = spawn(process.execPath, [file], {
      cwd: root,
      env: { ...process.env, SERVICE_BINDING_ROOT: '', MQ_URL: '', AMQP_URL: '', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
  }

  it('server.js and worker.js exit 1 naming the missing MQ_URL', async () => {
    for (const file of ['server.js', 'worker.js']) {
      const result = await run(file, { DATABASE_URL: 'postgres://127.0.0.1:1/none' });
      assert.deepEqual(result, { code: 1, output: '缺少配置 · Missing settings: MQ_URL\n' });
      const neither = await run(file, { DATABASE_URL: '' });
      assert.equal(neither.code, 1);
      assert.match(neither.output, /Missing settings: DATABASE_URL, MQ_URL/);
    }
  });
});
