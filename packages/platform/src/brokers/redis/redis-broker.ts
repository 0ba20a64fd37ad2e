import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  type BindingSpec,
  type Broker,
  type Credentials,
  type EngineInventory,
  type EngineUsage,
  engineName,
  type InstanceSpec,
  type PoolHealth,
} from '../broker';
import { keyPrefix, userRules, usersOfPrefix } from './acl-rules';
import { withAdmin } from './admin-connection';

export interface RedisBrokerOptions {
  /** Admin URL (`ZW_REDIS_URL`): a user allowed ACL, CLIENT, CONFIG GET, SCAN and UNLINK. */
  url: string;
  /** Pool id shown as `Instance.pool`. */
  pool?: string;
  /** Instances this pool may hold. */
  capacity?: number;
  /** Host and port apps reach Redis at, when not the admin URL's. */
  publicHost?: string;
  publicPort?: number;
  /** Keys whose MEMORY USAGE `usage()` sums exactly; the rest are estimated from them. */
  usageSampleKeys?: number;
  /** Called by `close()` (the embedded pool stops its server). */
  onClose?: () => Promise<void>;
}

/** A binding to restore after a Redis restart lost its in-memory ACL users. */
export interface RedisGrant {
  instance: InstanceSpec;
  binding: BindingSpec;
  /** The credentials `bind` returned (the password is needed to set the user again). */
  credentials: Credentials;
}

export interface RedisUsage extends EngineUsage {
  keys: number;
}

/**
 * The broker's own record of provisioned instances (plan and limits). No tenant pattern
 * (`zw_i_…:*`) matches it. It makes an instance with no keys yet visible to `inventory()`.
 */
const REGISTRY = 'zw:broker:instances';
const SCAN_COUNT = 1000;
const MIB = 1024 * 1024;

/**
 * Redis as a shared pool: an instance is a key and channel prefix `<zw_i_…>:` in database 0,
 * a binding version is an ACL user confined to that prefix (see `acl-rules.ts`).
 *
 * Limits: a shared Redis has no per-prefix `maxmemory`, eviction policy or client limit, so
 * a plan's `memoryMb` and `connections` are recorded and reported by `usage()` but not
 * enforced by the engine; a tenant that needs them enforced needs its own Redis process.
 * Needs Redis 7.0+ (selectors, `&` channel rules, SORT pattern checks).
 */
export class RedisBroker implements Broker {
  readonly service = 'redis';
  readonly pool: string;
  readonly capacity: number;
  readonly #url: string;
  readonly #host: string;
  readonly #port: number;
  readonly #tls: boolean;
  readonly #sampleKeys: number;
  readonly #onClose: (() => Promise<void>) | undefined;
  /** `aclfile` as configured on the server, read once: '' means users live in memory. */
  #aclFile: string | undefined;

  constructor(options: RedisBrokerOptions) {
    const url = new URL(options.url);
    this.#url = options.url;
    this.pool = options.pool ?? 'redis-1';
    this.capacity = options.capacity ?? 1000;
    this.#tls = url.protocol === 'rediss:';
    this.#host = options.publicHost ?? url.hostname;
    this.#port = options.publicPort ?? Number(url.port || 6379);
    this.#sampleKeys = options.usageSampleKeys ?? 10_000;
    this.#onClose = options.onClose;
  }

