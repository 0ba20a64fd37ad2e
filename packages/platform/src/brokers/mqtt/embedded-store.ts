import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** One MQTT instance: its prefix is the record's name. */
export interface StoredInstance {
  /** Live connections allowed at once (`limits.connections`); null = no limit. */
  maxConnections: number | null;
  /** Whether retained messages are accepted (`parameters.retainAvailable`). */
  retain: boolean;
}

/** One binding version: the username is the record's name. */
export interface StoredUser {
  instance: string;
  readOnly: boolean;
  /** An `embedded-password` hash; the password itself is never stored. */
  hash: string;
}

interface StoreFile {
  version: 1;
  instances: Record<string, StoredInstance>;
  users: Record<string, StoredUser>;
}

/**
 * The embedded MQTT broker's instances and users, kept in memory (Maps, so a username such
 * as `__proto__` from a CONNECT packet finds nothing) and in
 * `<dataDir>/engines/mqtt/credentials.json` (mode 600, replaced atomically), so bindings
 * survive a restart. Changes apply in memory at once (the broker's hooks see them before
 * the file is written) and are written one after another.
 */
export class CredentialStore {
  readonly #file: string;
  readonly #instances: Map<string, StoredInstance>;
  readonly #users: Map<string, StoredUser>;
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string, content: StoreFile) {
    this.#file = file;
    this.#instances = new Map(Object.entries(content.instances));
    this.#users = new Map(Object.entries(content.users));
  }

  /** Opens (or starts) the store in `dir`. */
  static async open(dir: string): Promise<CredentialStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, 'credentials.json');
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    const content: StoreFile = text
      ? (JSON.parse(text) as StoreFile)
      : { version: 1, instances: {}, users: {} };
    if (content.version !== 1) {
      throw new Error(`MQTT 凭据文件版本未知 · Unknown MQTT credential file version in ${file}`);
    }
    return new CredentialStore(file, content);
  }

  instance(name: string): StoredInstance | undefined {
    return this.#instances.get(name);
  }

  user(name: string): StoredUser | undefined {
    return this.#users.get(name);
  }

  instanceNames(): string[] {
    return [...this.#instances.keys()];
  }

  usernames(instance?: string): string[] {
    return [...this.#users]
      .filter(([, user]) => instance === undefined || user.instance === instance)
      .map(([name]) => name);
  }

  putInstance(name: string, instance: StoredInstance): Promise<void> {
    this.#instances.set(name, instance);
    return this.#persist();
  }

  /** Removes the instance and all its users. */
  deleteInstance(name: string): Promise<void> {
    for (const username of this.usernames(name)) this.#users.delete(username);
    this.#instances.delete(name);
    return this.#persist();
  }

  putUser(name: string, user: StoredUser): Promise<void> {
    this.#users.set(name, user);
    return this.#persist();
  }

  deleteUser(name: string): Promise<void> {
    this.#users.delete(name);
    return this.#persist();
  }

  /** Queues a write of the current state; resolves once it (or a later write) is on disk. */
  #persist(): Promise<void> {
    const write = this.#writing.catch(() => undefined).then(() => this.#write());
    this.#writing = write;
    return write;
  }

  async #write(): Promise<void> {
    const content: StoreFile = {
      version: 1,
      instances: Object.fromEntries(this.#instances),
      users: Object.fromEntries(this.#users),
    };
    const temporary = `${this.#file}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, this.#file);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }
}
