/** Ids with the contract's kind prefixes: `ins_` + 20 base62 characters (`^ins_[0-9A-Za-z]{16,32}$`). */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export type IdPrefix =
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

/** `length` random base62 characters (Web Crypto, so it works in browsers too). */
export function randomBase62(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  // 62 * 4 = 248: rejecting bytes ≥ 248 keeps every character equally likely.
  for (let i = 0; out.length < length; i++) {
    if (i === bytes.length) {
      crypto.getRandomValues(bytes);
      i = 0;
    }
    const b = bytes[i]!;
    if (b < 248) out += BASE62[b % 62];
  }
  return out;
}

/** A new id such as `ins_4kD9…` (20 characters after the prefix). */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(20)}`;
}

/** The kind of resource an id names, from its prefix. */
export function kindOf(id: string): string | undefined {
  const prefix = id.slice(0, id.indexOf('_'));
  return (
    {
      ten: 'tenant',
      mem: 'member',
      tok: 'token',
      ins: 'instance',
      bnd: 'binding',
      op: 'operation',
      app: 'app',
      src: 'source',
      rel: 'release',
      sch: 'schedule',
      sev: 'scaling-event',
      evt: 'audit-event',
    } as Record<string, string>
  )[prefix];
}