  async health(): Promise<PoolHealth> {
    try {
      const info = await withAdmin(this.#url, (redis) => redis.info('server'));
      const version = /redis_version:(\d+)/.exec(info)?.[1];
      if (Number(version) < 7) {
        return {
          available: false,
          reason: `Redis 版本过低，需要 7.0 以上 · Redis ${version} is too old, 7.0+ needed`,
        };
      }
      return { available: true };
    } catch (error) {
      return { available: false, reason: (error as Error).message };
    }
  }

  async provision(instance: InstanceSpec): Promise<void> {
    await withAdmin(this.#url, (redis) => this.#record(redis, instance));
  }

  /**
   * Records the new plan. Nothing in the engine changes: memory and connection limits are
   * advisory in a shared Redis, and the eviction policy is server-wide (one for all tenants).
   */
  async update(instance: InstanceSpec): Promise<void> {
    await withAdmin(this.#url, (redis) => this.#record(redis, instance));
  }

  async deprovision(instance: InstanceSpec): Promise<void> {
    const name = engineName(instance.id);
    const prefix = keyPrefix(name);
    await withAdmin(this.#url, async (redis) => {
      // Users first, so nothing writes into the prefix while it is swept.
      for (const user of await this.#usersOf(redis, prefix)) await revoke(redis, user);
      await this.#persistAcl(redis);
      for await (const keys of scan(redis, `${prefix}*`)) await redis.unlink(...keys);
      await redis.hdel(REGISTRY, name);
    });
  }

  async bind(instance: InstanceSpec, binding: BindingSpec): Promise<Credentials> {
    const prefix = keyPrefix(engineName(instance.id));
    const username = engineName(binding.id, binding.version);
    const password = randomBytes(32).toString('base64url');
    const readOnly = binding.parameters.readOnly === true;
    await withAdmin(this.#url, async (redis) => {
      await setUser(redis, username, prefix, password, readOnly);
      await this.#persistAcl(redis);
    });
    return this.#credentials(username, password, prefix);
  }

  async unbind(_instance: InstanceSpec, binding: BindingSpec): Promise<void> {
    const username = engineName(binding.id, binding.version);
    await withAdmin(this.#url, async (redis) => {
      await revoke(redis, username);
      await this.#persistAcl(redis);
    });
  }

  async usage(instance: InstanceSpec): Promise<RedisUsage> {
    const prefix = keyPrefix(engineName(instance.id));
    return withAdmin(this.#url, async (redis) => {
      let keys = 0;
      let sampled = 0;
      let sampledBytes = 0;
      for await (const batch of scan(redis, `${prefix}*`)) {
        keys += batch.length;
        const sample = batch.slice(0, Math.max(0, this.#sampleKeys - sampled));
        if (sample.length === 0) continue;
        const pipeline = redis.pipeline();
        for (const key of sample) pipeline.memory('USAGE', key);
        for (const [, bytes] of (await pipeline.exec()) ?? []) sampledBytes += Number(bytes ?? 0);
        sampled += sample.length;
      }
      const bytes = sampled === 0 ? 0 : (sampledBytes / sampled) * keys;
      const users = new Set(await this.#usersOf(redis, prefix));
      // Every type: a subscriber's connection is `pubsub`, not `normal`.
      const clients = (await redis.client('LIST')) as string;
      const connections = clients
        .split('\n')
        .filter((line) => users.has(/ user=(\S+)/.exec(line)?.[1] ?? '')).length;
      const megabytes = Math.ceil(bytes / MIB);
      return { storageMb: megabytes, memoryMb: megabytes, connections, keys };
    });
  }

  async inventory(): Promise<EngineInventory> {
    return withAdmin(this.#url, async (redis) => {
      const credentials = ((await redis.acl('USERS')) as string[]).filter((u) =>
        u.startsWith('zw_'),
      );
      const instances = new Set(await redis.hkeys(REGISTRY));
      for await (const keys of scan(redis, 'zw_i_*')) {
        for (const key of keys) instances.add(key.slice(0, key.indexOf(':')));
      }
      return { instances: [...instances].sort(), credentials: credentials.sort() };
    });
  }

  /** Whether ACL users survive a restart (`aclfile` set) or live only in memory. */
  async persistence(): Promise<'aclfile' | 'memory'> {
    return withAdmin(this.#url, async (redis) =>
      (await this.#aclFileOf(redis)) ? 'aclfile' : 'memory',
    );
  }

  /**
   * Sets the users of live bindings again, with the passwords they were given. For a Redis
   * without `aclfile`: its users are lost on restart, so the platform calls this when
   * `inventory()` misses credentials it knows of (or after every Redis restart).
   */
  async reapply(grants: readonly RedisGrant[]): Promise<void> {
    await withAdmin(this.#url, async (redis) => {
      for (const { instance, binding, credentials } of grants) {
        const prefix = keyPrefix(engineName(instance.id));
        const username = engineName(binding.id, binding.version);
        const password = credentials.password;
        if (typeof password !== 'string') {
          throw new Error(`凭据缺少密码 · Credentials of ${username} carry no password`);
        }
        await setUser(redis, username, prefix, password, binding.parameters.readOnly === true);
      }
      await this.#persistAcl(redis);
    });
  }

  /**
   * Pool settings that undo tenant isolation, for the operator: a `default` user that is on
   * without a password lets any client that skips AUTH read every tenant's keys.
   */
  async securityWarnings(): Promise<string[]> {
    return withAdmin(this.#url, async (redis) => {
      const rules = ((await redis.acl('LIST')) as string[]).find((l) =>
        l.startsWith('user default '),
      );
      const words = new Set(rules?.split(' '));
      if (words.has('on') && words.has('nopass')) {
        return [
          'Redis 的 default 用户开启且无密码，任何不认证的客户端都能读写所有租户的键 · ' +
            "Redis's default user is on without a password: any client that skips AUTH reaches every tenant's keys",
        ];
      }
      return [];
    });
  }

  async close(): Promise<void> {
    // Each call opens and closes its own connection: nothing is held between calls.
    await this.#onClose?.();
  }

  async #record(redis: Redis, instance: InstanceSpec): Promise<void> {
    const name = engineName(instance.id);
    keyPrefix(name);
    const record = {
      plan: instance.plan,
      limits: instance.limits,
      parameters: instance.parameters,
    };
    await redis.hset(REGISTRY, name, JSON.stringify(record));
  }

