import { join } from 'node:path';
import { S3Server } from '../../objstore/server';
import { ObjectStore } from '../../objstore/store/object-store';
import type { CryptoMode } from '../../secrets/ciphers';
import {
  type BindingSpec,
  type Broker,
  type Credentials,
  type EngineInventory,
  EngineUnavailableError,
  type EngineUsage,
  engineName,
  type InstanceSpec,
  type PoolHealth,
} from '../broker';

export interface ObjectStorageBrokerOptions {
  /** The platform's data directory; the store lives in `<dataDir>/engines/object-storage/`. */
  dataDir: string;
  /**
   * 32-byte store key: seals access-key secrets and bucket keys at rest. Keep it stable
   * (objects cannot be read without it).
   */
  secretsKey: Buffer;
  /** Algorithm new objects are encrypted with (`ZW_CRYPTO`): AES-256-GCM, or SM4 with `gm`. */
  crypto?: CryptoMode;
  /** Listen address of the S3 endpoint. Default `127.0.0.1`. */
  host?: string;
  /** Its port; 0 (default) takes a free one, which later `start()`s of this object reuse. */
  port?: number;
  /** SigV4 region. Default `cn-gov-1`. */
  region?: string;
  /** The endpoint apps are given, when they reach it through a proxy (e.g. TLS in front). */
  publicEndpoint?: string;
  /**
   * Transport security apps must use, as told in credentials. Default: `require` when the
   * endpoint apps are given is https, else `disable` (the loopback endpoint speaks plain HTTP).
   */
  tls?: { mode: 'disable' | 'require' | 'verify-full'; gm?: boolean };
  /** `Instance.pool`. Default `object-storage-embedded`. */
  pool?: string;
  /** Instances this pool may hold. Default 1000. */
  capacity?: number;
  /** Flush objects to disk before acknowledging them. Default true. */
  fsync?: boolean;
  /** Largest single PUT or part (bytes). Default 5 GiB. */
  maxObjectBytes?: number;
  /** Told of unexpected S3 endpoint failures (never given secrets). */
  onError?: (error: unknown) => void;
}

const MIB = 1024 * 1024;

/** An instance's bucket: its engine name with `_` → `-` (S3 names allow no underscore). */
export const bucketName = (instance: Pick<InstanceSpec, 'id'>): string =>
  engineName(instance.id).replaceAll('_', '-');

/** The owner of a binding version's access key: its engine name. */
const keyOwner = (binding: BindingSpec): string => engineName(binding.id, binding.version);

const quotaBytes = (instance: InstanceSpec): number | null => {
  const mb = instance.limits.storageMb;
  return typeof mb === 'number' && Number.isFinite(mb) && mb >= 0 ? Math.floor(mb * MIB) : null;
};

const instanceMissing = (instance: InstanceSpec) =>
  new Error(`实例的存储桶不存在 · The bucket of instance ${instance.id} does not exist`);

/**
 * The embedded object-storage pool: the platform's own S3-compatible endpoint over local disk
 * (`objstore`). An instance is a bucket with the plan's storage as its quota; a binding
 * version is an access key scoped to that bucket alone (read-only when asked), so another
 * tenant's key is refused there. Secrets are sealed at rest and recoverable, since SigV4
 * verification needs them.
 *
 * External MinIO is not offered yet (no MinIO on these machines): a MinIO pool would need
 * its admin API (a user + bucket policy per binding, a bucket quota per instance).
 */
export class ObjectStorageBroker implements Broker {
  readonly service = 'object-storage';
  readonly pool: string;
  readonly capacity: number;
  readonly region: string;
  #port: number;
  #store: ObjectStore | undefined;
  #server: S3Server | undefined;

  constructor(private readonly options: ObjectStorageBrokerOptions) {
    this.pool = options.pool ?? 'object-storage-embedded';
    this.capacity = options.capacity ?? 1000;
    this.region = options.region ?? 'cn-gov-1';
    this.#port = options.port ?? 0;
  }

  /** The S3 endpoint's port (the configured one until `start()` resolves). */
  get port(): number {
    return this.#port;
  }

  /** Where apps reach the endpoint. */
  get endpoint(): string {
    return this.options.publicEndpoint ?? this.#running().server.endpoint;
  }

