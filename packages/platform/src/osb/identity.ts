import { badRequest } from './errors';

/** `X-Broker-API-Originating-Identity: <platform> <base64 JSON>`: who on the platform acted. */
export interface OriginatingIdentity {
  platform: string;
  value: Record<string, unknown>;
}

/**
 * Parses the header; undefined when absent (catalog fetches, orphan mitigation), 400 when
 * present but not `<platform> <base64 of a JSON object>`.
 */
export function parseOriginatingIdentity(
  header: string | string[] | undefined,
): OriginatingIdentity | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) return undefined;
  const match = /^\s*(\S+)\s+([A-Za-z0-9+/=_-]+)\s*$/.exec(raw);
  let value: unknown;
  try {
    value = match ? JSON.parse(Buffer.from(match[2]!, 'base64').toString('utf8')) : undefined;
  } catch {
    value = undefined;
  }
  if (!match || value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(
      'X-Broker-API-Originating-Identity 格式应为“平台 Base64(JSON 对象)”',
      'X-Broker-API-Originating-Identity must be "<platform> <base64 of a JSON object>"',
    );
  }
  return { platform: match[1]!, value: value as Record<string, unknown> };
}

const MAX_NAME = 255;

/**
 * The identity as one line for the audit log: the user fields the profiles define
 * (`user_id` on Cloud Foundry, `username`/`uid` on Kubernetes), else the compact JSON.
 */
export function describeIdentity(identity: OriginatingIdentity): string {
  const v = identity.value;
  const fields = ['user_id', 'username', 'uid']
    .filter((k) => typeof v[k] === 'string' || typeof v[k] === 'number')
    .map((k) => `${k}=${String(v[k])}`);
  const who = fields.length > 0 ? fields.join(' ') : JSON.stringify(v);
  return `${identity.platform} ${who}`.slice(0, MAX_NAME);
}
