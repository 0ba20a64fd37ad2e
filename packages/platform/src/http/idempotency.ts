import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { operations, problemCodes } from '@zhengwu/openapi';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onSendHookHandler,
  preHandlerAsyncHookHandler,
} from 'fastify';
import { sql } from 'kysely';
import { canonicalJson } from '../audit/chain';
import type { Db } from '../db/database';
import { durable } from '../db/durability-schema';
import type { PlatformContext } from './context';
import { sendProblem } from './problems';

/** Keys are kept this long after the first request (the contract's 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** A pending key whose request renews nothing for this long belongs to a dead process. */
export const IDEMPOTENCY_LEASE_MS = 30_000;
/** Response headers replayed with the body (not `x-request-id`: each replay has its own). */
const REPLAYED_HEADERS = [
  'content-type',
  'location',
  'x-should-retry',
  'retry-after',
  'etag',
  'last-modified',
];

interface Claim {
  principalId: string;
  key: string;
  owner: string;
  renew: NodeJS.Timeout;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set while this request owns its `Idempotency-Key` (it is the first with it). */
    idempotency: Claim | null;
  }
}

/**
 * What makes two requests "the same request": method, path, query and the body (parsed
 * JSON in canonical form, so key order and whitespace do not matter; raw bodies by their
 * bytes). SHA-256, hex.
 */
export function requestFingerprint(request: FastifyRequest): string {
  const body = request.body;
  const content =
    body === undefined || body === null
      ? null
      : Buffer.isBuffer(body)
        ? { sha256: createHash('sha256').update(body).digest('hex') }
        : body instanceof Readable
          ? // A streamed upload is known by the digest its client declares.
            { sha256: request.headers['x-content-sha256'] ?? null }
          : body;
  return createHash('sha256')
    .update(
      canonicalJson({
        method: request.method,
        path: request.url.split('?')[0],
        query: request.query ?? {},
        body: content,
      }),
    )
    .digest('hex');
}

/**
 * `Idempotency-Key` on every mutating operation (the contract's rules), stored per
 * principal in `idempotency_keys` for 24 h:
 *
 * - the first request with a key claims it (`pending`, with a lease renewed while it runs)
 *   and its response is stored when sent (`done`: status, body, the headers above);
 * - the same key with the same request (method, path, query, body) replays that response
 *   with `Idempotency-Replayed: true`; with another request: 422 `idempotency_key_reused`;
 *   while the first still runs: 409 `idempotency_key_in_use` (`X-Should-Retry: true`);
 * - responses that ask for a retry are not stored (5xx, 429, 408 and 409s with
 *   `X-Should-Retry: true`): the key is released and a retry runs again;
 * - a pending key whose lease ran out (its process died) is taken over by the next request.
 *   The mutation may or may not have committed then; handlers' own checks (names are
 *   unique, states are checked) catch a repeat.
 *
 * A replay is audited as what it is: one `idempotency.replay` event with the first
 * request's tenant and target, never a second event of the mutation's own action.
 *
 * Returns the hooks for the routes of mutating operations (`app.ts` attaches them there
 * only, so reads pay nothing for them).
 */
