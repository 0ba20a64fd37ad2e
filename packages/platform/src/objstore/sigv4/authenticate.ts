import { timingSafeEqual } from 'node:crypto';
import {
  accessDenied,
  authorizationHeaderMalformed,
  authorizationQueryMalformed,
  invalidAccessKeyId,
  invalidArgument,
  notImplemented,
  S3Error,
  signatureDoesNotMatch,
} from '../errors';
import {
  ALGORITHM,
  canonicalQuery,
  canonicalRequest,
  formatAmzDate,
  hmac,
  parseAmzDate,
  type QueryParam,
  signingKey,
  stringToSign,
} from './canonical';

/** A request as it arrived, in the terms SigV4 needs. */
export interface SignedRequest {
  method: string;
  rawPath: string;
  query: readonly QueryParam[];
  /** Lowercase name → canonical value (see `headerValues`). */
  headers: Map<string, string>;
}

export interface AuthOptions<K> {
  region: string;
  service: string;
  /** Largest accepted difference between the request's time and ours. */
  maxSkewMs: number;
  now: Date;
  /** The secret and scope of an access key, or undefined when there is no such key. */
  lookup: (accessKeyId: string) => (K & { secret: string }) | undefined;
}

/** What signs the chunks of an `aws-chunked` body (seed = the request's own signature). */
export interface ChunkSigning {
  key: Buffer;
  timestamp: string;
  scope: string;
  seed: string;
}

/** How the body must be checked once the request's own signature holds. */
export type PayloadCheck =
  | { kind: 'sha256'; hash: string }
  | { kind: 'unsigned' }
  | { kind: 'chunked'; signing: ChunkSigning | undefined; trailer: boolean };

export interface Authentication<K> {
  accessKeyId: string;
  key: K;
  payload: PayloadCheck;
  /**
   * Presigned URLs carry the `x-amz-*` headers of the signed request as query parameters
   * (signed with the URL); they act as headers of the request.
   */
  hoistedHeaders: Map<string, string>;
}

const PRESIGN_PARAMS = new Set([
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-signedheaders',
  'x-amz-signature',
  'x-amz-content-sha256',
]);
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
const HEX_SIGNATURE = /^[0-9a-f]{64}$/;

interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

/**
 * Verifies a request's SigV4 signature (Authorization header or presigned URL) against the
 * access key's secret; throws the S3 error a client expects. Unsigned requests are refused:
 * nothing in this store is public.
 */
export function authenticate<K>(
  request: SignedRequest,
  options: AuthOptions<K>,
): Authentication<K> {
  const authorization = request.headers.get('authorization');
  const presigned = request.query.some(
    (p) => p.name === 'X-Amz-Signature' || p.name === 'X-Amz-Credential',
  );
  if (
    request.headers.has('x-amz-security-token') ||
    request.query.some((p) => p.name === 'X-Amz-Security-Token')
  ) {
    throw new S3Error(
      'InvalidToken',
      400,
      '本存储不签发会话令牌 · Session tokens are not issued by this object store',
    );
  }
  if (authorization !== undefined && presigned) {
    throw invalidArgument('只能使用一种认证方式 · Only one auth mechanism allowed');
  }
  if (authorization !== undefined) return headerAuth(request, authorization, options);
  if (presigned) return queryAuth(request, options);
  throw accessDenied(
    '请求未签名 · Anonymous requests are not allowed; sign with AWS Signature Version 4',
  );
}

function parseCredential(
  value: string,
  options: AuthOptions<unknown>,
  malformed: (why: string, details?: Record<string, string>) => S3Error,
): Credential {
  const parts = value.split('/');
  if (parts.length !== 5 || parts[0] === '')
    throw malformed(
      `Credential 应为 <key>/<date>/<region>/s3/aws4_request · Credential must be <key>/<date>/<region>/s3/aws4_request`,
    );
  const [accessKeyId, date, region, service, terminator] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (region !== options.region) {
    throw malformed(
      `区域 '${region}' 错误，应为 '${options.region}' · the region '${region}' is wrong; expecting '${options.region}'`,
      { Region: options.region },
    );
  }
  if (service !== options.service)
    throw malformed(`服务应为 '${options.service}' · the service must be '${options.service}'`);
  if (terminator !== 'aws4_request')
    throw malformed(
      '凭据范围应以 aws4_request 结尾 · the credential scope must end with aws4_request',
    );
  if (!/^\d{8}$/.test(date)) throw malformed('凭据日期无效 · invalid credential date');
  return { accessKeyId, date, region, service };
}

