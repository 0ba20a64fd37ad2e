/**
 * Digests the mock needs, in a form that runs in browsers too: SM3 and HMAC-SM3 (GB/T 32905)
 * from `sm-crypto-v2`, SHA-256 from Web Crypto.
 */
import { sm3 as sm3Hex } from 'sm-crypto-v2';

const utf8 = (data: Uint8Array | string) =>
  typeof data === 'string' ? new TextEncoder().encode(data) : data;

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** SM3 digest (32 bytes) of UTF-8 text or bytes. */
export function sm3(data: Uint8Array | string): Uint8Array {
  return fromHex(sm3Hex(utf8(data)));
}

/** HMAC-SM3 (RFC 2104 over SM3) with a UTF-8 text or byte key. */
export function hmacSm3(key: Uint8Array | string, data: Uint8Array | string): Uint8Array {
  return fromHex(sm3Hex(utf8(data), { key: utf8(key) }));
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** SHA-256 (Web Crypto) as 64 lower-case hex digits. */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', utf8(data) as Uint8Array<ArrayBuffer>);
  return toHex(new Uint8Array(digest));
}
