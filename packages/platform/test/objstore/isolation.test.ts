import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, bindingSpec, ObjectStorageFixture, refusal } from './fixture';
import { errorCode, send, signRequest } from './raw';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  getSignedUrl,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from './sdk';

let fixture: ObjectStorageFixture;
let a: App;
let b: App;

beforeAll(async () => {
  fixture = await ObjectStorageFixture.start();
  a = await fixture.app();
  b = await fixture.app();
  await a.client.send(
    new PutObjectCommand({ Bucket: a.bucket, Key: 'private/record.txt', Body: 'tenant A only' }),
  );
});

afterAll(async () => {
  await fixture.close();
});

const readA = async (Key: string) =>
  await (
    await a.client.send(new GetObjectCommand({ Bucket: a.bucket, Key }))
  ).Body!.transformToString();

/** All files under `dir`, relative to it. */
async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

describe("one tenant's key on another tenant's bucket", () => {
  it('is refused with AccessDenied for every operation, and A is untouched', async () => {
    const A = a.bucket;
    const Key = 'private/record.txt';
    const { UploadId } = await a.client.send(
      new CreateMultipartUploadCommand({ Bucket: A, Key: 'private/mp' }),
    );
    const attempts = {
      PutObject: new PutObjectCommand({ Bucket: A, Key, Body: 'overwritten by B' }),
      GetObject: new GetObjectCommand({ Bucket: A, Key }),
      HeadObject: new HeadObjectCommand({ Bucket: A, Key }),
      DeleteObject: new DeleteObjectCommand({ Bucket: A, Key }),
      DeleteObjects: new DeleteObjectsCommand({ Bucket: A, Delete: { Objects: [{ Key }] } }),
      ListObjectsV2: new ListObjectsV2Command({ Bucket: A }),
      ListObjects: new ListObjectsCommand({ Bucket: A }),
      HeadBucket: new HeadBucketCommand({ Bucket: A }),
      GetBucketLocation: new GetBucketLocationCommand({ Bucket: A }),
      CreateMultipartUpload: new CreateMultipartUploadCommand({ Bucket: A, Key: 'b-upload' }),
      UploadPart: new UploadPartCommand({
        Bucket: A,
        Key: 'private/mp',
        UploadId,
        PartNumber: 1,
        Body: 'x',
      }),
      ListParts: new ListPartsCommand({ Bucket: A, Key: 'private/mp', UploadId }),
      CompleteMultipartUpload: new CompleteMultipartUploadCommand({
        Bucket: A,
        Key: 'private/mp',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"x"' }] },
      }),
      AbortMultipartUpload: new AbortMultipartUploadCommand({
        Bucket: A,
        Key: 'private/mp',
        UploadId,
      }),
      // Copying A's object into B's own bucket reads A: refused as well.
      CopyObject: new CopyObjectCommand({
        Bucket: b.bucket,
        Key: 'stolen',
        CopySource: `${A}/${Key}`,
      }),
    };
    for (const [name, command] of Object.entries(attempts)) {
      // biome-ignore lint/suspicious/noExplicitAny: each command has its own output type
      const outcome = await refusal(b.client.send(command as any));
      expect({
        name,
        status: outcome.status,
        code: ['HeadObject', 'HeadBucket'].includes(name) ? 'AccessDenied' : outcome.code,
      }).toEqual({
        name,
        status: 403,
        code: 'AccessDenied',
      });
    }
    const presigned = await getSignedUrl(b.client, new GetObjectCommand({ Bucket: A, Key }), {
      expiresIn: 60,
    });
    const res = await fetch(presigned);
    expect([res.status, errorCode(await res.text())]).toEqual([403, 'AccessDenied']);

    expect(await readA(Key)).toBe('tenant A only');
    const parts = await a.client.send(
      new ListPartsCommand({ Bucket: A, Key: 'private/mp', UploadId }),
    );
    expect(parts.Parts ?? []).toEqual([]);
    await a.client.send(
      new AbortMultipartUploadCommand({ Bucket: A, Key: 'private/mp', UploadId }),
    );
    expect((await b.client.send(new ListObjectsV2Command({ Bucket: b.bucket }))).KeyCount).toBe(0);
  });

  it('gets the same AccessDenied for a bucket that does not exist (no existence oracle)', async () => {
    const missing = await refusal(
      b.client.send(new GetObjectCommand({ Bucket: 'zw-i-doesnotexist00000000', Key: 'x' })),
    );
    const present = await refusal(
      b.client.send(new GetObjectCommand({ Bucket: a.bucket, Key: 'x' })),
    );
    expect(missing).toEqual(present);
    expect(missing).toMatchObject({ code: 'AccessDenied', status: 403 });
  });

  it("lists only the key's own bucket in ListBuckets", async () => {
    const listed = await b.client.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((x) => x.Name)).toEqual([b.bucket]);
  });
});