function parseSignedHeaders(value: string, malformed: (why: string) => S3Error): string[] {
  const names = value.split(';');
  if (names.some((n) => n === '' || n !== n.toLowerCase()))
    throw malformed('SignedHeaders 无效 · SignedHeaders is invalid');
  if (!names.includes('host')) throw malformed('必须签名 host 头 · the host header must be signed');
  return names;
}

/** Every `x-amz-*` header sent must be covered by the signature. */
function requireSigned(request: SignedRequest, signedHeaders: readonly string[]): void {
  const unsigned = [...request.headers.keys()].filter(
    (n) => n.startsWith('x-amz-') && !signedHeaders.includes(n),
  );
  if (unsigned.length > 0) {
    const error = accessDenied(
      '请求中有未签名的头 · There were headers present in the request which were not signed',
    );
    Object.assign(error.details, { HeadersNotSigned: unsigned.join(', ') });
    throw error;
  }
}

function payloadCheck(value: string): (signing: ChunkSigning) => PayloadCheck {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return () => ({ kind: 'sha256', hash: value.toLowerCase() });
  switch (value) {
    case 'UNSIGNED-PAYLOAD':
      return () => ({ kind: 'unsigned' });
    case 'STREAMING-UNSIGNED-PAYLOAD-TRAILER':
      return () => ({ kind: 'chunked', signing: undefined, trailer: true });
    case 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD':
      return (signing) => ({ kind: 'chunked', signing, trailer: false });
    case 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER':
      return (signing) => ({ kind: 'chunked', signing, trailer: true });
    case 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD':
    case 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER':
      throw notImplemented('SigV4a (ECDSA) signing');
    default:
      throw invalidArgument(
        'x-amz-content-sha256 必须是 UNSIGNED-PAYLOAD、STREAMING-… 或 SHA-256 十六进制值 · x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-… or a valid sha256 value.',
        'x-amz-content-sha256',
        value,
      );
  }
}

function compare(expected: Buffer, provided: string): boolean {
  return timingSafeEqual(expected, Buffer.from(provided, 'hex'));
}

function verify<K>(
  request: SignedRequest,
  options: AuthOptions<K>,
  input: {
    credential: Credential;
    timestamp: string;
    signedHeaders: string[];
    signature: string;
    query: string;
    payloadHash: string;
  },
): { key: K & { secret: string }; signing: ChunkSigning } {
  const key = options.lookup(input.credential.accessKeyId);
  if (!key) throw invalidAccessKeyId();
  requireSigned(request, input.signedHeaders);
  const scope = `${input.credential.date}/${input.credential.region}/${input.credential.service}/aws4_request`;
  const canonical = canonicalRequest({
    method: request.method,
    rawPath: request.rawPath,
    query: input.query,
    headers: request.headers,
    signedHeaders: input.signedHeaders,
    payloadHash: input.payloadHash,
  });
  const toSign = stringToSign(input.timestamp, scope, canonical);
  const kSigning = signingKey(
    key.secret,
    input.credential.date,
    input.credential.region,
    input.credential.service,
  );
  if (!compare(hmac(kSigning, toSign), input.signature)) {
    throw signatureDoesNotMatch({
      AWSAccessKeyId: input.credential.accessKeyId,
      StringToSign: toSign,
      SignatureProvided: input.signature,
      CanonicalRequest: canonical,
    });
  }
  return {
    key,
    signing: { key: kSigning, timestamp: input.timestamp, scope, seed: input.signature },
  };
}