export function idempotencyHooks(
  app: FastifyInstance,
  ctx: PlatformContext,
): { preHandler: preHandlerAsyncHookHandler; onSend: onSendHookHandler } {
  const db = durable(ctx.db);
  app.decorateRequest('idempotency', null);

  const preHandler: preHandlerAsyncHookHandler = async (request, reply) => {
    const operationId = request.routeOptions.config.operationId;
    if (!operationId || !operations[operationId]?.mutating || !request.principal) return;
    const key = request.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
      return sendProblem(reply, 'bad_request', 'Idempotency-Key must be 1 to 255 characters.', {
        errors: [
          {
            path: '/header/Idempotency-Key',
            message: 'must be 1 to 255 characters',
            code: 'maxLength',
          },
        ],
      });
    }
    const principalId = request.principal.id;
    const fingerprint = requestFingerprint(request);
    const owner = randomBytes(12).toString('base64url');
    const fresh = {
      fingerprint,
      state: 'pending' as const,
      status: null,
      headers: null,
      body: null,
      owner,
      request_id: request.id,
      created_at: sql<Date>`now()`,
      expires_at: sql<Date>`now() + ${IDEMPOTENCY_TTL_MS}::bigint * interval '1 millisecond'`,
      locked_until: sql<Date>`now() + ${IDEMPOTENCY_LEASE_MS}::int * interval '1 millisecond'`,
    };
    const own = () => {
      const renew = setInterval(() => {
        db.updateTable('idempotency_keys')
          .set({
            locked_until: sql<Date>`now() + ${IDEMPOTENCY_LEASE_MS}::int * interval '1 millisecond'`,
          })
          .where('principal_id', '=', principalId)
          .where('key', '=', key)
          .where('owner', '=', owner)
          .execute()
          .catch((error) => request.log.warn({ err: error }, 'idempotency lease renewal failed'));
      }, IDEMPOTENCY_LEASE_MS / 3);
      renew.unref();
      request.idempotency = { principalId, key, owner, renew };
      // However the exchange ends (even without onSend), stop renewing.
      reply.raw.once('close', () => clearInterval(renew));
    };

    for (let tries = 0; tries < 3; tries++) {
      const inserted = await db
        .insertInto('idempotency_keys')
        .values({ principal_id: principalId, key, ...fresh })
        .onConflict((oc) => oc.columns(['principal_id', 'key']).doNothing())
        .returning('owner')
        .executeTakeFirst();
      if (inserted) return own();

      const row = await db
        .selectFrom('idempotency_keys')
        .selectAll()
        .select([
          sql<boolean>`expires_at <= now()`.as('expired'),
          sql<boolean>`locked_until IS NULL OR locked_until < now()`.as('stale'),
        ])
        .where('principal_id', '=', principalId)
        .where('key', '=', key)
        .executeTakeFirst();
      if (!row) continue; // purged meanwhile: insert again
      if (row.expired) {
        // A key older than 24 h is forgotten: this request starts over with it.
        const taken = await db
          .updateTable('idempotency_keys')
          .set(fresh)
          .where('principal_id', '=', principalId)
          .where('key', '=', key)
          .where(sql<boolean>`expires_at <= now()`)
          .returning('owner')
          .executeTakeFirst();
        if (taken) return own();
        continue;
      }
      if (row.fingerprint !== fingerprint) {
        return sendProblem(
          reply,
          'idempotency_key_reused',
          'This Idempotency-Key was first used with a different request (method, path or body); use a new key for a new request.',
        );
      }
      if (row.state === 'done' && row.status !== null) {
        return replay(request, reply, ctx, row);
      }
      if (row.stale) {
        const taken = await db
          .updateTable('idempotency_keys')
          .set({ owner, request_id: request.id, locked_until: fresh.locked_until })
          .where('principal_id', '=', principalId)
          .where('key', '=', key)
          .where('state', '=', 'pending')
          .where(sql<boolean>`locked_until IS NULL OR locked_until < now()`)
          .returning('owner')
          .executeTakeFirst();
        if (taken) return own();
      }
      break;
    }
    return sendProblem(
      reply,
      'idempotency_key_in_use',
      'A request with this Idempotency-Key is still being processed; retry after it finishes.',
    );
  };

  // Runs after the response check (an app hook): what is stored is what the client receives.
  const onSend: onSendHookHandler = async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = null;
    clearInterval(claim.renew);
    const status = reply.statusCode;
    const retryable =
      status >= 500 ||
      status === 429 ||
      status === 408 ||
      String(reply.getHeader('x-should-retry')) === 'true';
    let body = storable(reply, payload);
    let storedStatus = status;
    let storedHeaders: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) storedHeaders[name] = String(value);
    }
    if (status < 300 && /no-store/i.test(String(reply.getHeader('cache-control') ?? ''))) {
      // A response marked no-store carries a secret shown once (a new token): never keep
      // it. A replay learns that the call happened and where its result lives, not the secret.
      ({
        status: storedStatus,
        headers: storedHeaders,
        body,
      } = withheld(request, storedHeaders, body));
    }
    try {
      if (retryable || body === undefined) {
        await db
          .deleteFrom('idempotency_keys')
          .where('principal_id', '=', claim.principalId)
          .where('key', '=', claim.key)
          .where('owner', '=', claim.owner)
          .execute();
      } else {
        await db
          .updateTable('idempotency_keys')
          .set({
            state: 'done',
            status: storedStatus,
            headers: JSON.stringify(storedHeaders),
            body,
            owner: null,
            locked_until: null,
          })
          .where('principal_id', '=', claim.principalId)
          .where('key', '=', claim.key)
          .where('owner', '=', claim.owner)
          .execute();
      }
    } catch (error) {
      // The key stays pending until its lease runs out; then a retry runs again.
      request.log.error({ err: error }, 'storing the idempotent response failed');
    }
    return payload;
  };
  return { preHandler, onSend };
}

