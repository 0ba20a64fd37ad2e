import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { BindingSpec, Credentials, InstanceSpec, PlanLimits } from '../../src/brokers/broker';
import {
  ObjectStorageBroker,
  type ObjectStorageBrokerOptions,
} from '../../src/brokers/object-storage';
import { newId } from '../../src/ids';
import { S3Client, type S3ClientConfig, type S3ClientType } from './sdk';

/** An S3 client of the AWS SDK v3 configured from a binding's credentials, as an app would. */
export function s3Client(
  credentials: Credentials,
  overrides: Partial<S3ClientConfig> = {},
): S3ClientType {
  return new S3Client({
    endpoint: String(credentials.endpoint),
    region: String(credentials.region),
    forcePathStyle: credentials.forcePathStyle === true,
    credentials: {
      accessKeyId: String(credentials.accessKeyId),
      secretAccessKey: String(credentials.secretAccessKey),
    },
    // Every refusal must surface as it is, not be retried.
    maxAttempts: 1,
    ...overrides,
  });
}

export const instanceSpec = (limits: PlanLimits = { storageMb: 1024 }): InstanceSpec => ({
  id: newId('ins'),
  tenantId: newId('ten'),
  plan: 'dev',
  limits,
  parameters: {},
});

export const bindingSpec = (
  parameters: Record<string, unknown> = {},
  id = newId('bnd'),
  version = 1,
): BindingSpec => ({
  id,
  version,
  parameters,
});

/** A bound app: its credentials and an SDK client made from them. */
export interface App {
  instance: InstanceSpec;
  binding: BindingSpec;
  credentials: Credentials;
  bucket: string;
  client: S3ClientType;
}

/**
 * A started embedded object-storage pool in a temp data directory; every instance made
 * through it is deprovisioned by `close()`, which then checks that nothing is left.
 */
export class ObjectStorageFixture {
  readonly made: InstanceSpec[] = [];
  broker!: ObjectStorageBroker;
  dataDir!: string;
  readonly secretsKey = randomBytes(32);
  readonly #clients: S3ClientType[] = [];

  static async start(
    options: Partial<ObjectStorageBrokerOptions> = {},
  ): Promise<ObjectStorageFixture> {
    const fixture = new ObjectStorageFixture();
    fixture.dataDir = await mkdtemp(join(tmpdir(), 'zw-objstore-'));
    fixture.broker = new ObjectStorageBroker({
      dataDir: fixture.dataDir,
      secretsKey: fixture.secretsKey,
      ...options,
    });
    await fixture.broker.start();
    return fixture;
  }

  get root(): string {
    return join(this.dataDir, 'engines', 'object-storage');
  }

  async provision(limits?: PlanLimits): Promise<InstanceSpec> {
    const instance = instanceSpec(limits);
    this.made.push(instance);
    await this.broker.provision(instance);
    return instance;
  }

  async bind(
    instance: InstanceSpec,
    binding = bindingSpec(),
    overrides: Partial<S3ClientConfig> = {},
  ): Promise<App> {
    const credentials = await this.broker.bind(instance, binding);
    return {
      instance,
      binding,
      credentials,
      bucket: String(credentials.bucket),
      client: this.client(credentials, overrides),
    };
  }

  /** A provisioned instance with one read-write binding. */
  async app(limits?: PlanLimits): Promise<App> {
    return this.bind(await this.provision(limits));
  }

  client(credentials: Credentials, overrides: Partial<S3ClientConfig> = {}): S3ClientType {
    const client = s3Client(credentials, overrides);
    this.#clients.push(client);
    return client;
  }

  async close(): Promise<void> {
    for (const client of this.#clients) client.destroy();
    try {
      for (const instance of this.made) await this.broker.deprovision(instance);
      expect(await this.broker.inventory()).toEqual({ instances: [], credentials: [] });
    } finally {
      await this.broker.close();
      await rm(this.dataDir, { recursive: true, force: true });
    }
  }
}

/** The S3 error an SDK call failed with: its code (error name) and HTTP status. */
export async function refusal(
  call: Promise<unknown>,
): Promise<{ code: string; status: number | undefined; message: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { code: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to be refused, but it succeeded');
}
