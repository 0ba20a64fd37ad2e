import { invalidArgument, invalidRequest, malformedXml, S3Error } from '../errors';
import { uriEncode } from '../sigv4/canonical';
import type { StoredObject } from '../store/types';
import { children, childText, parseXmlRoot, type XmlElement } from '../xml';
import type { Handling } from './context';

const MAX_KEYS = 1000;
const OWNER = { ID: 'zhengwu', DisplayName: 'zhengwu' };

/** ListBuckets: only the bucket the key may use. */
export async function listBuckets(h: Omit<Handling, 'bucket' | 'key'>): Promise<void> {
  await h.request.smallBody(0);
  const bucket = h.store.bucket(h.accessKey.bucket);
  h.request.sendXml('ListAllMyBucketsResult', {
    Owner: OWNER,
    Buckets: bucket
      ? { Bucket: [{ Name: bucket.name, CreationDate: bucket.record.createdAt }] }
      : '',
  });
}

export async function headBucket(h: Handling): Promise<void> {
  await h.request.smallBody(0);
  h.request.send(200, { 'x-amz-bucket-region': h.limits.region });
}

export async function getBucketLocation(h: Handling): Promise<void> {
  await h.request.smallBody(0);
  h.request.sendXml('LocationConstraint', { '#text': h.limits.region });
}

function maxKeys(text: string | undefined): number {
  if (text === undefined) return MAX_KEYS;
  if (!/^\d{1,9}$/.test(text)) {
    throw invalidArgument(
      'max-keys 应为非负整数 · Provided max-keys not an integer or within integer range',
      'max-keys',
      text,
    );
  }
  return Math.min(Number(text), MAX_KEYS);
}

function contents(
  objects: StoredObject[],
  encode: (s: string) => string,
  owner: boolean,
): XmlElement[] {
  return objects.map((o) => ({
    Key: encode(o.key),
    LastModified: o.lastModified,
    ETag: `"${o.etag}"`,
    Size: o.size,
    StorageClass: 'STANDARD',
    ...(owner && { Owner: OWNER }),
  }));
}

/** encoding-type=url: names percent-encoded (S3 keeps `/` readable). */
function encoder(h: Handling): (s: string) => string {
  const type = h.request.param('encoding-type');
  if (type === undefined) return (s) => s;
  if (type !== 'url')
    throw invalidArgument(
      'encoding-type 只能是 url · Invalid Encoding Method specified in Request',
      'encoding-type',
      type,
    );
  return (s) => uriEncode(s).replace(/%2F/g, '/');
}

/** ListObjectsV2: prefix, delimiter, max-keys, continuation-token, start-after. */
export async function listObjectsV2(h: Handling): Promise<void> {
  const { request } = h;
  await request.smallBody(0);
  const prefix = request.param('prefix') ?? '';
  const delimiter = request.param('delimiter') || undefined;
  const startAfter = request.param('start-after');
  const continuation = request.param('continuation-token');
  let after = startAfter;
  if (continuation !== undefined) {
    after = Buffer.from(continuation, 'base64url').toString('utf8');
    if (continuation === '' || Buffer.from(after, 'utf8').toString('base64url') !== continuation) {
      throw invalidArgument(
        '续传令牌无效 · The continuation token provided is incorrect',
        'continuation-token',
        continuation,
      );
    }
  }
  const limit = maxKeys(request.param('max-keys'));
  const encode = encoder(h);
  const { page, objects } = await h.bucket.list({ prefix, delimiter, after, maxKeys: limit });
  request.sendXml('ListBucketResult', {
    Name: h.bucket.name,
    Prefix: encode(prefix),
    ...(delimiter !== undefined && { Delimiter: encode(delimiter) }),
    MaxKeys: limit,
    KeyCount: page.keys.length + page.commonPrefixes.length,
    IsTruncated: page.truncated,
    ...(continuation !== undefined && { ContinuationToken: continuation }),
    ...(page.truncated &&
      page.last !== undefined && {
        NextContinuationToken: Buffer.from(page.last, 'utf8').toString('base64url'),
      }),
    ...(startAfter !== undefined && { StartAfter: encode(startAfter) }),
    ...(request.param('encoding-type') !== undefined && { EncodingType: 'url' }),
    Contents: contents(objects, encode, request.param('fetch-owner') === 'true'),
    CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
  });
}

/** ListObjects (version 1): marker, and NextMarker when a delimiter is given. */
export async function listObjectsV1(h: Handling): Promise<void> {
  const { request } = h;
  await request.smallBody(0);
  const prefix = request.param('prefix') ?? '';
  const delimiter = request.param('delimiter') || undefined;
  const marker = request.param('marker') || undefined;
  const limit = maxKeys(request.param('max-keys'));
  const encode = encoder(h);
  const { page, objects } = await h.bucket.list({
    prefix,
    delimiter,
    after: marker,
    maxKeys: limit,
  });
  request.sendXml('ListBucketResult', {
    Name: h.bucket.name,
    Prefix: encode(prefix),
    Marker: encode(marker ?? ''),
    ...(delimiter !== undefined && { Delimiter: encode(delimiter) }),
    MaxKeys: limit,
    IsTruncated: page.truncated,
    ...(page.truncated &&
      delimiter !== undefined &&
      page.last !== undefined && { NextMarker: encode(page.last) }),
    ...(request.param('encoding-type') !== undefined && { EncodingType: 'url' }),
    Contents: contents(objects, encode, true),
    CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
  });
}

/** DeleteObjects (POST ?delete): up to 1000 keys, errors reported per key. */
export async function deleteObjects(h: Handling): Promise<void> {
  const { request } = h;
  const integrity =
    request.header('content-md5') !== undefined ||
    Object.keys(request.req.headers).some((n) => n.startsWith('x-amz-checksum-'));
  if (!integrity) {
    throw invalidRequest(
      '缺少 Content-MD5 或 x-amz-checksum-* 头 · Missing required header for this request: Content-MD5 (or an x-amz-checksum-* header)',
    );
  }
  const root = parseXmlRoot(await request.smallBody(h.limits.maxXmlBytes), 'Delete');
  const objects = children(root, 'Object');
  if (objects.length === 0 || objects.length > MAX_KEYS) throw malformedXml();
  const quiet = childText(root, 'Quiet') === 'true';
  const deleted: XmlElement[] = [];
  const errors: XmlElement[] = [];
  for (const object of objects) {
    const key = childText(object, 'Key');
    if (key === undefined || key === '') throw malformedXml();
    const versionId = childText(object, 'VersionId');
    if (versionId !== undefined && versionId !== 'null') {
      errors.push({
        Key: key,
        VersionId: versionId,
        Code: 'NoSuchVersion',
        Message: 'The specified version does not exist.',
      });
      continue;
    }
    try {
      await h.bucket.delete(key);
      if (!quiet) deleted.push({ Key: key });
    } catch (error) {
      const s3 = error instanceof S3Error ? error : undefined;
      errors.push({
        Key: key,
        Code: s3?.code ?? 'InternalError',
        Message: s3?.message ?? 'We encountered an internal error. Please try again.',
      });
    }
  }
  request.sendXml('DeleteResult', { Deleted: deleted, Error: errors });
}
