import { randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random strings over an alphabet, from the CSPRNG. */
export function customAlphabet(alphabet: string, length: number): () => string {
  return () => {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
    return out;
  };
}

const body = customAlphabet(BASE62, 20);

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
