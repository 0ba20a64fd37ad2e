import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { type BodyDigest, type BodyPlan, MemorySink, planBody, receiveBody } from './body';
import { entityTooLarge, S3Error } from './errors';
import type { PayloadCheck } from './sigv4/authenticate';
import { headerValues, parseQuery, type QueryParam } from './sigv4/canonical';
import { token } from './store/files';
import { type XmlElement, xmlDocument } from './xml';

const MAX_KEY_BYTES = 1024;

const invalidUri = () =>
  new S3Error('InvalidURI', 400, "无法解析请求 URI · Couldn't parse the specified URI.");

/**
 * One S3 request: the raw pieces SigV4 signs, the path-style bucket and key, the headers
 * (with those a presigned URL hoisted into its query), and the response helpers.
 */
export class S3Request {
  readonly id = token(12);
  readonly method: string;
  readonly rawPath: string;
  readonly query: QueryParam[];
  /** Canonical header values, as SigV4 hashes them. */
  readonly signedValues: Map<string, string>;
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  /** Why the URI cannot be served (thrown by the handler, which can still answer). */
  readonly invalid: S3Error | undefined;
  hoisted = new Map<string, string>();
  payload: PayloadCheck = { kind: 'unsigned' };

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {
    this.method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    this.rawPath = q === -1 ? url : url.slice(0, q);
    const query = parseQuery(q === -1 ? '' : url.slice(q + 1));
    this.signedValues = headerValues(req.rawHeaders);
    this.query = query ?? [];
    const slash = this.rawPath.indexOf('/', 1);
    let bucket = '';
    let key = '';
    try {
      bucket = decodeURIComponent(
        slash === -1 ? this.rawPath.slice(1) : this.rawPath.slice(1, slash),
      );
      key = slash === -1 ? '' : decodeURIComponent(this.rawPath.slice(slash + 1));
    } catch {
      this.invalid = invalidUri();
    }
    this.bucket = bucket === '' ? undefined : bucket;
    this.key = key === '' ? undefined : key;
    // `//key` names no bucket: not a request for the bucket list.
    if (!this.rawPath.startsWith('/') || !query || (bucket === '' && key !== ''))
      this.invalid = invalidUri();
    else if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
      this.invalid = new S3Error(
        'KeyTooLongError',
        400,
        '对象键过长（最多 1024 字节）· Your key is too long (at most 1024 bytes).',
      );
    }
  }

  /** A request header (raw value), or one a presigned URL carried in its query. */
  header = (name: string): string | undefined => {
    const value = this.req.headers[name];
    if (value !== undefined) return Array.isArray(value) ? value.join(', ') : value;
    return this.hoisted.get(name);
  };

  /** The first query parameter of that exact name. */
  param(name: string): string | undefined {
    return this.query.find((p) => p.name === name)?.value;
  }

  has(name: string): boolean {
    return this.query.some((p) => p.name === name);
  }

  plan(maxBytes: number): BodyPlan {
    return planBody(this.header, this.payload, maxBytes);
  }

  /** Streams the checked body into `sink` (sending 100 Continue first when asked for). */
  receive(plan: BodyPlan, sink: Writable): Promise<BodyDigest> {
    if (/100-continue/i.test(this.header('expect') ?? '') && !this.res.headersSent)
      this.res.writeContinue();
    return receiveBody(this.req, plan, sink);
  }

  /** Reads a small body (an XML document, or the empty body of most requests), checked. */
  async smallBody(maxBytes: number): Promise<Buffer> {
    const plan = this.plan(Number.MAX_SAFE_INTEGER);
    if (plan.length > maxBytes) throw entityTooLarge(maxBytes, plan.length);
    const sink = new MemorySink();
    await this.receive(plan, sink);
    return sink.body;
  }

  #baseHeaders(): Record<string, string> {
    return { 'x-amz-request-id': this.id, 'x-amz-id-2': this.id, server: 'ZhengwuObjectStorage' };
  }

  send(
    status: number,
    headers: Record<string, string | number> = {},
    body?: string | Buffer,
  ): void {
    const all: Record<string, string | number> = { ...this.#baseHeaders(), ...headers };
    if (body !== undefined) all['content-length'] = Buffer.byteLength(body);
    else if (all['content-length'] === undefined) all['content-length'] = 0;
    this.res.writeHead(status, all);
    this.res.end(this.method === 'HEAD' ? undefined : body);
  }

  sendXml(
    root: string,
    element: XmlElement,
    status = 200,
    headers: Record<string, string> = {},
  ): void {
    this.send(
      status,
      { 'content-type': 'application/xml', ...headers },
      xmlDocument(root, element),
    );
  }

  sendError(error: S3Error): void {
    const resource = this.rawPath;
    const body = xmlDocument(
      'Error',
      {
        Code: error.code,
        Message: error.message,
        ...stringify(error.details),
        Resource: resource,
        RequestId: this.id,
      },
      false,
    );
    const headers: Record<string, string> = { 'content-type': 'application/xml' };
    // A body not read (or read only in part) must not be taken for the next request.
    if (!this.req.complete) headers.connection = 'close';
    if (error.code === 'InvalidRange')
      headers['content-range'] = `bytes */${error.details.ActualObjectSize}`;
    if (this.method === 'HEAD') {
      this.res.writeHead(error.status, { ...this.#baseHeaders(), ...headers, 'content-length': 0 });
      this.res.end();
    } else {
      this.send(error.status, headers, body);
    }
    if (!this.req.complete) {
      this.req.unpipe();
      this.req.resume();
    }
  }
}

function stringify(details: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(details).map(([k, v]) => [k, String(v)]));
}