  async #usersOf(redis: Redis, prefix: string): Promise<string[]> {
    return usersOfPrefix((await redis.acl('LIST')) as string[], prefix);
  }

  async #aclFileOf(redis: Redis): Promise<string> {
    this.#aclFile ??= ((await redis.config('GET', 'aclfile')) as string[])[1] ?? '';
    return this.#aclFile;
  }

  /** `ACL SAVE` when the server keeps users in an aclfile; in memory there is nothing to do. */
  async #persistAcl(redis: Redis): Promise<void> {
    if (await this.#aclFileOf(redis)) await redis.acl('SAVE');
  }

  #credentials(username: string, password: string, prefix: string): Credentials {
    const scheme = this.#tls ? 'rediss' : 'redis';
    const user = encodeURIComponent(username);
    const secret = encodeURIComponent(password);
    return {
      uri: `${scheme}://${user}:${secret}@${this.#host}:${this.#port}`,
      host: this.#host,
      port: this.#port,
      username,
      password,
      keyPrefix: prefix,
      // What is true of this pool: TLS only when the pool's URL is `rediss:`.
      tls: { mode: this.#tls ? 'require' : 'disable', gm: false },
    };
  }
}

async function setUser(
  redis: Redis,
  username: string,
  prefix: string,
  password: string,
  readOnly: boolean,
): Promise<void> {
  const sha256 = createHash('sha256').update(password).digest('hex');
  await redis.acl('SETUSER', username, ...userRules(prefix, sha256, readOnly));
}

/**
 * Ends the user's sessions, then deletes it (DELUSER also drops clients that logged in
 * between the two). A user already gone is not an error: unbind is idempotent.
 */
async function revoke(redis: Redis, username: string): Promise<void> {
  try {
    await redis.client('KILL', 'USER', username);
  } catch (error) {
    if (!/No such user/i.test((error as Error).message)) throw error;
  }
  await redis.acl('DELUSER', username);
}

/** Batches of the database-0 keys matching `pattern`, from one full SCAN. */
async function* scan(redis: Redis, pattern: string): AsyncGenerator<string[]> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
    cursor = next;
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}
