import type { Algorithm } from '../../secrets/ciphers';
import { invalidArgument, notImplemented, S3Error } from '../errors';
import type { S3Request } from '../request';
import type { ObjectAttributes, StoredObject } from '../store/types';

/** Standard headers an object keeps and returns on GET/HEAD. */
const STORED_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
];
const META = 'x-amz-meta-';
const MAX_METADATA_BYTES = 2048;

/** `x-amz-server-side-encryption` as S3 names what the store did (SSE-S3 style, store keys). */
const SSE_NAMES: Record<Algorithm, string> = { a256gcm: 'AES256', 'sm4ctr-hsm3': 'SM4' };

export function encryptionHeader(encryption: Algorithm | undefined): Record<string, string> {
  return encryption ? { 'x-amz-server-side-encryption': SSE_NAMES[encryption] } : {};
}

/**
 * Every object is encrypted at rest with the store's keys: asking for that (`AES256`, or
 * `SM4`) is fine, asking for KMS or customer-provided keys is refused rather than ignored.
 */
function checkEncryptionRequest(request: S3Request): void {
  if (request.header('x-amz-server-side-encryption-customer-algorithm') !== undefined) {
    throw notImplemented('SSE-C (customer-provided keys)');
  }
  const asked = request.header('x-amz-server-side-encryption');
  if (asked === undefined || asked === 'AES256' || asked === 'SM4') return;
  if (asked.startsWith('aws:kms')) throw notImplemented(`SSE-KMS (${asked})`);
  throw invalidArgument(
    '服务端加密只支持 AES256 或 SM4 · Server-side encryption must be AES256 or SM4',
    'x-amz-server-side-encryption',
    asked,
  );
}

/** Content type, standard headers and `x-amz-meta-*` of a PUT, copy or multipart upload. */
export function attributesFrom(request: S3Request): ObjectAttributes {
  checkEncryptionRequest(request);
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    let value = request.header(name);
    // aws-chunked describes the transfer, not the object.
    if (name === 'content-encoding' && value !== undefined) {
      value = value
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e !== '' && e !== 'aws-chunked')
        .join(', ');
    }
    if (value) headers[name] = value;
  }
  const metadata: Record<string, string> = {};
  const names = [...Object.keys(request.req.headers), ...request.hoisted.keys()];
  for (const name of names) {
    if (name.startsWith(META) && name.length > META.length)
      metadata[name.slice(META.length)] = request.header(name)!;
  }
  const size = Object.entries(metadata).reduce(
    (sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v),
    0,
  );
  if (size > MAX_METADATA_BYTES) {
    throw new S3Error(
      'MetadataTooLarge',
      400,
      '用户元数据超过 2 KB · Your metadata headers exceed the maximum allowed metadata size (2 KB).',
      {
        Size: size,
        MaxSizeAllowed: MAX_METADATA_BYTES,
      },
    );
  }
  return {
    contentType: request.header('content-type') ?? 'binary/octet-stream',
    headers,
    metadata,
  };
}

/** Response headers describing a stored object (GET, HEAD). */
export function objectHeaders(stored: StoredObject): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    etag: `"${stored.etag}"`,
    'last-modified': new Date(stored.lastModified).toUTCString(),
    'content-type': stored.contentType,
    'accept-ranges': 'bytes',
    ...stored.headers,
  };
  for (const [name, value] of Object.entries(stored.metadata)) headers[`${META}${name}`] = value;
  if (stored.parts !== undefined) headers['x-amz-mp-parts-count'] = stored.parts;
  return { ...headers, ...encryptionHeader(stored.encryption) };
}
