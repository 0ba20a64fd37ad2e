import { createHash } from 'node:crypto';

/**
 * Name-based UUIDs (RFC 9562 version 5: SHA-1 of a namespace and a name). OSB catalog ids
 * must never change across fetches and should be GUIDs; deriving them from our own service
 * and plan ids keeps them stable across releases and replicas without storing them.
 */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new Error(`not a UUID: ${namespace}`);
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Zhengwu's namespace for catalog ids (fixed forever: changing it changes every id). */
const CATALOG_NAMESPACE = '54da54ac-097d-4b6a-8a0e-56c75c485c34';

export const serviceGuid = (serviceId: string) =>
  uuidV5(CATALOG_NAMESPACE, `zhengwu/service/${serviceId}`);

export const planGuid = (serviceId: string, planId: string) =>
  uuidV5(CATALOG_NAMESPACE, `zhengwu/plan/${serviceId}/${planId}`);

/**
 * Our resource name for an OSB id (any string the platform chose): a DNS-label-like slug of
 * it plus 8 hex characters of its hash, so different ids never share a name.
 */
export function nameFor(prefix: 'osb' | 'osbb', osbId: string): string {
  const slug = osbId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  const hash = createHash('sha256').update(osbId).digest('hex').slice(0, 8);
  return slug ? `${prefix}-${slug}-${hash}` : `${prefix}-${hash}`;
}
