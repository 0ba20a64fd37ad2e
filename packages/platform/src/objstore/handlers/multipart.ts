import { invalidArgument, malformedXml, notImplemented } from '../errors';
import { uriEncode } from '../sigv4/canonical';
import { type CompletedPart, parsePartNumber } from '../store/uploads';
import { children, childText, parseXmlRoot } from '../xml';
import { attributesFrom, encryptionHeader } from './attributes';
import type { Handling } from './context';
import { checksumEcho } from './objects';

/** CreateMultipartUpload (POST ?uploads). */
export async function createUpload(h: Handling): Promise<void> {
  await h.request.smallBody(0);
  const record = await h.bucket.uploads.create(h.key, attributesFrom(h.request));
  h.request.sendXml('InitiateMultipartUploadResult', {
    Bucket: h.bucket.name,
    Key: h.key,
    UploadId: record.uploadId,
  });
}

/** UploadPart (PUT ?partNumber&uploadId): like a PUT, into the upload. */
export async function uploadPart(h: Handling): Promise<void> {
  const { request } = h;
  if (request.header('x-amz-copy-source') !== undefined) throw notImplemented('UploadPartCopy');
  const partNumber = parsePartNumber(request.param('partNumber'));
  const plan = request.plan(h.limits.maxObjectBytes);
  let checksums = {};
  const part = await h.bucket.uploads.putPart(
    request.param('uploadId') ?? '',
    h.key,
    partNumber,
    plan.length,
    async (sink) => {
      const digest = await request.receive(plan, sink);
      checksums = digest.checksums;
      return { size: digest.size, etag: digest.md5Hex, checksums };
    },
  );
  const { 'x-amz-checksum-type': _type, ...echo } = checksumEcho(plan, { checksums });
  request.send(200, { etag: `"${part.etag}"`, ...echo });
}

/** CompleteMultipartUpload (POST ?uploadId). */
export async function completeUpload(h: Handling): Promise<void> {
  const { request } = h;
  const root = parseXmlRoot(
    await request.smallBody(h.limits.maxXmlBytes),
    'CompleteMultipartUpload',
  );
  const parts: CompletedPart[] = children(root, 'Part').map((part) => {
    const number = childText(part, 'PartNumber');
    const etag = childText(part, 'ETag');
    if (number === undefined || etag === undefined) throw malformedXml();
    return { partNumber: parsePartNumber(number), etag };
  });
  const stored = await h.bucket.uploads.complete(
    request.param('uploadId') ?? '',
    h.key,
    parts,
    h.limits.minPartBytes,
  );
  const host = request.header('host') ?? '';
  request.sendXml(
    'CompleteMultipartUploadResult',
    {
      Location: `http://${host}/${h.bucket.name}/${uriEncode(h.key).replace(/%2F/g, '/')}`,
      Bucket: h.bucket.name,
      Key: h.key,
      ETag: `"${stored.etag}"`,
    },
    200,
    encryptionHeader(stored.encryption),
  );
}

/** AbortMultipartUpload (DELETE ?uploadId). */
export async function abortUpload(h: Handling): Promise<void> {
  await h.request.smallBody(0);
  await h.bucket.uploads.abort(h.request.param('uploadId') ?? '', h.key);
  h.request.send(204);
}

/** ListParts (GET ?uploadId): part-number-marker and max-parts paging. */
export async function listParts(h: Handling): Promise<void> {
  const { request } = h;
  await request.smallBody(0);
  const markerText = request.param('part-number-marker') ?? '0';
  const maxText = request.param('max-parts') ?? '1000';
  if (!/^\d{1,5}$/.test(markerText))
    throw invalidArgument(
      'part-number-marker 无效 · Invalid part-number-marker',
      'part-number-marker',
      markerText,
    );
  if (!/^\d{1,5}$/.test(maxText))
    throw invalidArgument('max-parts 无效 · Invalid max-parts', 'max-parts', maxText);
  const marker = Number(markerText);
  const max = Math.min(Number(maxText), 1000);
  const { record, parts } = await h.bucket.uploads.parts(request.param('uploadId') ?? '', h.key);
  const after = parts.filter((p) => p.partNumber > marker);
  const page = after.slice(0, max);
  const truncated = after.length > page.length;
  request.sendXml('ListPartsResult', {
    Bucket: h.bucket.name,
    Key: h.key,
    UploadId: record.uploadId,
    PartNumberMarker: marker,
    ...(truncated && { NextPartNumberMarker: page[page.length - 1]?.partNumber ?? marker }),
    MaxParts: max,
    IsTruncated: truncated,
    Part: page.map((p) => ({
      PartNumber: p.partNumber,
      LastModified: p.lastModified,
      ETag: `"${p.etag}"`,
      Size: p.size,
    })),
    StorageClass: 'STANDARD',
  });
}
