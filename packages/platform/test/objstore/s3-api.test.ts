import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, ObjectStorageFixture, refusal } from './fixture';
import { errorCode, send, signRequest, signString } from './raw';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  getSignedUrl,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  type S3ClientType as S3Client,
  UploadPartCommand,
} from './sdk';

const MIB = 1024 * 1024;
const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex');
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

let fixture: ObjectStorageFixture;
let app: App;
let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  fixture = await ObjectStorageFixture.start();
  app = await fixture.app();
  s3 = app.client;
  bucket = app.bucket;
});

afterAll(async () => {
  await fixture.close();
});

const put = (
  Key: string,
  Body: string | Buffer,
  extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {},
) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ...extra }));

async function read(Key: string, Range?: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key, Range }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

async function exists(Key: string): Promise<boolean> {
  const outcome = await refusal(s3.send(new HeadObjectCommand({ Bucket: bucket, Key }))).catch(
    () => undefined,
  );
  if (outcome === undefined) return true;
  expect(outcome.status).toBe(404);
  return false;
}

/** Every key of the bucket under `prefix`, following continuation tokens. */
async function allKeys(prefix: string, pageSize: number, Delimiter?: string): Promise<string[]> {
  const seen: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        MaxKeys: pageSize,
        ContinuationToken,
        Delimiter,
      }),
    );
    expect(page.KeyCount).toBeLessThanOrEqual(pageSize);
    seen.push(
      ...(page.Contents ?? []).map((o) => o.Key!),
      ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!),
    );
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return seen;
}

