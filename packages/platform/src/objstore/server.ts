import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsError } from '../secrets/errors';
import { accessDenied, internalError, noSuchBucket, S3Error } from './errors';
import { listBuckets } from './handlers/buckets';
import type { ServerLimits } from './handlers/context';
import type { AccessKey } from './keys';
import { S3Request } from './request';
import { route } from './router';
import { authenticate } from './sigv4/authenticate';
import type { ObjectStore } from './store/object-store';

export interface S3ServerOptions {
  store: ObjectStore;
  /** Listen address; default 127.0.0.1 (loopback). */
  host?: string;
  /** Listen port; 0 (default) takes a free one. */
  port?: number;
  /** SigV4 region clients must sign for; default `cn-gov-1`. */
  region?: string;
  /** Largest accepted clock difference; default 15 minutes. */
  maxSkewMs?: number;
  /** Largest single PUT or part; default 5 GiB (S3's limit). */
  maxObjectBytes?: number;
  /** Smallest part but the last of a multipart upload; default 5 MiB (S3's limit). */
  minPartBytes?: number;
  /** Told of unexpected failures (answered 500); never given secrets. */
  onError?: (error: unknown) => void;
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const READS = new Set(['GET', 'HEAD']);

/**
 * The store's S3-compatible HTTP endpoint, path-style (`/<bucket>/<key>`). Every request is
 * authenticated with AWS Signature Version 4 (Authorization header or presigned URL), then
 * held to its access key's scope: its one bucket, and reads only for read-only keys. A key
 * asking for any other bucket gets AccessDenied whether or not that bucket exists.
 */
export class S3Server {
  readonly region: string;
  readonly #server: Server;
  readonly #limits: ServerLimits;
  readonly #maxSkewMs: number;
  #address: AddressInfo | undefined;

  constructor(private readonly options: S3ServerOptions) {
    this.region = options.region ?? 'cn-gov-1';
    this.#maxSkewMs = options.maxSkewMs ?? 15 * 60 * 1000;
    this.#limits = {
      region: this.region,
      maxObjectBytes: options.maxObjectBytes ?? 5 * GIB,
      minPartBytes: options.minPartBytes ?? 5 * MIB,
      maxXmlBytes: 2 * MIB,
    };
    const handle = (req: IncomingMessage, res: ServerResponse) => void this.#handle(req, res);
    this.#server = createServer(
      { requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 5_000 },
      handle,
    );
    // Expect: 100-continue is answered only once the request is authenticated and allowed.
    this.#server.on('checkContinue', handle);
    // Idle sockets (a client that stops sending mid-body) are dropped after two minutes.
    this.#server.setTimeout(120_000, (socket) => socket.destroy());
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#address = this.#server.address() as AddressInfo;
  }

  get port(): number {
    if (!this.#address) throw new Error('S3 endpoint not started');
    return this.#address.port;
  }

  /** `http://<host>:<port>` (IPv6 hosts bracketed). */
  get endpoint(): string {
    const host = this.options.host ?? '127.0.0.1';
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
  }

  get listening(): boolean {
    return this.#server.listening;
  }

  async close(): Promise<void> {
    if (!this.#server.listening) return;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = new S3Request(req, res);
    try {
      if (request.invalid) throw request.invalid;
      const store = this.options.store;
      const auth = authenticate<AccessKey>(
        {
          method: request.method,
          rawPath: request.rawPath,
          query: request.query,
          headers: request.signedValues,
        },
        {
          region: this.region,
          service: 's3',
          maxSkewMs: this.#maxSkewMs,
          now: new Date(),
          lookup: (id) => store.keys.lookup(id),
        },
      );
      request.hoisted = auth.hoistedHeaders;
      request.payload = auth.payload;
      const accessKey = auth.key;
      if (request.bucket === undefined) {
        if (request.method !== 'GET')
          throw new S3Error(
            'MethodNotAllowed',
            405,
            '该资源不支持此方法 · The specified method is not allowed against this resource.',
          );
        await listBuckets({ request, store, accessKey, limits: this.#limits });
        return;
      }
      const handler = route(request);
      // Another bucket is refused the same way whether it exists or not.
      if (request.bucket !== accessKey.bucket) throw accessDenied();
      if (accessKey.readOnly && !READS.has(request.method))
        throw accessDenied('只读密钥不能写入 · Access Denied: this access key is read-only');
      const bucket = store.bucket(request.bucket);
      if (!bucket) throw noSuchBucket(request.bucket);
      await handler({
        request,
        store,
        accessKey,
        limits: this.#limits,
        bucket,
        key: request.key ?? '',
      });
    } catch (error) {
      this.#fail(request, error);
    }
  }

  #fail(request: S3Request, error: unknown): void {
    const s3 = error instanceof S3Error ? error : undefined;
    // A client that hung up mid-request is not a fault of ours; data that fails authentication
    // is, even though the response it broke off took the connection down with it.
    if (!s3) {
      const hungUp = request.req.socket?.destroyed ?? true;
      if (!hungUp || error instanceof SecretsError) this.options.onError?.(error);
    }
    if (request.res.headersSent) {
      // A body already under way cannot turn into an error document.
      request.res.destroy();
      return;
    }
    if (request.res.destroyed) return;
    request.sendError(s3 ?? internalError());
  }
}
