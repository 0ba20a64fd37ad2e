import { type FileHandle, open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type BodyPlan, receiveBody } from '../body';
import { accessDenied, invalidRequest, noSuchKey, notImplemented, S3Error } from '../errors';
import type { Bucket } from '../store/bucket';
import type { StoredObject } from '../store/types';
import { attributesFrom, encryptionHeader, objectHeaders } from './attributes';
import type { Handling } from './context';

const preconditionFailed = () =>
  new S3Error(
    'PreconditionFailed',
    412,
    '前置条件不成立 · At least one of the pre-conditions you specified did not hold',
  );

/** PutObject: stream, verify, then commit; the response carries the ETag (hex MD5). */
export async function putObject(h: Handling): Promise<void> {
  const { request } = h;
  if (request.header('if-match') !== undefined || request.header('if-none-match') !== undefined) {
    throw notImplemented('conditional writes (If-Match / If-None-Match on PUT)');
  }
  const plan = request.plan(h.limits.maxObjectBytes);
  const attributes = attributesFrom(request);
  const stored = await h.bucket.put(
    h.key,
    { length: plan.length, reserve: true },
    async (sink) => {
      const digest = await request.receive(plan, sink);
      return { size: digest.size, etag: digest.md5Hex, checksums: digest.checksums };
    },
    attributes,
  );
  request.send(200, {
    etag: `"${stored.etag}"`,
    ...checksumEcho(plan, stored),
    ...encryptionHeader(stored.encryption),
  });
}

/** The checksum the client sent, as S3 echoes it. */
export function checksumEcho(
  plan: BodyPlan,
  stored: Pick<StoredObject, 'checksums'>,
): Record<string, string> {
  const algorithm = plan.checksum?.algorithm;
  const value = algorithm && stored.checksums[algorithm];
  return algorithm && value
    ? { [`x-amz-checksum-${algorithm}`]: value, 'x-amz-checksum-type': 'FULL_OBJECT' }
    : {};
}

type Range = { start: number; end: number };

/** A single `bytes=` range; undefined to ignore the header (absent, invalid or several). */
function parseRange(header: string | undefined, size: number): Range | 'unsatisfiable' | undefined {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1) };
}