describe('authentication', () => {
  it('refuses a wrong secret (SignatureDoesNotMatch) and an unknown key (InvalidAccessKeyId)', async () => {
    const wrongSecret = fixture.client({
      ...a.credentials,
      secretAccessKey: `${String(a.credentials.secretAccessKey).slice(0, -1)}x`,
    });
    expect(
      await refusal(
        wrongSecret.send(new GetObjectCommand({ Bucket: a.bucket, Key: 'private/record.txt' })),
      ),
    ).toMatchObject({
      code: 'SignatureDoesNotMatch',
      status: 403,
    });
    const unknown = fixture.client({ ...a.credentials, accessKeyId: 'AKZW0000000000000000' });
    expect(
      await refusal(unknown.send(new ListObjectsV2Command({ Bucket: a.bucket }))),
    ).toMatchObject({ code: 'InvalidAccessKeyId', status: 403 });
  });

  it('refuses unsigned requests with AccessDenied', async () => {
    const endpoint = String(a.credentials.endpoint);
    for (const [method, path] of [
      ['GET', `/${a.bucket}/private/record.txt`],
      ['GET', `/${a.bucket}`],
      ['GET', '/'],
      ['PUT', `/${a.bucket}/anon`],
    ]) {
      const res = await fetch(`${endpoint}${path}`, {
        method,
        body: method === 'PUT' ? 'anonymous' : undefined,
      });
      expect([method, path, res.status, errorCode(await res.text())]).toEqual([
        method,
        path,
        403,
        'AccessDenied',
      ]);
    }
    expect(await readA('private/record.txt')).toBe('tenant A only');
  });

  it('refuses another region, a skewed clock and Signature Version 2', async () => {
    const otherRegion = fixture.client({ ...a.credentials, region: 'us-east-1' });
    expect(
      await refusal(otherRegion.send(new ListObjectsV2Command({ Bucket: a.bucket }))),
    ).toMatchObject({ code: 'AuthorizationHeaderMalformed', status: 400 });
    const slowClock = fixture.client(a.credentials, { systemClockOffset: -20 * 60 * 1000 });
    expect(
      await refusal(slowClock.send(new ListObjectsV2Command({ Bucket: a.bucket }))),
    ).toMatchObject({ code: 'RequestTimeTooSkewed', status: 403 });
    const fine = fixture.client(a.credentials, { systemClockOffset: -10 * 60 * 1000 });
    expect(
      (await fine.send(new ListObjectsV2Command({ Bucket: a.bucket, Prefix: 'private/' })))
        .KeyCount,
    ).toBe(1);
    const v2 = await fetch(`${a.credentials.endpoint}/${a.bucket}/private/record.txt`, {
      headers: {
        authorization: `AWS ${a.credentials.accessKeyId}:c2lnbmF0dXJl`,
        date: new Date().toUTCString(),
      },
    });
    expect([v2.status, errorCode(await v2.text())]).toEqual([403, 'AccessDenied']);
  });

  it('refuses a body that does not match its signed x-amz-content-sha256, storing nothing', async () => {
    const endpoint = String(a.credentials.endpoint);
    const signedFor = Buffer.from('the body that was signed');
    const sent = Buffer.from('a different body, same..'); // same length
    expect(sent.length).toBe(signedFor.length);
    const path = `/${a.bucket}/hash/mismatch.txt`;
    const { createHash } = await import('node:crypto');
    const headers = await signRequest(a.client, endpoint, {
      method: 'PUT',
      path,
      headers: {
        'x-amz-content-sha256': createHash('sha256').update(signedFor).digest('hex'),
        'content-length': String(signedFor.length),
      },
    });
    const refused = await send(endpoint, { method: 'PUT', path, headers, body: sent });
    expect([refused.status, errorCode(refused.body)]).toEqual([400, 'XAmzContentSHA256Mismatch']);
    expect(
      await refusal(
        a.client.send(new HeadObjectCommand({ Bucket: a.bucket, Key: 'hash/mismatch.txt' })),
      ),
    ).toMatchObject({ status: 404 });
    expect(await files(join(fixture.root, 'tmp'))).toEqual([]);
    // The same signed request with the body it was signed for is stored.
    const accepted = await send(endpoint, { method: 'PUT', path, headers, body: signedFor });
    expect(accepted.status).toBe(200);
    expect(await readA('hash/mismatch.txt')).toBe('the body that was signed');
    await a.client.send(new DeleteObjectCommand({ Bucket: a.bucket, Key: 'hash/mismatch.txt' }));
  });

  it('refuses an x-amz-* header added after signing', async () => {
    const endpoint = String(a.credentials.endpoint);
    const path = `/${a.bucket}/private/record.txt`;
    const headers = await signRequest(a.client, endpoint, {
      method: 'GET',
      path,
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    const ok = await send(endpoint, { method: 'GET', path, headers });
    expect([ok.status, ok.body]).toEqual([200, 'tenant A only']);
    const injected = await send(endpoint, {
      method: 'GET',
      path,
      headers: { ...headers, 'x-amz-meta-injected': '1' },
    });
    expect([injected.status, errorCode(injected.body)]).toEqual([403, 'AccessDenied']);
  });
});

describe('keys that look like paths', () => {
  it('keeps `../` keys inside the bucket, as opaque names', async () => {
    const sneaky = [
      '../../escape.txt',
      `../${b.bucket}/planted.txt`,
      'a/../../../../keys.json',
      '..',
      './.',
      'dir/./x/../y',
    ];
    const before = await files(fixture.dataDir);
    for (const Key of sneaky)
      await a.client.send(
        new PutObjectCommand({ Bucket: a.bucket, Key, Body: `content of ${Key}` }),
      );
    for (const Key of sneaky) expect(await readA(Key)).toBe(`content of ${Key}`);
    const listed = await a.client.send(new ListObjectsV2Command({ Bucket: a.bucket }));
    expect(listed.Contents?.map((o) => o.Key).sort()).toEqual(
      [...sneaky, 'private/record.txt'].sort(),
    );
    // Every new file is an object file of A's bucket; B's bucket and the keys file are untouched.
    const added = (await files(fixture.dataDir)).filter((f) => !before.includes(f));
    const objectsOfA = join('engines', 'object-storage', 'buckets', a.bucket, 'objects');
    expect(added.length).toBe(sneaky.length * 2);
    for (const file of added) expect(file.startsWith(`${objectsOfA}/`)).toBe(true);
    expect((await b.client.send(new ListObjectsV2Command({ Bucket: b.bucket }))).KeyCount).toBe(0);
    for (const Key of sneaky)
      await a.client.send(new DeleteObjectCommand({ Bucket: a.bucket, Key }));
  });
});

describe('read-only keys', () => {
  it('read and list, but cannot write or delete', async () => {
    const reader = await fixture.bind(a.instance, bindingSpec({ readOnly: true }));
    expect(
      await (
        await reader.client.send(
          new GetObjectCommand({ Bucket: a.bucket, Key: 'private/record.txt' }),
        )
      ).Body!.transformToString(),
    ).toBe('tenant A only');
    expect(
      (await reader.client.send(new ListObjectsV2Command({ Bucket: a.bucket, Prefix: 'private/' })))
        .KeyCount,
    ).toBe(1);
    const writes = {
      PutObject: new PutObjectCommand({ Bucket: a.bucket, Key: 'ro/put', Body: 'no' }),
      DeleteObject: new DeleteObjectCommand({ Bucket: a.bucket, Key: 'private/record.txt' }),
      DeleteObjects: new DeleteObjectsCommand({
        Bucket: a.bucket,
        Delete: { Objects: [{ Key: 'private/record.txt' }] },
      }),
      CreateMultipartUpload: new CreateMultipartUploadCommand({ Bucket: a.bucket, Key: 'ro/mp' }),
      CopyObject: new CopyObjectCommand({
        Bucket: a.bucket,
        Key: 'ro/copy',
        CopySource: `${a.bucket}/private/record.txt`,
      }),
    };
    for (const [name, command] of Object.entries(writes)) {
      // biome-ignore lint/suspicious/noExplicitAny: each command has its own output type
      expect({ name, ...(await refusal(reader.client.send(command as any))) }).toMatchObject({
        name,
        code: 'AccessDenied',
        status: 403,
      });
    }
    const presignedPut = await getSignedUrl(
      reader.client,
      new PutObjectCommand({ Bucket: a.bucket, Key: 'ro/presigned' }),
      { expiresIn: 60 },
    );
    expect((await fetch(presignedPut, { method: 'PUT', body: '' })).status).toBe(403);
    expect(await readA('private/record.txt')).toBe('tenant A only');
    expect(
      (await a.client.send(new ListObjectsV2Command({ Bucket: a.bucket, Prefix: 'ro/' }))).KeyCount,
    ).toBe(0);
  });
});
