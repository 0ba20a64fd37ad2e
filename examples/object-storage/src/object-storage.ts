import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Zhengwu } from '@zhengwu/sdk';

/** Waits poll briskly here; a real program can keep the SDK defaults (1 s to 15 s). */
const brisk = { minDelay: 50, maxDelay: 500, maxWaitTime: 120_000 };

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export interface ObjectStorageResult {
  /** The tenant the example made (a platform-wide token belongs to none), else null. */
  tenantId: string | null;
  instanceId: string;
  bindingId: string;
  bucket: string;
  key: string;
  /** SHA-256 of what was uploaded, downloaded with the SDK, and fetched by presigned URL. */
  sha256: { uploaded: string; downloaded: string; presigned: string };
  contentType: string | undefined;
  presignedUrl: string;
  /** Keys listed after the upload and after the delete. */
  listed: string[];
  listedAfterDelete: string[];
}

/**
 * Object storage from the marketplace, used with the AWS SDK v3: provision a bucket, bind it,
 * upload an object, download it, share it with a presigned GET URL, list, delete.
 *
 * @param suffix appended to the names so the example can run again on one platform
 */
export async function objectStorage(
  client: Zhengwu,
  log: (line: string) => void = console.log,
  suffix = Math.random().toString(36).slice(2, 8),
): Promise<ObjectStorageResult> {
  // A platform-wide token (the bootstrap admin) belongs to no tenant: make one to work in.
  const me = await client.tokens.whoami();
  const tenantId = me.tenantId
    ? null
    : (
        await client.tenants.create({
          parentId: null,
          name: `s3-example-${suffix}`,
          displayName: { zh: '对象存储示例', en: 'Object storage example' },
          level: 'province',
        })
      ).id;

  log('① 开通对象存储 · Provisioning object storage (plan dev)');
  const instance = await client.instances.create({
    name: `attachments-${suffix}`,
    service: 'object-storage',
    plan: 'dev',
    ...(tenantId && { tenantId }),
  });
  await client.instances.waitUntilReady(instance.id, brisk);
  const binding = await client.bindings.create({ instanceId: instance.id, name: 'web' });
  await client.bindings.waitUntilReady(binding.id, brisk);
  const { credentials: c } = await client.bindings.credentials<'object-storage'>(binding.id);
  log(`   bucket ${c.bucket} at ${c.endpoint} (${c.region})`);

  // The binding is all the S3 client needs: endpoint, region, key pair, path-style addressing.
  const s3 = new S3Client({
    endpoint: c.endpoint,
    region: c.region,
    forcePathStyle: c.forcePathStyle,
    credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
  });
  try {
    log('② 上传 · Uploading an object');
    const key = `applications/2026/${suffix}/申请表.txt`;
    const body = new TextEncoder().encode(
      '食品经营许可申请表 · Food business licence application\n申请人：张三\n',
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: c.bucket,
        Key: key,
        Body: body,
        ContentType: 'text/plain; charset=utf-8',
      }),
    );
    log(`   ${key}: ${body.length} bytes, sha256 ${sha256(body).slice(0, 12)}…`);

    log('③ 下载 · Downloading it');
    const got = await s3.send(new GetObjectCommand({ Bucket: c.bucket, Key: key }));
    const downloaded = await got.Body!.transformToByteArray();
    log(
      `   ${downloaded.length} bytes, ${got.ContentType}, sha256 ${sha256(downloaded).slice(0, 12)}…`,
    );

    log('④ 预签名 URL · A presigned GET URL (valid 5 minutes), fetched with plain fetch');
    const presignedUrl = await getSignedUrl(
      s3,
      new GetObjectCommand({ Bucket: c.bucket, Key: key }),
      { expiresIn: 300 },
    );
    const response = await fetch(presignedUrl);
    if (!response.ok)
      throw new Error(`预签名 URL 返回 ${response.status} · answered ${response.status}`);
    const shared = new Uint8Array(await response.arrayBuffer());
    log(
      `   HTTP ${response.status}, ${shared.length} bytes, sha256 ${sha256(shared).slice(0, 12)}…`,
    );

    log('⑤ 列举并删除 · Listing, deleting');
    const list = async () =>
      ((await s3.send(new ListObjectsV2Command({ Bucket: c.bucket }))).Contents ?? []).map(
        (o) => o.Key!,
      );
    const listed = await list();
    log(`   listed: ${listed.join(', ')}`);
    await s3.send(new DeleteObjectCommand({ Bucket: c.bucket, Key: key }));
    const listedAfterDelete = await list();
    log(`   after delete: ${listedAfterDelete.length} objects`);

    return {
      tenantId,
      instanceId: instance.id,
      bindingId: binding.id,
      bucket: c.bucket,
      key,
      sha256: { uploaded: sha256(body), downloaded: sha256(downloaded), presigned: sha256(shared) },
      contentType: got.ContentType,
      presignedUrl,
      listed,
      listedAfterDelete,
    };
  } finally {
    s3.destroy();
  }
}

/** Removes what `objectStorage` made: the instance (its bucket and binding), the tenant. */
export async function cleanUp(client: Zhengwu, result: ObjectStorageResult): Promise<void> {
  await client.instances.delete(result.instanceId, { force: true });
  await client.instances.waitUntilDeleted(result.instanceId, brisk);
  if (result.tenantId) await client.tenants.delete(result.tenantId);
}
