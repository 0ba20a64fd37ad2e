import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * 20 uniformly random base62 characters from the CSPRNG: bytes ≥ 248 are skipped (248 is
 * the largest multiple of 62 under 256), so `byte % 62` has no bias. One `randomBytes`
 * call per id — ids are made on every request (request ids), so this stays cheap.
 */
function body(): string {
  let out = '';
  while (out.length < 20) {
    for (const byte of randomBytes(24)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === 20) break;
    }
  }
  return out;
}

/** Resource ids of the contract: kind prefix + 20 base62 characters (≈119 bits). */
export type IdKind =
  | 'ten'
  | 'mem'
  | 'tok'
  | 'ins'
  | 'bnd'
  | 'op'
  | 'app'
  | 'src'
  | 'rel'
  | 'sch'
  | 'sev'
  | 'evt'
  | 'req';

export function newId(kind: IdKind): string {
  return `${kind}_${body()}`;
}
