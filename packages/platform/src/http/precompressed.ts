import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { preferredEncoding } from './content-coding';

/** Operations that answer with `sendPrecompressed` only: the compressor stays out of them. */
export const PRECOMPRESSED_OPERATIONS: ReadonlySet<string> = new Set(['listServices']);

/** A JSON body that never changes, with its gzip and brotli encodings made once. */
export interface Precompressed {
  identity: string;
  gzip: Buffer;
  br: Buffer;
}

export function precompressed(json: string): Precompressed {
  return {
    identity: json,
    gzip: gzipSync(json, { level: 9 }),
    br: brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
  };
}

/**
 * Sends the encoding the client accepts (Node's fetch asks for gzip, browsers for br too),
 * so a large static body costs a few kilobytes on the wire and no compression per request.
 */
export function sendPrecompressed(
  request: FastifyRequest,
  reply: FastifyReply,
  body: Precompressed,
): FastifyReply {
  const encoding = preferredEncoding(request.headers['accept-encoding']);
  reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
  if (encoding === 'identity') return reply.send(body.identity);
  return reply.header('content-encoding', encoding).send(body[encoding]);
}
