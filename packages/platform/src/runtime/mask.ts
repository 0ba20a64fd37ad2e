import type { BindingSpec } from './types';

/** Masked values are replaced by this. */
export const MASK = '****';

/**
 * Credential keys whose values are not secret (hosts, ports, names): masking them would
 * blank harmless words such as `5432` or `true` all over the logs. Every other key
 * (password, uri, secretAccessKey, accessKeyId, and unknown ones) is masked.
 */
const PUBLIC_KEYS = new Set([
  'host',
  'port',
  'tls',
  'database',
  'vhost',
  'region',
  'endpoint',
  'bucket',
  'forcePathStyle',
  'keyPrefix',
  'topicPrefix',
  'username',
]);

/** Values shorter than this are never masked (they would match everywhere). */
const MIN_SECRET_LENGTH = 4;

/** The secret values of some bindings plus extra ones, longest first (so a URI masks before its password). */
export function secretsOf<Binding extends Pick<BindingSpec, 'credentials'>>(
  bindings: Record<string, Binding> | undefined,
  extra: readonly string[] = [],
): string[] {
  const values = new Set<string>();
  const add = (value: string) => {
    values.add(value);
    // As it appears inside a URI or a query string.
    values.add(encodeURIComponent(value));
  };
  for (const binding of Object.values(bindings ?? {})) {
    for (const [key, value] of Object.entries(binding.credentials)) {
      if (!PUBLIC_KEYS.has(key)) add(value);
    }
  }
  for (const value of extra) add(value);
  return [...values]
    .filter((v) => v.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
}

/** The line with every occurrence of every secret replaced by `****`. */
export function maskSecrets(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.replaceAll(secret, MASK);
  }
  return out;
}
