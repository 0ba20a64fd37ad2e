import type { Writable } from 'node:stream';
import type { Algorithm } from '../../secrets/ciphers';
import type { ChecksumAlgorithm } from '../body';

/** What a client set on an object besides its bytes. */
export interface ObjectAttributes {
  contentType: string;
  /** Stored standard headers: cache-control, content-disposition, content-encoding, … */
  headers: Record<string, string>;
  /** User metadata (`x-amz-meta-<name>`), names lowercase without the prefix. */
  metadata: Record<string, string>;
}

/** One object as its JSON sidecar records it. */
export interface StoredObject extends ObjectAttributes {
  key: string;
  size: number;
  /** Hex MD5 of the content, or `<md5 of the parts' MD5s>-<parts>` after a multipart upload. */
  etag: string;
  lastModified: string;
  /** Base64 checksums known for the whole object (none after a multipart upload). */
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
  parts?: number;
  /** Basename of the data file beside the sidecar. */
  file: string;
  /** How the data file is sealed (see `sealed-files.ts`); absent: plaintext, from before SSE. */
  encryption?: Algorithm;
}

/** What a receiver learnt about the bytes it wrote into the store's sink. */
export interface Received {
  size: number;
  etag: string;
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

/** Fills the sink with an object's bytes, checking them; throws to store nothing. */
export type Receiver = (sink: Writable) => Promise<Received>;

export interface StoredPart {
  partNumber: number;
  size: number;
  /** Hex MD5 of the part. */
  etag: string;
  lastModified: string;
  file: string;
  encryption?: Algorithm;
}

export interface UploadRecord extends ObjectAttributes {
  uploadId: string;
  key: string;
  initiated: string;
}