  /** Opens the store and starts the S3 endpoint (idempotent). */
  async start(): Promise<void> {
    if (this.#server) return;
    const store = await ObjectStore.open({
      root: join(this.options.dataDir, 'engines', 'object-storage'),
      secretsKey: this.options.secretsKey,
      crypto: this.options.crypto,
      fsync: this.options.fsync ?? true,
    });
    const server = new S3Server({
      store,
      host: this.options.host,
      port: this.#port,
      region: this.region,
      maxObjectBytes: this.options.maxObjectBytes,
      onError: this.options.onError,
    });
    try {
      await server.start();
    } catch (error) {
      await store.close();
      throw error;
    }
    this.#port = server.port;
    this.#store = store;
    this.#server = server;
  }

  #running(): { store: ObjectStore; server: S3Server } {
    if (!this.#store || !this.#server?.listening) {
      throw new EngineUnavailableError(
        '内置对象存储未运行 · The embedded object store is not running',
      );
    }
    return { store: this.#store, server: this.#server };
  }

  async health(): Promise<PoolHealth> {
    if (this.#server?.listening) return { available: true };
    return {
      available: false,
      reason: '内置对象存储未运行 · The embedded object store is not running',
    };
  }

  async provision(instance: InstanceSpec): Promise<void> {
    if (instance.parameters.versioning === true) {
      throw new Error(
        '内置对象存储暂不支持版本控制 · Object versioning is not supported by the embedded object store',
      );
    }
    await this.#running().store.createBucket(bucketName(instance), quotaBytes(instance));
  }

  async update(instance: InstanceSpec): Promise<void> {
    const { store } = this.#running();
    if (instance.parameters.versioning === true) {
      throw new Error(
        '内置对象存储暂不支持版本控制 · Object versioning is not supported by the embedded object store',
      );
    }
    if (!store.bucket(bucketName(instance))) throw instanceMissing(instance);
    await store.createBucket(bucketName(instance), quotaBytes(instance));
  }

  async deprovision(instance: InstanceSpec): Promise<void> {
    // Keys first (they stop working at once), then every object and upload with the bucket.
    await this.#running().store.deleteBucket(bucketName(instance));
  }

  async bind(instance: InstanceSpec, binding: BindingSpec): Promise<Credentials> {
    const { store } = this.#running();
    const bucket = bucketName(instance);
    if (!store.bucket(bucket)) throw instanceMissing(instance);
    const readOnly = binding.parameters.readOnly === true;
    const key = await store.keys.create({ bucket, owner: keyOwner(binding), readOnly });
    return {
      endpoint: this.endpoint,
      region: this.region,
      bucket,
      accessKeyId: key.accessKeyId,
      secretAccessKey: key.secret,
      // The endpoint serves path-style URLs (`<endpoint>/<bucket>/<key>`) only.
      forcePathStyle: true,
      tls: this.#tls(),
    };
  }

  #tls(): { mode: string; gm: boolean } {
    const configured = this.options.tls;
    if (configured) return { mode: configured.mode, gm: configured.gm ?? false };
    return { mode: this.endpoint.startsWith('https://') ? 'require' : 'disable', gm: false };
  }

  async unbind(instance: InstanceSpec, binding: BindingSpec): Promise<void> {
    const owner = keyOwner(binding);
    const bucket = bucketName(instance);
    await this.#running().store.keys.delete((key) => key.owner === owner && key.bucket === bucket);
  }

  async usage(instance: InstanceSpec): Promise<EngineUsage> {
    const bucket = this.#running().store.bucket(bucketName(instance));
    const bytes = bucket ? await bucket.usage() : 0;
    return { storageMb: Math.ceil(bytes / MIB) };
  }

  async inventory(): Promise<EngineInventory> {
    const { store } = this.#running();
    return {
      // Reported by engine name (`zw_i_…`), like every other broker; the bucket is `zw-i-…`.
      instances: store
        .buckets()
        .map((b) => b.name)
        .filter((name) => name.startsWith('zw-'))
        .map((name) => name.replaceAll('-', '_')),
      credentials: store.keys
        .list()
        .map((k) => k.owner)
        .filter((owner) => owner.startsWith('zw_')),
    };
  }

  async close(): Promise<void> {
    const server = this.#server;
    const store = this.#store;
    this.#server = undefined;
    this.#store = undefined;
    await server?.close();
    await store?.close();
  }
}
