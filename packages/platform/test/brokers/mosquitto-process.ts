import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A private Mosquitto with the dynamic-security plugin, for broker tests: this machine's
 * Mosquitto on 1883 runs anonymous without the plugin. Started on a free loopback port with
 * `allow_anonymous false` and a dynsec file made by `mosquitto_ctrl dynsec init`.
 */
const MOSQUITTO = process.env.ZW_TEST_MOSQUITTO ?? '/usr/sbin/mosquitto';
const MOSQUITTO_CTRL = process.env.ZW_TEST_MOSQUITTO_CTRL ?? 'mosquitto_ctrl';
const DYNSEC_PLUGIN =
  process.env.ZW_TEST_MOSQUITTO_DYNSEC ?? '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';

export interface MosquittoProcess {
  /** The admin URL (`ZW_MQTT_URL` form): `mqtt://admin:<pw>@127.0.0.1:<port>`. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const run = promisify(execFile);

/** A TCP port nothing listens on (at the time of asking). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket.end() && true));
    socket.once('error', () => resolve(false));
  });
}

/** Why this machine cannot run the tests, or undefined when it can. */
async function missing(): Promise<string | undefined> {
  for (const file of [MOSQUITTO, DYNSEC_PLUGIN]) {
    if (
      !(await access(file).then(
        () => true,
        () => false,
      ))
    )
      return `${file} is missing`;
  }
  const ctrl = await run(MOSQUITTO_CTRL, ['--help']).then(
    () => true,
    (error: { code?: unknown }) => error.code !== 'ENOENT',
  );
  return ctrl ? undefined : `${MOSQUITTO_CTRL} is missing`;
}

/**
 * Starts the private Mosquitto. Without the binaries it fails in CI (`CI` set) and returns
 * undefined elsewhere after printing why, so the caller skips.
 */
export async function startMosquitto(): Promise<MosquittoProcess | undefined> {
  const reason = await missing();
  if (reason) {
    if (process.env.CI) throw new Error(`Mosquitto with dynsec is needed in CI: ${reason}`);
    console.warn(`skipping Mosquitto tests: ${reason}`);
    return undefined;
  }
  const dir = await mkdtemp(join(tmpdir(), 'zw-mosquitto-'));
  const adminPassword = randomBytes(18).toString('base64url');
  const dynsec = join(dir, 'dynamic-security.json');
  await run(MOSQUITTO_CTRL, ['dynsec', 'init', dynsec, 'admin', adminPassword]);
  await chmod(dynsec, 0o600);
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  await writeFile(
    config,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous false',
      'persistence false',
      // Stay the current user (as root it would switch to `mosquitto`, which cannot write here).
      `user ${userInfo().username}`,
      `plugin ${DYNSEC_PLUGIN}`,
      `plugin_opt_config_file ${dynsec}`,
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(MOSQUITTO, ['-c', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 5000;
  while (!(await accepting(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      await rm(dir, { recursive: true, force: true });
      throw new Error(`mosquitto did not start: ${log.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `mqtt://admin:${adminPassword}@127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
