import { type Algorithm, type CipherKeys, wipe } from './ciphers';

/** An unwrapped data key: its working keys, ready to seal and open. */
export interface DataKey {
  id: string;
  tenantId: string;
  algorithm: Algorithm;
  keys: CipherKeys;
}

interface Entry {
  key: DataKey;
  expiresAt: number;
}

/**
 * Unwrapped data keys for a short while, at most `max` of them (least recently used go
 * first). An evicted or expired key is overwritten with zeros, so callers use a key only
 * synchronously, right after `get` — never across an `await`.
 */
export class DataKeyCache {
  readonly #byId = new Map<string, Entry>();
  /** `tenant|algorithm` → id: the key a tenant's new secrets use. */
  readonly #byTenant = new Map<string, string>();

  constructor(
    readonly max: number,
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.#byId.size;
  }

  get(id: string): DataKey | undefined {
    const entry = this.#byId.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.#evict(id);
      return undefined;
    }
    // Map order is insertion order: re-inserting marks it most recently used.
    this.#byId.delete(id);
    this.#byId.set(id, entry);
    return entry.key;
  }

  forTenant(tenantId: string, algorithm: Algorithm): DataKey | undefined {
    const id = this.#byTenant.get(`${tenantId}|${algorithm}`);
    return id === undefined ? undefined : this.get(id);
  }

  /** Takes ownership of `key`: it is wiped when it leaves the cache (or at once if caching is off). */
  set(key: DataKey): void {
    if (this.max <= 0 || this.ttlMs <= 0) {
      wipe(key.keys);
      return;
    }
    if (this.#byId.has(key.id)) this.#evict(key.id);
    this.#byId.set(key.id, { key, expiresAt: this.now() + this.ttlMs });
    this.#byTenant.set(`${key.tenantId}|${key.algorithm}`, key.id);
    while (this.#byId.size > this.max) this.#evict(this.#byId.keys().next().value!);
  }

  clear(): void {
    for (const id of [...this.#byId.keys()]) this.#evict(id);
  }

  #evict(id: string): void {
    const entry = this.#byId.get(id);
    if (!entry) return;
    this.#byId.delete(id);
    const slot = `${entry.key.tenantId}|${entry.key.algorithm}`;
    if (this.#byTenant.get(slot) === id) this.#byTenant.delete(slot);
    wipe(entry.key.keys);
  }
}
