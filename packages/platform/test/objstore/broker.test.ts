import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineUnavailableError, engineName } from '../../src/brokers/broker';
import { bucketName, ObjectStorageBroker } from '../../src/brokers/object-storage';
import { credentialsErrors } from '../brokers/catalog-credentials';
import { bindingSpec, instanceSpec, ObjectStorageFixture, refusal } from './fixture';
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
} from './sdk';

const KIB = 1024;
const MIB = 1024 * 1024;

let fixture: ObjectStorageFixture;

beforeAll(async () => {
  fixture = await ObjectStorageFixture.start();
});

afterAll(async () => {
  await fixture.close();
});

describe('provision and bind', () => {
  it('makes a bucket named after the instance and credentials in the catalog shape', async () => {
    const instance = await fixture.provision();
    const binding = bindingSpec();
    const credentials = await fixture.broker.bind(instance, binding);
    expect(credentials).toMatchObject({
      endpoint: `http://127.0.0.1:${fixture.broker.port}`,
      region: 'cn-gov-1',
      bucket: engineName(instance.id).replaceAll('_', '-'),
      forcePathStyle: true,
      tls: { mode: 'disable', gm: false },
    });
    expect(String(credentials.bucket)).toMatch(/^zw-i-[0-9a-z]{20}$/);
    expect(String(credentials.accessKeyId)).toMatch(/^AKZW[A-Z0-9]{16}$/);
    expect(String(credentials.secretAccessKey)).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(credentialsErrors('object-storage', credentials)).toEqual([]);
    const client = fixture.client(credentials);
    expect(
      (await client.send(new HeadBucketCommand({ Bucket: String(credentials.bucket) }))).$metadata
        .httpStatusCode,
    ).toBe(200);
  });

  it('gives apps a public endpoint when one is configured (e.g. TLS in front)', async () => {
    const proxied = await ObjectStorageFixture.start({
      publicEndpoint: 'https://oss.zhengwu.gov.cn',
    });
    try {
      const instance = await proxied.provision();
      const credentials = await proxied.broker.bind(instance, bindingSpec());
      expect(credentials.endpoint).toBe('https://oss.zhengwu.gov.cn');
      expect(credentials.tls).toEqual({ mode: 'require', gm: false });
      expect(credentialsErrors('object-storage', credentials)).toEqual([]);
    } finally {
      await proxied.close();
    }
  });

  it('refuses a second store over the same directory while the first is open', async () => {
    const second = new ObjectStorageBroker({
      dataDir: fixture.dataDir,
      secretsKey: fixture.secretsKey,
    });
    await expect(second.start()).rejects.toThrow(/in use by process/);
    expect(await second.health()).toMatchObject({ available: false });
  });

  it('is idempotent: provision, bind, unbind and deprovision may run again', async () => {
    const instance = await fixture.provision();
    await fixture.broker.provision(instance);
    const binding = bindingSpec();
    const first = await fixture.broker.bind(instance, binding);
    const again = await fixture.broker.bind(instance, binding);
    expect(again).toEqual(first);
    await fixture.broker.unbind(instance, binding);
    await fixture.broker.unbind(instance, binding);
    await fixture.broker.deprovision(instance);
    await fixture.broker.deprovision(instance);
    expect(await fixture.broker.usage(instance)).toEqual({ storageMb: 0 });
    await expect(fixture.broker.bind(instance, bindingSpec())).rejects.toThrow(/does not exist/);
    await expect(fixture.broker.update(instance)).rejects.toThrow(/does not exist/);
  });

  it('refuses versioning, which the embedded store does not offer, and makes nothing', async () => {
    const instance = { ...instanceSpec(), parameters: { versioning: true } };
    await expect(fixture.broker.provision(instance)).rejects.toThrow(/versioning/);
    expect((await fixture.broker.inventory()).instances).not.toContain(engineName(instance.id));
  });
});

