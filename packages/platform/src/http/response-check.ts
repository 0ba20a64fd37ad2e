import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { ValidateFunction } from 'ajv';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { contractOperations, routeSchemas } from './contract';
import { ContractValidator } from './validation';

type Json = Record<string, unknown>;

let compiled:
  | Map<string, { contentType: string | undefined; validate: ValidateFunction | undefined }>
  | undefined;

/** Compiles every documented response once: `operationId status` → validator. */
function validators(document: Json) {
  if (compiled) return compiled;
  const validator = new ContractValidator(document);
  compiled = new Map();
  for (const op of contractOperations) {
    for (const [status, { contentType, schema }] of Object.entries(
      routeSchemas(document, op).responses,
    )) {
      compiled.set(`${op.operationId} ${status}`, {
        contentType,
        validate:
          schema && contentType?.includes('json') ? validator.compile(schema, 'body') : undefined,
      });
    }
  }
  return compiled;
}

/**
 * Development and test guard (ZW_VALIDATE_RESPONSES=1): a response whose status is not
 * documented for its operation, or whose JSON body does not match the contract, becomes a
 * 500 `internal` problem naming the mismatch — so a drifting handler fails its tests.
 */
export async function checkResponse(
  document: Json,
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  const operationId = request.routeOptions.config.operationId;
  if (!operationId || reply.statusCode === 500) return payload;
  const expected = validators(document).get(`${operationId} ${reply.statusCode}`);
  let problem: string | undefined;
  if (!expected) problem = `status ${reply.statusCode} is not documented for ${operationId}`;
  else if (expected.validate && (typeof payload === 'string' || Buffer.isBuffer(payload))) {
    const body = JSON.parse(decoded(reply, payload));
    if (!expected.validate(body)) {
      problem = `${operationId} ${reply.statusCode} body does not match the contract: ${JSON.stringify(expected.validate.errors?.slice(0, 3))}`;
    }
  }
  if (!problem) return payload;
  request.log.error({ operationId, status: reply.statusCode }, problem);
  reply.code(500).type('application/problem+json');
  return JSON.stringify({
    type: 'https://zhengwu.gov.cn/problems/internal',
    title: 'Internal error',
    status: 500,
    detail: `Contract violation: ${problem}`,
    code: 'internal',
    requestId: request.id,
  });
}

/** The payload as text, undoing a `content-encoding` the handler applied. */
function decoded(reply: FastifyReply, payload: string | Buffer): string {
  if (typeof payload === 'string') return payload;
  const encoding = reply.getHeader('content-encoding');
  if (encoding === 'gzip') return gunzipSync(payload).toString('utf8');
  if (encoding === 'br') return brotliDecompressSync(payload).toString('utf8');
  return payload.toString('utf8');
}
