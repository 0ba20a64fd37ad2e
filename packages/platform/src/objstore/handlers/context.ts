import type { AccessKey } from '../keys';
import type { S3Request } from '../request';
import type { Bucket } from '../store/bucket';
import type { ObjectStore } from '../store/object-store';

/** Limits and settings every handler reads. */
export interface ServerLimits {
  region: string;
  /** Largest object a single PUT (or a copy) may write, and largest part. */
  maxObjectBytes: number;
  /** Smallest part of a multipart upload, but for the last. */
  minPartBytes: number;
  /** Largest XML request body (DeleteObjects, CompleteMultipartUpload). */
  maxXmlBytes: number;
}

/** What an operation handler gets: an authenticated request, already authorised. */
export interface Handling {
  request: S3Request;
  store: ObjectStore;
  accessKey: AccessKey;
  limits: ServerLimits;
  /** The key's own bucket, for bucket and object operations. */
  bucket: Bucket;
  /** The object key (object operations). */
  key: string;
}

export type Handler = (handling: Handling) => Promise<void>;
