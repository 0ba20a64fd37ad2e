import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/** JSON bodies only (`application/json`, `application/problem+json`): streams and archives pass as they are. */
const JSON_TYPES = /(?:\/|\+)json(?:;|$)/;

/**
 * Compresses JSON responses of 1 KiB and more for clients that accept it (Node's fetch, so
 * the SDK and `zw`, asks for gzip; browsers for br too). A page of a hundred items is
 * 30–40 kB of JSON: gzip at level 1 (nginx's default) makes it a tenth for ~70 µs, less
 * than writing the uncompressed bytes costs the server. Bodies already encoded (the
 * precompressed catalog) are left alone. Applies to routes added after it is registered.
 */
export function registerCompression(app: FastifyInstance): void {
  app.register(compress, {
    threshold: 1024,
    encodings: ['br', 'gzip', 'deflate'],
    customTypes: JSON_TYPES,
    zlibOptions: { level: 1 },
    // Compress in one synchronous call up to 256 KiB (~0.5 ms at level 1): the library's
    // default on two cores (8 KiB) would send a page of a list through a zlib stream on the
    // thread pool, which costs this process several times the CPU of the call itself.
    syncThreshold: 256 * 1024,
    // Request bodies stay as sent: the contract takes JSON (and source archives as gzip files).
    globalDecompression: false,
  });
}
