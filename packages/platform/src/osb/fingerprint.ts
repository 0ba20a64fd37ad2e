import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * What an idempotent repeat is compared with: SHA-256 of the attributes that define the
 * resource, so "same id, same attributes" is one string comparison.
 */
export const fingerprintOf = (attributes: Record<string, unknown>) =>
  createHash('sha256').update(canonicalJson(attributes)).digest('hex');