describe('objects', () => {
  it('puts, gets and heads an object with its content type, metadata and MD5 ETag', async () => {
    const body = 'approval form 审批表 #1';
    const put1 = await put('forms/1.txt', body, {
      ContentType: 'text/plain; charset=utf-8',
      Metadata: { department: 'tax', 'case-no': '42' },
    });
    expect(put1.ETag).toBe(`"${md5(body)}"`);
    const got = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'forms/1.txt', ChecksumMode: 'ENABLED' }),
    );
    expect(await got.Body!.transformToString()).toBe(body);
    expect(got.ContentType).toBe('text/plain; charset=utf-8');
    expect(got.Metadata).toEqual({ department: 'tax', 'case-no': '42' });
    expect(got.ETag).toBe(`"${md5(body)}"`);
    // The SDK checked the CRC32 the store returned against the bytes it read.
    expect(got.ChecksumCRC32).toBe(put1.ChecksumCRC32);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'forms/1.txt' }));
    expect(head.ContentLength).toBe(Buffer.byteLength(body));
    expect(head.ETag).toBe(`"${md5(body)}"`);
    expect(head.Metadata).toEqual({ department: 'tax', 'case-no': '42' });
  });

  it('overwrites an object and serves empty objects', async () => {
    await put('over', 'first version');
    await put('over', 'second');
    expect((await read('over')).toString()).toBe('second');
    await put('empty', Buffer.alloc(0));
    expect((await read('empty')).length).toBe(0);
    expect(
      (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'empty' }))).ContentLength,
    ).toBe(0);
  });

  it('streams a body the SDK sends aws-chunked with a CRC32 trailer', async () => {
    const parts = [randomBytes(100_000), randomBytes(70_000), randomBytes(3)];
    const total = Buffer.concat(parts);
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'streamed',
        Body: Readable.from(parts),
        ContentLength: total.length,
      }),
    );
    expect(sha256(await read('streamed'))).toBe(sha256(total));
  });

  it('serves byte ranges with 206 and refuses unsatisfiable ones with 416', async () => {
    const body = Buffer.from('0123456789abcdefghij');
    await put('ranged', body);
    const middle = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'ranged', Range: 'bytes=10-14' }),
    );
    expect(middle.$metadata.httpStatusCode).toBe(206);
    expect(middle.ContentRange).toBe('bytes 10-14/20');
    expect(await middle.Body!.transformToString()).toBe('abcde');
    expect((await read('ranged', 'bytes=-3')).toString()).toBe('hij');
    expect((await read('ranged', 'bytes=15-')).toString()).toBe('fghij');
    expect((await read('ranged', 'bytes=18-99')).toString()).toBe('ij');
    const beyond = await refusal(
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'ranged', Range: 'bytes=20-30' })),
    );
    expect(beyond).toMatchObject({ code: 'InvalidRange', status: 416 });
  });

  it('answers conditional GETs (If-None-Match → 304, If-Match mismatch → 412)', async () => {
    const { ETag } = await put('conditional', 'v1');
    const unchanged = await refusal(
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'conditional', IfNoneMatch: ETag })),
    );
    expect(unchanged.status).toBe(304);
    const mismatch = await refusal(
      s3.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: 'conditional',
          IfMatch: '"00000000000000000000000000000000"',
        }),
      ),
    );
    expect(mismatch).toMatchObject({ code: 'PreconditionFailed', status: 412 });
    expect(
      (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'conditional', IfMatch: ETag })))
        .ETag,
    ).toBe(ETag);
  });

  it('deletes one object, and many with DeleteObjects', async () => {
    await put('gone/one', '1');
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'gone/one' }));
    expect(
      await refusal(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'gone/one' }))),
    ).toMatchObject({ code: 'NoSuchKey', status: 404 });
    expect(await exists('gone/one')).toBe(false);
    // Deleting what is not there succeeds, as in S3.
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'gone/one' }));

    for (const key of ['batch/a', 'batch/b', 'batch/c']) await put(key, key);
    const result = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: 'batch/a' }, { Key: 'batch/c' }, { Key: 'batch/never' }] },
      }),
    );
    expect((result.Deleted ?? []).map((d) => d.Key).sort()).toEqual([
      'batch/a',
      'batch/c',
      'batch/never',
    ]);
    expect(result.Errors ?? []).toEqual([]);
    expect(await allKeys('batch/', 100)).toEqual(['batch/b']);
  });

  it('refuses a body that does not match Content-MD5 or the CRC32 sent, storing nothing', async () => {
    const wrongMd5 = await refusal(
      put('md5-check', 'payload', {
        ContentMD5: createHash('md5').update('other').digest('base64'),
      }),
    );
    expect(wrongMd5).toMatchObject({ code: 'BadDigest', status: 400 });
    const wrongCrc = await refusal(put('crc-check', 'payload', { ChecksumCRC32: 'AAAAAA==' }));
    expect(wrongCrc).toMatchObject({ code: 'BadDigest', status: 400 });
    expect(await exists('md5-check')).toBe(false);
    expect(await exists('crc-check')).toBe(false);
    await put('md5-check', 'payload', {
      ContentMD5: createHash('md5').update('payload').digest('base64'),
    });
    expect(await exists('md5-check')).toBe(true);
  });

  it('copies an object, keeping or replacing its metadata', async () => {
    await put('copy/source', 'original', { ContentType: 'text/plain', Metadata: { owner: 'tax' } });
    const copied = await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'copy/kept',
        CopySource: `${bucket}/copy/source`,
      }),
    );
    expect(copied.CopyObjectResult?.ETag).toBe(`"${md5('original')}"`);
    const kept = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'copy/kept' }));
    expect([kept.ContentType, kept.Metadata]).toEqual(['text/plain', { owner: 'tax' }]);
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'copy/replaced',
        CopySource: `${bucket}/copy/source`,
        MetadataDirective: 'REPLACE',
        Metadata: { owner: 'health' },
      }),
    );
    expect(
      (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'copy/replaced' }))).Metadata,
    ).toEqual({ owner: 'health' });
    expect((await read('copy/replaced')).toString()).toBe('original');
  });
});