function headerAuth<K>(
  request: SignedRequest,
  authorization: string,
  options: AuthOptions<K>,
): Authentication<K> {
  if (authorization.startsWith('AWS ')) {
    throw accessDenied(
      '不支持签名版本 2 · Signature Version 2 is not supported; sign with AWS4-HMAC-SHA256',
    );
  }
  if (authorization.startsWith('AWS4-ECDSA-P256-SHA256'))
    throw notImplemented('SigV4a (ECDSA) signing');
  if (!authorization.startsWith(`${ALGORITHM} `)) {
    throw authorizationHeaderMalformed(
      `算法应为 ${ALGORITHM} · the algorithm must be ${ALGORITHM}`,
    );
  }
  const fields = new Map<string, string>();
  for (const field of authorization.slice(ALGORITHM.length + 1).split(',')) {
    const eq = field.indexOf('=');
    const name = field.slice(0, eq).trim();
    if (eq === -1 || fields.has(name))
      throw authorizationHeaderMalformed('字段重复或缺少 = · a field is repeated or lacks =');
    fields.set(name, field.slice(eq + 1).trim());
  }
  const credentialField = fields.get('Credential');
  const signedField = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (
    credentialField === undefined ||
    signedField === undefined ||
    signature === undefined ||
    fields.size !== 3
  ) {
    throw authorizationHeaderMalformed(
      '需要 Credential、SignedHeaders 与 Signature · Credential, SignedHeaders and Signature are required',
    );
  }
  if (!HEX_SIGNATURE.test(signature))
    throw authorizationHeaderMalformed(
      'Signature 应为 64 位十六进制 · Signature must be 64 lowercase hex digits',
    );
  const credential = parseCredential(credentialField, options, authorizationHeaderMalformed);
  const signedHeaders = parseSignedHeaders(signedField, authorizationHeaderMalformed);

  const timestamp = requestTimestamp(request, signedHeaders);
  if (timestamp.slice(0, 8) !== credential.date) {
    throw authorizationHeaderMalformed(
      '凭据日期与 X-Amz-Date 不一致 · Invalid credential date. Date is not the same as X-Amz-Date.',
    );
  }
  const skew = Math.abs(options.now.getTime() - parseAmzDate(timestamp)!.getTime());
  if (skew > options.maxSkewMs) {
    throw new S3Error(
      'RequestTimeTooSkewed',
      403,
      '请求时间与服务器时间相差过大 · The difference between the request time and the current time is too large.',
      {
        RequestTime: timestamp,
        ServerTime: options.now.toISOString(),
        MaxAllowedSkewMilliseconds: options.maxSkewMs,
      },
    );
  }

  const contentSha = request.headers.get('x-amz-content-sha256');
  if (contentSha === undefined) {
    throw new S3Error(
      'InvalidRequest',
      400,
      '缺少必需的 x-amz-content-sha256 头 · Missing required header for this request: x-amz-content-sha256',
    );
  }
  if (!signedHeaders.includes('x-amz-content-sha256')) {
    throw authorizationHeaderMalformed(
      '必须签名 x-amz-content-sha256 头 · the x-amz-content-sha256 header must be signed',
    );
  }
  const payload = payloadCheck(contentSha);
  const { key, signing } = verify(request, options, {
    credential,
    timestamp,
    signedHeaders,
    signature,
    query: canonicalQuery(request.query),
    payloadHash: contentSha,
  });
  const { secret: _secret, ...scoped } = key;
  return {
    accessKeyId: credential.accessKeyId,
    key: scoped as K,
    payload: payload(signing),
    hoistedHeaders: new Map(),
  };
}

/** The signed request time from `x-amz-date` (or `Date`), in `YYYYMMDDTHHMMSSZ` form. */
function requestTimestamp(request: SignedRequest, signedHeaders: readonly string[]): string {
  const amzDate = request.headers.get('x-amz-date');
  const invalid = () =>
    accessDenied(
      '需要有效且已签名的 x-amz-date 或 Date 头 · AWS authentication requires a valid, signed Date or x-amz-date header',
    );
  if (amzDate !== undefined) {
    if (!signedHeaders.includes('x-amz-date') || !parseAmzDate(amzDate)) throw invalid();
    return amzDate;
  }
  const date = request.headers.get('date');
  const parsed = date === undefined ? Number.NaN : Date.parse(date);
  if (!signedHeaders.includes('date') || Number.isNaN(parsed)) throw invalid();
  return formatAmzDate(new Date(parsed));
}