/**
 * What is kept of a response that must not be stored: a 409 `invalid_state` problem naming
 * the created resource (its `id` and `Location`), so a retry with the same key knows the
 * call succeeded without receiving the secret again.
 */
function withheld(
  request: FastifyRequest,
  headers: Record<string, string>,
  body: string | null | undefined,
): { status: number; headers: Record<string, string>; body: string } {
  let id: string | undefined;
  try {
    id = (JSON.parse(body ?? '') as { id?: string }).id;
  } catch {}
  const [status, title] = problemCodes.invalid_state;
  return {
    status,
    headers: {
      'content-type': 'application/problem+json',
      'x-should-retry': 'false',
      ...(headers.location && { location: headers.location }),
    },
    body: JSON.stringify({
      type: 'https://zhengwu.gov.cn/problems/invalid_state',
      title,
      status,
      detail: `The first request with this Idempotency-Key succeeded${id ? ` and created ${id}` : ''}; its response held a secret that is shown only once and is not replayed.`,
      instance: request.url.split('?')[0],
      code: 'invalid_state',
      requestId: request.id,
    }),
  };
}

/** The payload as stored text, or `undefined` when it cannot be replayed (a stream). */
function storable(reply: FastifyReply, payload: unknown): string | null | undefined {
  if (payload === undefined || payload === null || payload === '') return null;
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload) && /json|text/.test(String(reply.getHeader('content-type')))) {
    return payload.toString('utf8');
  }
  return undefined;
}

/** Answers with the stored first response, and audits the replay as a replay. */
async function replay(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: PlatformContext,
  row: {
    status: number | null;
    headers: Record<string, string> | null;
    body: string | null;
    request_id: string | null;
  },
): Promise<FastifyReply> {
  const status = row.status ?? 200;
  const principal = request.principal!;
  // The first request's event says which tenant and object the mutation concerned.
  const first = row.request_id
    ? await ctx.db
        .selectFrom('audit_events')
        .select(['tenant_id', 'target'])
        .where('request_id', '=', row.request_id)
        .where(sql<string>`principal->>'id'`, '=', principal.id)
        .where('action', '!=', 'idempotency.replay')
        .orderBy('sequence', 'desc')
        .limit(1)
        .executeTakeFirst()
    : undefined;
  let code: string | null = null;
  if (status >= 400 && row.body) {
    try {
      code = (JSON.parse(row.body) as { code?: string }).code ?? null;
    } catch {}
  }
  await ctx.audit.append(ctx.db, {
    principal: { type: principal.type, id: principal.id, name: principal.name },
    tenantId: first?.tenant_id ?? null,
    action: 'idempotency.replay',
    target: first?.target ?? null,
    outcome:
      status < 400
        ? 'success'
        : status === 401 || status === 403 || status === 404
          ? 'denied'
          : 'failure',
    reason: status < 400 ? null : (code ?? `HTTP ${status}`),
    sourceIp: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    requestId: request.id,
  });
  request.audited = true;
  reply.code(status);
  for (const [name, value] of Object.entries(row.headers ?? {})) reply.header(name, value);
  reply.header('idempotency-replayed', 'true');
  return row.body === null ? reply.send() : reply.send(row.body);
}

/** Deletes keys older than 24 h, in batches; returns how many. */
export async function purgeExpiredIdempotencyKeys(db: Db, batchSize = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await sql`
      DELETE FROM idempotency_keys
      WHERE (principal_id, key) IN (
        SELECT principal_id, key FROM idempotency_keys WHERE expires_at <= now() LIMIT ${batchSize}
      )`.execute(db);
    const deleted = Number(result.numAffectedRows ?? 0);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