const etagMatches = (condition: string, etag: string): boolean =>
  condition
    .split(',')
    .map((e) => e.trim().replace(/^W\//, '').replace(/^"|"$/g, ''))
    .some((e) => e === '*' || e === etag);

/** RFC 9110 evaluation order, as S3 applies it to GET and HEAD. */
function precondition(h: Handling, stored: StoredObject): 304 | undefined {
  const header = h.request.header;
  const modified = Math.floor(Date.parse(stored.lastModified) / 1000) * 1000;
  const ifMatch = header('if-match');
  if (ifMatch !== undefined && !etagMatches(ifMatch, stored.etag)) throw preconditionFailed();
  const ifUnmodified = header('if-unmodified-since');
  if (ifMatch === undefined && ifUnmodified !== undefined && modified > Date.parse(ifUnmodified)) {
    throw preconditionFailed();
  }
  const ifNoneMatch = header('if-none-match');
  if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch, stored.etag) ? 304 : undefined;
  const ifModified = header('if-modified-since');
  if (ifModified !== undefined && modified <= Date.parse(ifModified)) return 304;
  return undefined;
}

/** Bytes read from disk at a time for a GET (Node's 64 KiB default costs a thread-pool hop each). */

/** GET overrides of response headers (`response-content-type`, …). */
const OVERRIDES = [
  'content-type',
  'content-language',
  'expires',
  'cache-control',
  'content-disposition',
  'content-encoding',
];

/** Opens the object's data; a concurrent overwrite may remove the file just looked up. */
async function openObject(
  bucket: Bucket,
  key: string,
): Promise<{ stored: StoredObject; file: FileHandle }> {
  for (let attempt = 0; ; attempt++) {
    const stored = await bucket.get(key);
    if (!stored) throw noSuchKey(key);
    try {
      return { stored, file: await open(bucket.dataPath(stored), 'r') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 2) throw error;
    }
  }
}

/** GetObject and HeadObject: conditional requests, one byte range, streamed from disk. */
export async function getObject(h: Handling): Promise<void> {
  const { request } = h;
  await request.smallBody(0);
  if (request.has('partNumber')) throw notImplemented('GetObject by part number');
  const versionId = request.param('versionId');
  if (versionId !== undefined && versionId !== 'null') {
    throw new S3Error(
      'NoSuchVersion',
      404,
      '版本不存在（未启用版本控制）· The specified version does not exist (versioning is not enabled).',
      { Key: h.key, VersionId: versionId },
    );
  }
  const { stored, file } = await openObject(h.bucket, h.key);
  let streaming = false;
  try {
    const headers = objectHeaders(stored);
    const unchanged = precondition(h, stored);
    if (unchanged) {
      request.send(304, { etag: headers.etag!, 'last-modified': headers['last-modified']! });
      return;
    }
    const range = parseRange(request.header('range'), stored.size);
    if (range === 'unsatisfiable') {
      throw new S3Error(
        'InvalidRange',
        416,
        '请求的范围无法满足 · The requested range is not satisfiable',
        {
          RangeRequested: request.header('range') ?? '',
          ActualObjectSize: stored.size,
        },
      );
    }
    if (request.method === 'GET') {
      for (const name of OVERRIDES) {
        const value = request.param(`response-${name}`);
        if (value !== undefined) headers[name] = value;
      }
    }
    if (!range && /^enabled$/i.test(request.header('x-amz-checksum-mode') ?? '')) {
      for (const [algorithm, value] of Object.entries(stored.checksums))
        headers[`x-amz-checksum-${algorithm}`] = value;
      if (Object.keys(stored.checksums).length > 0) headers['x-amz-checksum-type'] = 'FULL_OBJECT';
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? stored.size - 1;
    headers['content-length'] = end - start + 1;
    if (range) headers['content-range'] = `bytes ${start}-${end}/${stored.size}`;
    const status = range ? 206 : 200;
    if (request.method === 'HEAD' || stored.size === 0) {
      request.send(status, headers);
      return;
    }
    request.res.writeHead(status, {
      'x-amz-request-id': request.id,
      'x-amz-id-2': request.id,
      server: 'ZhengwuObjectStorage',
      ...headers,
    });
    // The stream closes the file when it ends or fails.
    streaming = true;
    await pipeline(h.bucket.readRange(stored, file, start, end), request.res);
  } finally {
    if (!streaming) await file.close();
  }
}

/** DeleteObject: succeeds whether or not the key existed. */
export async function deleteObject(h: Handling): Promise<void> {
  await h.request.smallBody(0);
  await h.bucket.delete(h.key);
  h.request.send(204);
}

/** `/bucket/key` (URL-encoded, leading slash optional) of x-amz-copy-source. */
function copySource(header: string): { bucket: string; key: string } {
  const [path = ''] = header.split('?');
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  const slash = trimmed.indexOf('/');
  try {
    const bucket = decodeURIComponent(trimmed.slice(0, slash));
    const key = decodeURIComponent(trimmed.slice(slash + 1));
    if (slash <= 0 || key === '') throw new Error('empty');
    return { bucket, key };
  } catch {
    throw invalidRequest(
      'x-amz-copy-source 格式应为 /<bucket>/<key> · x-amz-copy-source must be /<bucket>/<key>',
    );
  }
}

/** CopyObject within the key's own bucket (metadata copied, or replaced with REPLACE). */
export async function copyObject(h: Handling): Promise<void> {
  const { request } = h;
  const header = request.header('x-amz-copy-source')!;
  if (Object.keys(request.req.headers).some((n) => n.startsWith('x-amz-copy-source-'))) {
    throw notImplemented('conditional or ranged copies (x-amz-copy-source-*)');
  }
  const source = copySource(header);
  if (source.bucket !== h.bucket.name) throw accessDenied();
  await request.smallBody(0);
  const directive = (request.header('x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw invalidRequest(
      'x-amz-metadata-directive 只能是 COPY 或 REPLACE · x-amz-metadata-directive must be COPY or REPLACE',
    );
  }
  if (source.key === h.key && directive === 'COPY') {
    throw invalidRequest(
      "不能在不修改元数据的情况下复制到自身 · This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata.",
    );
  }
  // The source's record and data file as one (a concurrent overwrite cannot mix them).
  const { stored: original, file } = await openObject(h.bucket, source.key);
  let reading = false;
  try {
    if (original.size > h.limits.maxObjectBytes)
      throw notImplemented('copies larger than the single-PUT limit');
    const attributes =
      directive === 'REPLACE'
        ? attributesFrom(request)
        : {
            contentType: original.contentType,
            headers: original.headers,
            metadata: original.metadata,
          };
    const stored = await h.bucket.put(
      h.key,
      { length: original.size, reserve: true },
      async (sink) => {
        const plan: BodyPlan = {
          payload: { kind: 'unsigned' },
          length: original.size,
          chunked: false,
          contentMd5: undefined,
          checksum: undefined,
        };
        reading = original.size > 0;
        const content = reading
          ? h.bucket.readRange(original, file, 0, original.size - 1)
          : Readable.from([]);
        const digest = await receiveBody(content, plan, sink);
        return { size: digest.size, etag: digest.md5Hex, checksums: digest.checksums };
      },
      attributes,
    );
    request.sendXml(
      'CopyObjectResult',
      { LastModified: stored.lastModified, ETag: `"${stored.etag}"` },
      200,
      encryptionHeader(stored.encryption),
    );
  } finally {
    // The read stream closes the file once it ran; otherwise it is closed here.
    if (!reading) await file.close();
  }
}
