import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../free-port';
import { isAlive, keptValue } from '../../kept-file';
import { withAdmin } from './admin-connection';

/**
 * The embedded Redis pool: a `redis-server` of this machine (npm has no Redis server that is
 * real: the packages that offer one download and compile the source), run as a child of the
 * platform with everything under `<dataDir>/engines/redis`: its config, append-only data and
 * ACL file (so binding users survive restarts), a stable port, and an admin password only the
 * platform knows. The `default` user is off; the admin user is the only other one at start.
 */

export const ADMIN_USER = 'zw-admin';
const MIN_MAJOR = 7; // selectors and `&` channel rules
const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

export interface EmbeddedRedis {
  /** Admin URL (`redis://zw-admin:…@127.0.0.1:<port>/0`). */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Why the embedded Redis cannot run here, in the `中文 · English` form of pool reasons. */
export class RedisServerMissing extends Error {
  override name = 'RedisServerMissing';
}

/**
 * The `redis-server` to run: `configured` (`ZW_REDIS_SERVER`) when given, else the first on
 * PATH or in the usual system folders. Throws `RedisServerMissing` with what to do.
 */
export async function findRedisServer(configured?: string): Promise<string> {
  const candidates = configured
    ? [configured]
    : [
        ...(process.env.PATH ?? '').split(delimiter).filter(Boolean),
        '/usr/bin',
        '/usr/sbin',
        '/usr/local/bin',
      ].map((dir) => join(dir, 'redis-server'));
  const binary = candidates.find(executable);
  if (!binary) {
    throw new RedisServerMissing(
      configured
        ? `ZW_REDIS_SERVER 不是可执行文件 · ZW_REDIS_SERVER (${configured}) is not an executable file`
        : '未找到 redis-server：请安装（如 apt-get install redis-server）或设置 ZW_REDIS_URL · redis-server was not found: install it (e.g. apt-get install redis-server) or set ZW_REDIS_URL to an external Redis',
    );
  }
  const { stdout } = await promisify(execFile)(binary, ['--version'], { timeout: 5000 });
  const version = /v=(\d+)\.(\d+)\.(\d+)/.exec(stdout);
  if (!version || Number(version[1]) < MIN_MAJOR) {
    throw new RedisServerMissing(
      `redis-server 版本过低，需要 7.0 以上 · ${binary} is ${version?.slice(1).join('.') ?? 'of unknown version'}; Redis 7.0+ is needed`,
    );
  }
  return binary;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Starts (initialising on first use) the embedded Redis under `<dataDir>/engines/redis`. */
export async function startEmbeddedRedis(
  dataDir: string,
  options: { binary: string; port?: number; log?: (line: string) => void },
): Promise<EmbeddedRedis> {
  const dir = join(dataDir, 'engines', 'redis');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const password = await keptValue(join(dir, 'admin-password'), () =>
    randomBytes(32).toString('base64url'),
  );
  // Bindings hand this port to apps: chosen at first start, kept after.
  const port = Number(
    await keptValue(join(dir, 'port'), async () => String(options.port || (await freePort()))),
  );
  await stopStale(join(dir, 'redis.pid'));
  await writeAclFile(join(dir, 'users.acl'), password);
  const conf = join(dir, 'redis.conf');
  await writeFile(conf, config(dir, port), { mode: 0o600 });

  const child = spawn(options.binary, [conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = `redis://${ADMIN_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/0`;
  try {
    await waitReady(url, exited);
  } catch (error) {
    child.kill('SIGKILL');
    const log = await readFile(join(dir, 'redis.log'), 'utf8').catch(() => '');
    throw new Error(
      `嵌入式 Redis 未能启动 · The embedded Redis did not start: ${(error as Error).message}\n${(stderr || log.split('\n').slice(-10).join('\n')).trim()}`,
    );
  }
  options.log?.(`嵌入式 Redis 已启动 · Embedded Redis listening on 127.0.0.1:${port}`);
  return { url, port, stop: () => stop(child, exited) };
}

/** Redis config: loopback only, durable (append-only, fsync each second), ACLs from a file. */
function config(dir: string, port: number): string {
  return `# Written by the zhengwu platform at every start; edits are lost.
bind 127.0.0.1
port ${port}
protected-mode yes
daemonize no
dir ${dir}
pidfile ${join(dir, 'redis.pid')}
logfile ${join(dir, 'redis.log')}
aclfile ${join(dir, 'users.acl')}
appendonly yes
appendfsync everysec
save ""
maxclients 10000
`;
}

/**
 * The ACL file: the admin user (password hash from the admin-password file) and `default`
 * off; every other line (binding users the broker saved with ACL SAVE) kept as it is.
 */
async function writeAclFile(file: string, password: string): Promise<void> {
  const kept = existsSync(file)
    ? (await readFile(file, 'utf8'))
        .split('\n')
        .filter((l) => l.trim() && !/^user (default|zw-admin) /.test(l))
    : [];
  const hash = createHash('sha256').update(password).digest('hex');
  const lines = [
    'user default off resetkeys resetchannels -@all',
    `user ${ADMIN_USER} on #${hash} ~* &* +@all`,
    ...kept,
  ];
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
}

/** A redis-server left running by a platform that was killed: stopped before a new start. */
async function stopStale(pidFile: string): Promise<void> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!pid || !isAlive(pid)) return;
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!command.includes('redis-server')) return; // the pid was reused by something else
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

async function waitReady(url: string, exited: Promise<number | null>): Promise<void> {
  let done = false;
  const early = exited.then((code) => {
    if (!done) throw new Error(`redis-server exited (${code})`);
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const ping = async () => {
    for (;;) {
      try {
        await withAdmin(url, (redis) => redis.ping());
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(50);
      }
    }
  };
  try {
    await Promise.race([ping(), early]);
  } finally {
    done = true;
  }
}

/** SIGTERM makes Redis flush its append-only file and exit. */
async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
