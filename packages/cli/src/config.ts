/**
 * Where `zw login` keeps the platform URL and token: `$XDG_CONFIG_HOME/zhengwu/config.json`
 * (default `~/.config/zhengwu/config.json`), readable by the owner only (mode 600).
 * `ZHENGWU_URL` and `ZHENGWU_TOKEN` override the file (CI jobs need no file at all).
 */
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const DEFAULT_URL = 'http://127.0.0.1:7070';

export interface StoredConfig {
  url: string;
  token: string;
}

export interface Settings {
  url: string;
  token: string | undefined;
  /** Where each value came from, for `zw whoami` and error hints. */
  from: { url: 'env' | 'config' | 'default'; token: 'env' | 'config' | 'none' };
  configPath: string;
}

type Env = Record<string, string | undefined>;

export function configPath(env: Env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'zhengwu', 'config.json');
}

export async function readConfig(env: Env): Promise<StoredConfig | undefined> {
  let text: string;
  try {
    text = await readFile(configPath(env), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<StoredConfig>;
    if (typeof parsed.url === 'string' && typeof parsed.token === 'string') {
      return { url: parsed.url, token: parsed.token };
    }
  } catch {}
  return undefined;
}

/** Writes the file atomically with mode 600 (its folder 700), whatever the umask. */
export async function writeConfig(env: Env, config: StoredConfig): Promise<string> {
  const path = configPath(env);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
  return path;
}

/** Removes the stored token; true when there was a file. */
export async function deleteConfig(env: Env): Promise<boolean> {
  const path = configPath(env);
  try {
    await readFile(path);
  } catch {
    return false;
  }
  await rm(path, { force: true });
  return true;
}

/** The URL and token to use: environment first, then the config file, then defaults. */
export async function resolveSettings(env: Env): Promise<Settings> {
  const stored = await readConfig(env);
  const url = env.ZHENGWU_URL || stored?.url;
  const token = env.ZHENGWU_TOKEN || stored?.token;
  return {
    url: url || DEFAULT_URL,
    token: token || undefined,
    from: {
      url: env.ZHENGWU_URL ? 'env' : stored?.url ? 'config' : 'default',
      token: env.ZHENGWU_TOKEN ? 'env' : stored?.token ? 'config' : 'none',
    },
    configPath: configPath(env),
  };
}