describe('listing (ListObjectsV2 and V1)', () => {
  const keys = [
    'list/a.txt',
    'list/b.txt',
    'list/docs/1.pdf',
    'list/docs/2.pdf',
    'list/docs/deep/3.pdf',
    'list/img/x.png',
    'list/z.txt',
  ];

  beforeAll(async () => {
    for (const key of keys) await put(key, key);
  });

  it('lists by prefix in key order', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/docs/' }));
    expect(out.Contents?.map((o) => o.Key)).toEqual([
      'list/docs/1.pdf',
      'list/docs/2.pdf',
      'list/docs/deep/3.pdf',
    ]);
    expect(out.Contents?.[0]).toMatchObject({
      Size: 15,
      ETag: `"${md5('list/docs/1.pdf')}"`,
      StorageClass: 'STANDARD',
    });
    expect(out.KeyCount).toBe(3);
    expect(out.IsTruncated).toBe(false);
  });

  it('rolls keys up into CommonPrefixes with a delimiter', async () => {
    const out = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/', Delimiter: '/' }),
    );
    expect(out.Contents?.map((o) => o.Key)).toEqual(['list/a.txt', 'list/b.txt', 'list/z.txt']);
    expect(out.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['list/docs/', 'list/img/']);
    expect(out.KeyCount).toBe(5);
  });

  it('pages with max-keys and continuation tokens, with and without a delimiter', async () => {
    expect(await allKeys('list/', 2)).toEqual(keys);
    expect(await allKeys('list/', 1, '/')).toEqual([
      'list/a.txt',
      'list/b.txt',
      'list/docs/',
      'list/img/',
      'list/z.txt',
    ]);
    const first = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/', MaxKeys: 3 }),
    );
    expect(first.IsTruncated).toBe(true);
    expect(first.KeyCount).toBe(3);
  });

  it('starts after a key (start-after)', async () => {
    const out = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/', StartAfter: 'list/docs/2.pdf' }),
    );
    expect(out.Contents?.map((o) => o.Key)).toEqual([
      'list/docs/deep/3.pdf',
      'list/img/x.png',
      'list/z.txt',
    ]);
  });

  it('percent-encodes names with encoding-type=url', async () => {
    await put('enc/a b&c.txt', 'x');
    const out = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'enc/', EncodingType: 'url' }),
    );
    expect(out.Contents?.map((o) => o.Key)).toEqual(['enc/a%20b%26c.txt']);
    expect(out.EncodingType).toBe('url');
  });

  it('serves ListObjects version 1 with markers', async () => {
    const out = await s3.send(
      new ListObjectsCommand({ Bucket: bucket, Prefix: 'list/', Delimiter: '/', MaxKeys: 3 }),
    );
    expect(out.Contents?.map((o) => o.Key)).toEqual(['list/a.txt', 'list/b.txt']);
    expect(out.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['list/docs/']);
    expect(out.NextMarker).toBe('list/docs/');
    const next = await s3.send(
      new ListObjectsCommand({
        Bucket: bucket,
        Prefix: 'list/',
        Delimiter: '/',
        Marker: out.NextMarker,
      }),
    );
    expect([
      ...(next.CommonPrefixes ?? []).map((p) => p.Prefix),
      ...(next.Contents ?? []).map((o) => o.Key),
    ]).toEqual(['list/img/', 'list/z.txt']);
  });
});