describe('quota (limits.storageMb)', () => {
  it('refuses a PUT that would exceed the plan, stores nothing, and allows it after an upgrade', async () => {
    const app = await fixture.app({ storageMb: 1 });
    const put = (Key: string, size: number) =>
      app.client.send(new PutObjectCommand({ Bucket: app.bucket, Key, Body: randomBytes(size) }));
    await put('first', 600 * KIB);
    expect(await fixture.broker.usage(app.instance)).toEqual({ storageMb: 1 });
    const over = await refusal(put('second', 600 * KIB));
    expect(over).toMatchObject({ code: 'QuotaExceeded', status: 403 });
    expect(over.message).toContain('1 MB');
    // A body far over the quota is refused before it is sent (Expect: 100-continue).
    expect(await refusal(put('huge', 3 * MIB))).toMatchObject({ code: 'QuotaExceeded' });
    const listed = await app.client.send(new ListObjectsV2Command({ Bucket: app.bucket }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['first']);

    await fixture.broker.update({ ...app.instance, limits: { storageMb: 2 } });
    await put('second', 600 * KIB);
    expect(await fixture.broker.usage(app.instance)).toEqual({ storageMb: 2 });
  });

  it('does not let concurrent uploads overshoot it together', async () => {
    const app = await fixture.app({ storageMb: 1 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        app.client.send(
          new PutObjectCommand({ Bucket: app.bucket, Key: `c${i}`, Body: randomBytes(300 * KIB) }),
        ),
      ),
    );
    const stored = outcomes.filter((o) => o.status === 'fulfilled').length;
    expect(stored).toBeGreaterThanOrEqual(1);
    expect(stored).toBeLessThanOrEqual(3);
    for (const o of outcomes)
      if (o.status === 'rejected') expect((o.reason as Error).name).toBe('QuotaExceeded');
    const listed = await app.client.send(new ListObjectsV2Command({ Bucket: app.bucket }));
    const bytes = (listed.Contents ?? []).reduce((n, o) => n + (o.Size ?? 0), 0);
    expect(listed.KeyCount).toBe(stored);
    expect(bytes).toBeLessThanOrEqual(MIB);
  });

  it('counts parts of unfinished multipart uploads until they are aborted', async () => {
    const app = await fixture.app({ storageMb: 1 });
    const { UploadId } = await app.client.send(
      new CreateMultipartUploadCommand({ Bucket: app.bucket, Key: 'mp' }),
    );
    await app.client.send(
      new UploadPartCommand({
        Bucket: app.bucket,
        Key: 'mp',
        UploadId,
        PartNumber: 1,
        Body: randomBytes(700 * KIB),
      }),
    );
    expect(await fixture.broker.usage(app.instance)).toEqual({ storageMb: 1 });
    const put = () =>
      app.client.send(
        new PutObjectCommand({ Bucket: app.bucket, Key: 'other', Body: randomBytes(400 * KIB) }),
      );
    expect(await refusal(put())).toMatchObject({ code: 'QuotaExceeded' });
    await app.client.send(
      new AbortMultipartUploadCommand({ Bucket: app.bucket, Key: 'mp', UploadId }),
    );
    expect(await fixture.broker.usage(app.instance)).toEqual({ storageMb: 0 });
    await put();
  });
});

describe('rotation, restart and deprovision', () => {
  it('rotates: v2 reads what v1 wrote; v1 is refused as soon as it is unbound', async () => {
    const instance = await fixture.provision();
    const id = bindingSpec().id;
    const v1 = await fixture.bind(instance, bindingSpec({}, id, 1));
    await v1.client.send(
      new PutObjectCommand({ Bucket: v1.bucket, Key: 'ledger.csv', Body: 'a,b\n1,2\n' }),
    );
    const v2 = await fixture.bind(instance, bindingSpec({}, id, 2));
    expect(v2.credentials.accessKeyId).not.toBe(v1.credentials.accessKeyId);
    await fixture.broker.unbind(instance, v1.binding);
    expect(
      await refusal(v1.client.send(new GetObjectCommand({ Bucket: v1.bucket, Key: 'ledger.csv' }))),
    ).toMatchObject({
      code: 'InvalidAccessKeyId',
      status: 403,
    });
    const read = await v2.client.send(
      new GetObjectCommand({ Bucket: v2.bucket, Key: 'ledger.csv' }),
    );
    expect(await read.Body!.transformToString()).toBe('a,b\n1,2\n');
    expect((await fixture.broker.inventory()).credentials).toContain(engineName(id, 2));
    expect((await fixture.broker.inventory()).credentials).not.toContain(engineName(id, 1));
  });

  it('keeps objects and keys across a restart; keys are sealed at rest in a 600 file', async () => {
    const app = await fixture.app();
    await app.client.send(
      new PutObjectCommand({
        Bucket: app.bucket,
        Key: 'kept.txt',
        Body: 'survives restarts',
        Metadata: { k: 'v' },
      }),
    );
    const keysFile = join(fixture.root, 'keys.json');
    expect((await stat(keysFile)).mode & 0o777).toBe(0o600);
    const text = await readFile(keysFile, 'utf8');
    expect(text).toContain(String(app.credentials.accessKeyId));
    expect(text).not.toContain(String(app.credentials.secretAccessKey));

    const port = fixture.broker.port;
    await fixture.broker.close();
    expect(await fixture.broker.health()).toMatchObject({ available: false });
    await expect(fixture.broker.provision(instanceSpec())).rejects.toBeInstanceOf(
      EngineUnavailableError,
    );
    expect(
      (
        await refusal(
          app.client.send(new GetObjectCommand({ Bucket: app.bucket, Key: 'kept.txt' })),
        )
      ).status,
    ).toBeUndefined();

    const wrongKey = new ObjectStorageBroker({
      dataDir: fixture.dataDir,
      secretsKey: randomBytes(32),
      port,
    });
    const failure = await wrongKey.start().then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(/Cannot decrypt/);
    expect(failure?.message).not.toContain(String(app.credentials.secretAccessKey));

    fixture.broker = new ObjectStorageBroker({
      dataDir: fixture.dataDir,
      secretsKey: fixture.secretsKey,
      port,
    });
    await fixture.broker.start();
    expect(await fixture.broker.health()).toEqual({ available: true });
    const read = await app.client.send(
      new GetObjectCommand({ Bucket: app.bucket, Key: 'kept.txt' }),
    );
    expect([await read.Body!.transformToString(), read.Metadata]).toEqual([
      'survives restarts',
      { k: 'v' },
    ]);
  });

  it('deprovision removes the bucket, its objects, uploads and keys', async () => {
    const app = await fixture.app();
    await app.client.send(
      new PutObjectCommand({ Bucket: app.bucket, Key: 'doomed.txt', Body: 'bye' }),
    );
    await app.client.send(new CreateMultipartUploadCommand({ Bucket: app.bucket, Key: 'pending' }));
    const reader = await fixture.bind(app.instance, bindingSpec({ readOnly: true }));
    const inventory = await fixture.broker.inventory();
    expect(inventory.instances).toContain(engineName(app.instance.id));
    expect(inventory.credentials).toEqual(
      expect.arrayContaining([engineName(app.binding.id, 1), engineName(reader.binding.id, 1)]),
    );

    await fixture.broker.deprovision(app.instance);
    const after = await fixture.broker.inventory();
    expect(after.instances).not.toContain(engineName(app.instance.id));
    expect(after.credentials).not.toContain(engineName(app.binding.id, 1));
    expect(after.credentials).not.toContain(engineName(reader.binding.id, 1));
    expect(await readdir(join(fixture.root, 'buckets'))).not.toContain(bucketName(app.instance));
    expect(await readdir(join(fixture.root, 'tmp'))).toEqual([]);
    expect(
      await refusal(
        app.client.send(new GetObjectCommand({ Bucket: app.bucket, Key: 'doomed.txt' })),
      ),
    ).toMatchObject({
      code: 'InvalidAccessKeyId',
    });
    await fixture.broker.deprovision(app.instance);
  });
});
