import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Credentials, InstanceSpec } from '../../platform/src/brokers/broker';
import { MosquittoBroker } from '../../platform/src/brokers/mqtt/mosquitto-broker';
import { newId } from '../../platform/src/ids';
import { startMosquitto } from '../../platform/test/brokers/mosquitto-process';
import { SERVERS } from '../../platform/test/brokers/servers';
import { servicesAvailable, TestBindings } from './support/bindings';
import { manifestPackageProblems, structuralProblems } from './support/manifest-check';
import {
  readTemplateManifest,
  resolveEnv,
  resourceTypes,
  type TemplateManifest,
} from './support/manifest-env';
import { runNodeTests } from './support/run-template';
import { TEMPLATES_ROOT } from './support/template-suite';

const dir = join(TEMPLATES_ROOT, 'template-hotline');
// amqplib comes from the template's own dependencies (this package does not depend on it).
const { connect } = createRequire(join(dir, 'package.json'))('amqplib') as typeof import('amqplib');

/**
 * RabbitMQ for the template: a fresh vhost from the platform's broker when the management API
 * answers (as `zw deploy` does), else the default vhost with an exchange and queue whose names
 * are unique to this run (the template reads EVENTS_EXCHANGE / EVENTS_QUEUE), deleted after.
 */
async function rabbitmq(): Promise<{
  viaBroker: boolean;
  credentials?: Credentials;
  env: Record<string, string>;
  close: () => Promise<void>;
}> {
  if (await reachable(SERVERS.rabbitmqManagement)) {
    return { viaBroker: true, env: {}, close: async () => {} };
  }
  console.warn(
    `RabbitMQ 管理接口不可用，改用唯一命名的交换机与队列 · RabbitMQ management API at ${new URL(SERVERS.rabbitmqManagement).host} is not reachable; using unique exchange and queue names on the default vhost`,
  );
  const run = randomUUID().slice(0, 8);
  const exchange = `zw-test-${run}.workorders`;
  const queue = `zw-test-${run}.worker`;
  const url = new URL(SERVERS.rabbitmq);
  const credentials: Credentials = {
    uri: SERVERS.rabbitmq,
    host: url.hostname,
    port: Number(url.port || 5672),
    vhost: '/',
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    tls: { mode: 'disable' },
  };
  return {
    viaBroker: false,
    credentials,
    env: { EVENTS_EXCHANGE: exchange, EVENTS_QUEUE: queue },
    async close() {
      const connection = await connect(SERVERS.rabbitmq);
      try {
        const channel = await connection.createChannel();
        await channel.deleteQueue(queue);
        await channel.deleteExchange(exchange);
      } finally {
        await connection.close();
      }
    },
  };
}

/**
 * The template's documented switch to RabbitMQ (see its README): `type: rabbitmq` and no
 * MQ_TOPIC_PREFIX line. Throws when the manifest no longer has what the edit expects.
 */