describe('multipart upload', () => {
  it('uploads > 5 MiB in 3 parts, lists them, and completes with the MD5-of-MD5s ETag', async () => {
    const parts = [randomBytes(5 * MIB), randomBytes(5 * MIB), randomBytes(MIB + 123)];
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: 'big/archive.bin',
        ContentType: 'application/zip',
        Metadata: { batch: '7' },
      }),
    );
    const etags: string[] = [];
    for (const [i, Body] of parts.entries()) {
      const out = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: 'big/archive.bin',
          UploadId,
          PartNumber: i + 1,
          Body,
        }),
      );
      expect(out.ETag).toBe(`"${md5(Body)}"`);
      etags.push(out.ETag!);
    }
    const listed = await s3.send(
      new ListPartsCommand({ Bucket: bucket, Key: 'big/archive.bin', UploadId }),
    );
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual(
      parts.map((p, i) => [i + 1, p.length, etags[i]]),
    );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'big/archive.bin',
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    const expected = `${createHash('md5')
      .update(Buffer.concat(parts.map((p) => createHash('md5').update(p).digest())))
      .digest('hex')}-3`;
    expect(done.ETag).toBe(`"${expected}"`);
    const whole = Buffer.concat(parts);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'big/archive.bin' }));
    expect(got.ContentLength).toBe(whole.length);
    expect([got.ContentType, got.Metadata]).toEqual(['application/zip', { batch: '7' }]);
    expect(sha256(Buffer.from(await got.Body!.transformToByteArray()))).toBe(sha256(whole));
    // The upload is gone once completed.
    expect(
      await refusal(
        s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'big/archive.bin', UploadId })),
      ),
    ).toMatchObject({ code: 'NoSuchUpload', status: 404 });
  });

  it('refuses a wrong part ETag, a small middle part and a wrong order; aborts', async () => {
    const Key = 'big/refused.bin';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }));
    const one = await s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key,
        UploadId,
        PartNumber: 1,
        Body: randomBytes(1000),
      }),
    );
    const two = await s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key,
        UploadId,
        PartNumber: 2,
        Body: randomBytes(1000),
      }),
    );
    const complete = (Parts: { ETag: string; PartNumber: number }[]) =>
      refusal(
        s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key,
            UploadId,
            MultipartUpload: { Parts },
          }),
        ),
      );
    expect(
      await complete([{ ETag: '"0123456789abcdef0123456789abcdef"', PartNumber: 1 }]),
    ).toMatchObject({ code: 'InvalidPart', status: 400 });
    expect(
      await complete([
        { ETag: one.ETag!, PartNumber: 1 },
        { ETag: two.ETag!, PartNumber: 2 },
      ]),
    ).toMatchObject({ code: 'EntityTooSmall' });
    expect(
      await complete([
        { ETag: two.ETag!, PartNumber: 2 },
        { ETag: one.ETag!, PartNumber: 1 },
      ]),
    ).toMatchObject({ code: 'InvalidPartOrder' });
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId }));
    expect(
      await refusal(
        s3.send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: 3, Body: 'x' })),
      ),
    ).toMatchObject({ code: 'NoSuchUpload' });
    expect(await exists(Key)).toBe(false);
  });
});

describe('presigned URLs', () => {
  it('serves a presigned GET to plain fetch', async () => {
    await put('shared/report.txt', 'quarterly report');
    const url = await getSignedUrl(
      s3,
      new GetObjectCommand({ Bucket: bucket, Key: 'shared/report.txt' }),
      { expiresIn: 300 },
    );
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('quarterly report');
  });

  it('stores a presigned PUT from plain fetch, with its signed metadata', async () => {
    // A presigning client without default checksums: otherwise the SDK signs the CRC32 of an
    // empty body into the URL (see the next test).
    const presigner = fixture.client(app.credentials, {
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const url = await getSignedUrl(
      presigner,
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'shared/upload.bin',
        Metadata: { via: 'browser' },
      }),
      { expiresIn: 300 },
    );
    const body = randomBytes(50_000);
    const res = await fetch(url, { method: 'PUT', body });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${md5(body)}"`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'shared/upload.bin' }));
    expect([head.ContentLength, head.Metadata]).toEqual([body.length, { via: 'browser' }]);
  });

  it('checks a checksum signed into a presigned PUT (the SDK default signs CRC32 of nothing)', async () => {
    const url = await getSignedUrl(
      s3,
      new PutObjectCommand({ Bucket: bucket, Key: 'shared/crc.bin' }),
      { expiresIn: 300 },
    );
    expect(new URL(url).searchParams.get('x-amz-checksum-crc32')).toBe('AAAAAA==');
    const res = await fetch(url, { method: 'PUT', body: 'not empty' });
    expect([res.status, errorCode(await res.text())]).toEqual([400, 'BadDigest']);
    expect(await exists('shared/crc.bin')).toBe(false);
  });

  it('refuses an expired presigned URL and a tampered one', async () => {
    await put('shared/secret.txt', 'classified');
    const expired = await getSignedUrl(
      s3,
      new GetObjectCommand({ Bucket: bucket, Key: 'shared/secret.txt' }),
      {
        expiresIn: 60,
        signingDate: new Date(Date.now() - 10 * 60 * 1000),
      },
    );
    const late = await fetch(expired);
    const lateBody = await late.text();
    expect([late.status, errorCode(lateBody)]).toEqual([403, 'AccessDenied']);
    expect(lateBody).toContain('expired');

    const url = await getSignedUrl(
      s3,
      new GetObjectCommand({ Bucket: bucket, Key: 'shared/secret.txt' }),
      { expiresIn: 300 },
    );
    const otherKey = await fetch(url.replace('shared/secret.txt', 'shared/report.txt'));
    expect([otherKey.status, errorCode(await otherKey.text())]).toEqual([
      403,
      'SignatureDoesNotMatch',
    ]);
    const signature = new URL(url).searchParams.get('X-Amz-Signature')!;
    const flipped = signature.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    const forged = await fetch(url.replace(signature, flipped));
    expect([forged.status, errorCode(await forged.text())]).toEqual([403, 'SignatureDoesNotMatch']);
    const longer = new URL(url);
    longer.searchParams.set('X-Amz-Expires', '604800');
    const extended = await fetch(longer);
    expect([extended.status, errorCode(await extended.text())]).toEqual([
      403,
      'SignatureDoesNotMatch',
    ]);
  });
});

