import { createHash, createHmac } from 'node:crypto';

/**
 * The pieces of AWS Signature Version 4 (the "Signature Calculations" chapters of the S3 API
 * reference): canonical request, string to sign, signing key. Pure functions over the
 * request as received, so the verifier computes exactly what an honest client signed.
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const sha256Hex = (data: string | Buffer): string =>
  createHash('sha256').update(data).digest('hex');

export const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest();

/** kSigning = HMAC chain over date, region, service and `aws4_request`. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secret}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/** RFC 3986 encoding as SigV4 wants it: everything but `A-Za-z0-9-._~` is %XX (uppercase). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** One query parameter as received, decoded (`+` stays a plus, as SigV4 clients send `%20`). */
export interface QueryParam {
  name: string;
  value: string;
}

/** Splits a raw query string; undefined when a percent-escape is broken. */
export function parseQuery(rawQuery: string): QueryParam[] | undefined {
  if (rawQuery === '') return [];
  const params: QueryParam[] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq === -1 ? part : part.slice(0, eq);
    const rawValue = eq === -1 ? '' : part.slice(eq + 1);
    try {
      params.push({ name: decodeURIComponent(rawName), value: decodeURIComponent(rawValue) });
    } catch {
      return undefined;
    }
  }
  return params;
}

/** Parameters sorted by encoded name then value, `name=value` joined with `&`. */
export function canonicalQuery(params: readonly QueryParam[], exclude?: string): string {
  return params
    .filter((p) => p.name !== exclude)
    .map((p) => [uriEncode(p.name), uriEncode(p.value)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([n, v]) => `${n}=${v}`)
    .join('&');
}

/** Header values by lowercase name from Node's `rawHeaders`, repeated headers joined by `,`. */
export function headerValues(rawHeaders: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!.trim().replace(/\s+/g, ' ');
    const previous = values.get(name);
    values.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  return values;
}

export interface CanonicalRequestParts {
  method: string;
  /** The path exactly as received: S3 clients sign the encoded path without normalising it. */
  rawPath: string;
  query: string;
  headers: Map<string, string>;
  signedHeaders: readonly string[];
  payloadHash: string;
}

export function canonicalRequest(parts: CanonicalRequestParts): string {
  const headerLines = parts.signedHeaders
    .map((name) => `${name}:${parts.headers.get(name) ?? ''}\n`)
    .join('');
  return [
    parts.method,
    parts.rawPath,
    parts.query,
    headerLines,
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}

/** `AWS4-HMAC-SHA256\n<timestamp>\n<scope>\n<hash of the canonical request>`. */
export const stringToSign = (timestamp: string, scope: string, canonical: string): string =>
  `${ALGORITHM}\n${timestamp}\n${scope}\n${sha256Hex(canonical)}`;

/** `YYYYMMDDTHHMMSSZ` → Date, or undefined when it is not one. */
export function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls 20240231 over to March: such a date is not one.
  return formatAmzDate(date) === value ? date : undefined;
}

/** Date → `YYYYMMDDTHHMMSSZ`. */
export const formatAmzDate = (date: Date): string =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