function switchedToRabbitmq(text: string): { text: string; manifest: TemplateManifest } {
  const prefixLine = /^ {2}MQ_TOPIC_PREFIX: .*\n/m;
  const mqtt = /^( {2}mq: \{ type: )mqtt,/m;
  if (!prefixLine.test(text) || !mqtt.test(text)) throw new Error('zhengwu.yaml changed shape');
  const switched = text.replace(prefixLine, '').replace(mqtt, '$1rabbitmq,');
  return { text: switched, manifest: parse(switched) as TemplateManifest };
}

/**
 * An MQTT binding on Mosquitto 2 with the dynamic-security plugin (the platform's external
 * MQTT pool, ACL limited to the topic prefix), from a private Mosquitto started for the test.
 * Undefined when this machine has no Mosquitto (outside CI; in CI that throws).
 */
async function mosquittoBinding(): Promise<
  { credentials: Credentials; close: () => Promise<void> } | undefined
> {
  const server = await startMosquitto();
  if (!server) return undefined;
  const broker = new MosquittoBroker({ url: server.url });
  const instance: InstanceSpec = {
    id: newId('ins'),
    tenantId: newId('ten'),
    plan: 'dev',
    limits: { connections: 50, messagesPerSecond: 100 },
    parameters: {},
  };
  try {
    await broker.provision(instance);
    const credentials = await broker.bind(instance, {
      id: newId('bnd'),
      version: 1,
      parameters: {},
    });
    return {
      credentials,
      async close() {
        try {
          await broker.deprovision(instance);
        } finally {
          await broker.close();
          await server.stop();
        }
      },
    };
  } catch (error) {
    await broker.close();
    await server.stop();
    throw error;
  }
}

async function reachable(httpUrl: string): Promise<boolean> {
  const url = new URL(httpUrl);
  try {
    const response = await fetch(`${url.origin}/api/overview`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`,
      },
      signal: AbortSignal.timeout(2000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

describe('template-hotline', () => {
  it('has a zhengwu.yaml that validates, with web and worker processes', async () => {
    const { text, manifest } = await readTemplateManifest(dir);
    expect(manifest.metadata.name).toBe('hotline');
    expect(text).toMatch(/^metadata:\n(?: {2}.*\n)*? {2}name: hotline$/m);
    expect(structuralProblems(text, manifest)).toEqual([]);
    expect(manifestPackageProblems(text)).toEqual([]);
    const processes = (manifest as unknown as { processes: Record<string, { command: string }> })
      .processes;
    expect(processes.web?.command).toBe('node server.js');
    expect(processes.worker?.command).toBe('node worker.js');
    expect(resourceTypes(manifest)).toEqual({ db: 'postgresql', mq: 'mqtt' });
    // (what they resolve to is checked where the tests run)
    expect(Object.keys(manifest.env ?? {})).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'MQ_URL', 'MQ_TOPIC_PREFIX']),
    );
  });

  it('switches to RabbitMQ by editing zhengwu.yaml only, as its README says', async () => {
    const switched = switchedToRabbitmq((await readTemplateManifest(dir)).text);
    expect(resourceTypes(switched.manifest)).toEqual({ db: 'postgresql', mq: 'rabbitmq' });
    expect(structuralProblems(switched.text, switched.manifest)).toEqual([]);
    expect(manifestPackageProblems(switched.text)).toEqual([]);
  });

  it('follows the package conventions', () => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('zhengwu-template-hotline');
    expect(pkg.private).toBe(true);
    expect(pkg.type).toBe('module');
    expect(pkg.scripts.test).toBe('node --test');
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['amqplib', 'fastify', 'mqtt', 'pg']);
    for (const [dep, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      expect(range, dep).toMatch(/^\^?\d+\.\d+\.\d+/);
    }
    for (const file of [
      'server.js',
      'worker.js',
      'migrate.js',
      '_gitignore',
      'README.md',
      'public/index.html',
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    for (const file of ['public/index.html', 'public/app.js']) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, `${file} uses relative URLs`).not.toMatch(/(?:src|href)="\/(?!\/)/);
      expect(text, `${file} uses relative URLs`).not.toMatch(/fetch\(\s*[`'"]\//);
    }
  });

  it('passes its own tests on MQTT (embedded broker, the default), and its RabbitMQ event tests', {
    timeout: 240_000,
  }, async (ctx) => {
    if (!(await servicesAvailable(['postgresql', 'rabbitmq']))) return ctx.skip();
    const { manifest } = await readTemplateManifest(dir);
    const mq = await rabbitmq();
    let bindings: TestBindings | undefined;
    try {
      // db and mq as the manifest says; a RabbitMQ vhost besides for the RabbitMQ event tests.
      bindings = await TestBindings.open({
        ...resourceTypes(manifest),
        ...(mq.viaBroker && { amqp: 'rabbitmq' as const }),
      });
      const amqp = bindings.credentials.amqp ?? mq.credentials;
      const env: Record<string, string> = {
        ...resolveEnv(manifest, bindings.credentials),
        AMQP_URL: String(amqp?.uri),
        ...mq.env,
      };
      expect(env.MQ_URL).toMatch(/^mqtt:\/\//);
      expect(env.MQ_TOPIC_PREFIX).toMatch(/^zw_i_\w+\/$/);
      const run = await runNodeTests(dir, env, 200_000);
      expect(run.code, run.output).toBe(0);
      expect(run.fail, run.output).toBe(0);
      expect(run.skipped, run.output).toBe(0);
      expect(run.pass, run.output).toBeGreaterThanOrEqual(56);
    } finally {
      await bindings?.close();
      await mq.close();
    }
  });

  it('switched to RabbitMQ, passes its own tests, and its MQTT event tests on Mosquitto', {
    timeout: 240_000,
  }, async (ctx) => {
    if (!(await servicesAvailable(['postgresql', 'rabbitmq']))) return ctx.skip();
    const { manifest } = switchedToRabbitmq((await readTemplateManifest(dir)).text);
    const mq = await rabbitmq();
    const mosquitto = await mosquittoBinding();
    let bindings: TestBindings | undefined;
    try {
      // Without Mosquitto here (outside CI), the MQTT event tests use the embedded broker.
      bindings = await TestBindings.open({
        ...(mq.viaBroker ? resourceTypes(manifest) : { db: 'postgresql' as const }),
        ...(!mosquitto && { mqtt: 'mqtt' as const }),
      });
      const credentials = {
        ...bindings.credentials,
        ...(mq.credentials && { mq: mq.credentials }),
      };
      const mqtt = (mosquitto?.credentials ?? bindings.credentials.mqtt) as Credentials;
      const env: Record<string, string> = {
        ...resolveEnv(manifest, credentials),
        MQTT_URL: String(mqtt.uri),
        MQTT_TOPIC_PREFIX: String(mqtt.topicPrefix),
        ...mq.env,
      };
      expect(env.MQ_URL).toMatch(/^amqp:\/\//);
      expect(env).not.toHaveProperty('MQ_TOPIC_PREFIX');
      const run = await runNodeTests(dir, env, 200_000);
      expect(run.code, run.output).toBe(0);
      expect(run.fail, run.output).toBe(0);
      expect(run.skipped, run.output).toBe(0);
      expect(run.pass, run.output).toBeGreaterThanOrEqual(56);
    } finally {
      await bindings?.close();
      await mosquitto?.close();
      await mq.close();
    }
  });
});
