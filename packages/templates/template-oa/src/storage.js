import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';

/**
 * 正文 and 附件 live in the bound object storage (one bucket, S3 SigV4, path style); the
 * database keeps their key, size and SHA-256.
 * @param {import('./config.js').S3Config} s3
 */
export function createStorage(s3) {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    credentials: {
      accessKeyId: s3.accessKeyId ?? '',
      secretAccessKey: s3.secretAccessKey ?? '',
    },
  });
  const Bucket = s3.bucket;
  return {
    /** @param {string} key @param {Buffer} body @param {string} contentType @param {string} sha256 */
    async put(key, body, contentType, sha256) {
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          Metadata: { sha256 },
        }),
      );
    },
    /** @param {string} key */
    async get(key) {
      const out = await client.send(new GetObjectCommand({ Bucket, Key: key }));
      return /** @type {import('node:stream').Readable} */ (out.Body);
    },
    /** @param {string} key */
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async ready() {
      await client.send(new HeadBucketCommand({ Bucket }));
    },
    close() {
      client.destroy();
    },
  };
}

/** @typedef {ReturnType<typeof createStorage>} Storage */
