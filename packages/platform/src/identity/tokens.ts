import type { Schemas } from '@zhengwu/openapi';
import type { TokenRow } from '../db/schema';
import { invalidField, ProblemError } from '../http/problems';

const DAY_MS = 86_400_000;
/** Lifetime of a token created without `expiresAt` or `expiresInDays`. */
export const DEFAULT_TOKEN_DAYS = 90;
/** No token lives longer than this (the contract's limit). */
export const MAX_TOKEN_DAYS = 366;

/** An instant as the contract writes it: ISO 8601 UTC. */
export const iso = (at: Date) => at.toISOString();

/** `lastUsedAt` is reported to the minute (it is only written once a minute anyway). */
const toMinute = (at: Date) => new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();

/** A token row in the API's shape; never the secret or its hash. */
export function toApiToken(row: TokenRow): Schemas['Token'] {
  return {
    id: row.id,
    name: row.name,
    // System tokens (no tenant) are never returned by the API.
    tenantId: row.tenant_id as string,
    role: row.role,
    prefix: row.prefix,
    createdAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
    lastUsedAt: row.last_used_at ? toMinute(row.last_used_at) : null,
    revokedAt: row.revoked_at ? iso(row.revoked_at) : null,
    createdBy: row.created_by,
  };
}

/**
 * When a new token expires: `expiresAt` or `expiresInDays` (at most one; both is 422),
 * 90 days when neither is given, never in the past nor more than 366 days ahead.
 */
export function tokenExpiry(body: { expiresAt?: string; expiresInDays?: number }, now: Date): Date {
  if (body.expiresAt !== undefined && body.expiresInDays !== undefined) {
    throw new ProblemError(
      'validation_failed',
      'Give at most one of expiresAt and expiresInDays.',
      [
        {
          path: '/body/expiresInDays',
          message: 'must not be given together with expiresAt',
          code: 'oneOf',
        },
      ],
    );
  }
  if (body.expiresAt === undefined) {
    return new Date(now.getTime() + (body.expiresInDays ?? DEFAULT_TOKEN_DAYS) * DAY_MS);
  }
  const at = new Date(body.expiresAt);
  if (Number.isNaN(at.getTime())) {
    throw invalidField('/body/expiresAt', 'must be a date-time', 'format');
  }
  if (at.getTime() <= now.getTime()) {
    throw invalidField('/body/expiresAt', 'must be in the future', 'minimum');
  }
  if (at.getTime() > now.getTime() + MAX_TOKEN_DAYS * DAY_MS) {
    throw invalidField(
      '/body/expiresAt',
      `must be at most ${MAX_TOKEN_DAYS} days ahead`,
      'maximum',
    );
  }
  return at;
}