describe('signed payloads', () => {
  it('accepts STREAMING-AWS4-HMAC-SHA256-PAYLOAD chunks signed in chain, refuses a tampered chunk', async () => {
    const endpoint = String(app.credentials.endpoint);
    const data = [randomBytes(64 * 1024), randomBytes(10_000)];
    const date = new Date();

    async function upload(key: string, tamper: boolean) {
      const overhead = (size: number) =>
        size.toString(16).length + ';chunk-signature='.length + 64 + 4;
      const length = data.reduce((n, d) => n + overhead(d.length) + d.length, 0) + overhead(0);
      const headers = await signRequest(
        s3,
        endpoint,
        {
          method: 'PUT',
          path: `/${bucket}/${key}`,
          headers: {
            'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
            'content-encoding': 'aws-chunked',
            'x-amz-decoded-content-length': String(data[0]!.length + data[1]!.length),
            'content-length': String(length),
          },
        },
        date,
      );
      const timestamp = headers['x-amz-date']!;
      const scope = `${timestamp.slice(0, 8)}/${app.credentials.region}/s3/aws4_request`;
      let previous = /Signature=([0-9a-f]{64})/.exec(headers.authorization!)![1]!;
      const pieces: Buffer[] = [];
      for (const chunk of [...data, Buffer.alloc(0)]) {
        const toSign = [
          'AWS4-HMAC-SHA256-PAYLOAD',
          timestamp,
          scope,
          previous,
          sha256(''),
          sha256(chunk),
        ].join('\n');
        previous = await signString(s3, toSign, date);
        const sent =
          tamper && chunk.length > 0 && pieces.length === 0
            ? Buffer.from(chunk).fill(0, 0, 1)
            : chunk;
        pieces.push(
          Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`),
          sent,
          Buffer.from('\r\n'),
        );
      }
      return send(endpoint, {
        method: 'PUT',
        path: `/${bucket}/${key}`,
        headers,
        body: Buffer.concat(pieces),
      });
    }

    const ok = await upload('chunked/signed.bin', false);
    expect(ok.status).toBe(200);
    expect(sha256(await read('chunked/signed.bin'))).toBe(sha256(Buffer.concat(data)));
    // First byte of the first chunk changed (unless it was already 0): its signature no longer holds.
    data[0]![0] = 7;
    const bad = await upload('chunked/tampered.bin', true);
    expect([bad.status, errorCode(bad.body)]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(await exists('chunked/tampered.bin')).toBe(false);
  });
});
