import { existsSync } from 'node:fs';
import Module, { createRequire } from 'node:module';

/**
 * The AWS SDK v3 for these tests, loaded as Node apps load it: its CommonJS build. The
 * workspace's vitest config hands Node `--conditions module`, which makes Node pick the
 * SDK's `dist-es` builds — made for bundlers (extensionless imports, JSON without import
 * attributes) and unloadable by Node. While these tests run, a resolution that lands in a
 * package's `dist-es/` under node_modules is sent to its `dist-cjs/` twin instead.
 */
type Resolve = (request: string, parent: unknown, isMain: boolean, options: unknown) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolveFilename = loader._resolveFilename;
if (!(resolveFilename as { zwDistCjs?: boolean }).zwDistCjs) {
  const patched: Resolve = function (this: unknown, request, parent, isMain, options) {
    const file = resolveFilename.call(this, request, parent, isMain, options);
    if (!file.includes('/node_modules/') || !file.includes('/dist-es/')) return file;
    const cjs = file.replace('/dist-es/', '/dist-cjs/');
    return existsSync(cjs) ? cjs : file;
  };
  loader._resolveFilename = Object.assign(patched, { zwDistCjs: true });
}

const require = createRequire(import.meta.url);

export const {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');

export const { getSignedUrl } =
  require('@aws-sdk/s3-request-presigner') as typeof import('@aws-sdk/s3-request-presigner');

export type { S3Client as S3ClientType, S3ClientConfig } from '@aws-sdk/client-s3';