function queryAuth<K>(request: SignedRequest, options: AuthOptions<K>): Authentication<K> {
  const one = (name: string): string => {
    const found = request.query.filter((p) => p.name === name);
    if (found.length !== 1)
      throw authorizationQueryMalformed(
        `需要且只能有一个 ${name} · exactly one ${name} is required`,
      );
    return found[0]!.value;
  };
  if (one('X-Amz-Algorithm') !== ALGORITHM) {
    throw authorizationQueryMalformed(
      `X-Amz-Algorithm 应为 ${ALGORITHM} · X-Amz-Algorithm only supports "${ALGORITHM}"`,
    );
  }
  const credential = parseCredential(one('X-Amz-Credential'), options, (why) =>
    authorizationQueryMalformed(why),
  );
  const timestamp = one('X-Amz-Date');
  const signed = parseAmzDate(timestamp);
  if (!signed)
    throw authorizationQueryMalformed(
      "X-Amz-Date 格式应为 YYYYMMDDTHHMMSSZ · X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
    );
  if (timestamp.slice(0, 8) !== credential.date) {
    throw authorizationQueryMalformed(
      '凭据日期与 X-Amz-Date 不一致 · Invalid credential date. Date is not the same as X-Amz-Date.',
    );
  }
  const expiresText = one('X-Amz-Expires');
  const expires = /^\d{1,7}$/.test(expiresText) ? Number(expiresText) : Number.NaN;
  if (!(expires >= 1 && expires <= MAX_PRESIGN_SECONDS)) {
    throw authorizationQueryMalformed(
      'X-Amz-Expires 应为 1 到 604800 秒 · X-Amz-Expires must be from 1 to 604800 seconds',
    );
  }
  const signature = one('X-Amz-Signature');
  if (!HEX_SIGNATURE.test(signature))
    throw authorizationQueryMalformed(
      'X-Amz-Signature 应为 64 位十六进制 · X-Amz-Signature must be 64 lowercase hex digits',
    );
  const signedHeaders = parseSignedHeaders(one('X-Amz-SignedHeaders'), (why) =>
    authorizationQueryMalformed(why),
  );

  const now = options.now.getTime();
  if (signed.getTime() - now > options.maxSkewMs)
    throw accessDenied('请求尚未生效 · Request is not valid yet');
  if (now > signed.getTime() + expires * 1000) {
    const error = accessDenied('预签名链接已过期 · Request has expired');
    Object.assign(error.details, {
      'X-Amz-Expires': expires,
      Expires: new Date(signed.getTime() + expires * 1000).toISOString(),
      ServerTime: options.now.toISOString(),
    });
    throw error;
  }

  const headerSha = signedHeaders.includes('x-amz-content-sha256')
    ? request.headers.get('x-amz-content-sha256')
    : undefined;
  const querySha = request.query.find((p) => p.name === 'X-Amz-Content-Sha256')?.value;
  const payloadHash = headerSha ?? querySha ?? 'UNSIGNED-PAYLOAD';
  const payload = payloadCheck(payloadHash);
  const { key, signing } = verify(request, options, {
    credential,
    timestamp,
    signedHeaders,
    signature,
    query: canonicalQuery(request.query, 'X-Amz-Signature'),
    payloadHash,
  });
  const check = payload(signing);
  if (check.kind === 'chunked') throw notImplemented('aws-chunked bodies with presigned URLs');

  const hoistedHeaders = new Map<string, string>();
  for (const p of request.query) {
    const name = p.name.toLowerCase();
    if (name.startsWith('x-amz-') && !PRESIGN_PARAMS.has(name)) hoistedHeaders.set(name, p.value);
  }
  const { secret: _secret, ...scoped } = key;
  return { accessKeyId: credential.accessKeyId, key: scoped as K, payload: check, hoistedHeaders };
}
