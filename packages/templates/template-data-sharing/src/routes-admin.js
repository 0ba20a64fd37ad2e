import {
  createConsumer,
  deleteGrant,
  listConsumers,
  listGrants,
  putGrant,
  revokeConsumer,
  rotateKey,
} from './consumers.js';
import { createDataset, listDatasets, updateDataset } from './datasets.js';
import { Problem } from './problem.js';
import { sameSecret } from './secrets.js';

/**
 * The publishing department's API under /api/admin, behind `Authorization: Bearer
 * <ADMIN_TOKEN>`. Put the platform's SSO in front for named administrators in production.
 */

const text = (/** @type {number} */ max) => ({ type: 'string', minLength: 1, maxLength: max });
const columnList = {
  type: 'array',
  minItems: 1,
  maxItems: 200,
  items: { type: 'string', pattern: '^[a-z_][a-z0-9_]*$' },
};
const shareType = { type: 'string', enum: ['unconditional', 'conditional'] };
const uuidParam = { type: 'string', format: 'uuid' };

/**
 * @param {import('fastify').FastifyInstance} scope
 * @param {{ db: import('pg').Pool, adminToken: string, defaultRateLimit: number }} deps
 */
export async function adminRoutes(scope, { db, adminToken, defaultRateLimit }) {
  scope.addHook('onRequest', async (request) => {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!sameSecret(token, adminToken)) {
      throw new Problem(
        'unauthorized',
        '需要管理令牌 · An admin token is required (Authorization: Bearer …)',
        {
          headers: { 'www-authenticate': 'Bearer realm="data-sharing-admin"' },
        },
      );
    }
  });

  scope.get('/datasets', async () => ({ items: await listDatasets(db) }));

  scope.post(
    '/datasets',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'name', 'source', 'shareType'],
          properties: {
            id: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,62}$' },
            name: text(200),
            description: { type: 'string', maxLength: 2000 },
            source: text(130),
            columns: columnList,
            orderBy: columnList,
            shareType,
            cacheTtlSeconds: { type: 'integer', minimum: 0, maximum: 86400 },
          },
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createDataset(db, /** @type {any} */ (request.body))),
  );

  scope.patch(
    '/datasets/:id',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            name: text(200),
            description: { type: 'string', maxLength: 2000 },
            columns: columnList,
            orderBy: columnList,
            shareType,
            cacheTtlSeconds: { type: 'integer', minimum: 0, maximum: 86400 },
            active: { type: 'boolean' },
          },
        },
      },
    },
    async (request) =>
      updateDataset(
        db,
        /** @type {{ id: string }} */ (request.params).id,
        /** @type {any} */ (request.body),
      ),
  );

  // A new version makes every cached page of the dataset unreachable (they expire by TTL).
  scope.post('/datasets/:id/purge-cache', async (request) =>
    updateDataset(db, /** @type {{ id: string }} */ (request.params).id, {}),
  );

  scope.get('/consumers', async () => ({ items: await listConsumers(db) }));

  scope.post(
    '/consumers',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'department'],
          properties: {
            name: text(200),
            department: text(200),
            contact: { type: 'string', maxLength: 200 },
            rateLimitPerMinute: { type: 'integer', minimum: 1, maximum: 100000 },
          },
        },
      },
    },
    async (request, reply) => {
      const body = /** @type {any} */ (request.body);
      const created = await createConsumer(db, {
        ...body,
        rateLimitPerMinute: body.rateLimitPerMinute ?? defaultRateLimit,
      });
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );

  const consumerParams = { type: 'object', properties: { id: uuidParam }, required: ['id'] };

  scope.post(
    '/consumers/:id/rotate-key',
    { schema: { params: consumerParams } },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send(await rotateKey(db, /** @type {any} */ (request.params).id)),
  );

  scope.delete('/consumers/:id', { schema: { params: consumerParams } }, async (request) =>
    revokeConsumer(db, /** @type {any} */ (request.params).id),
  );

  scope.get('/consumers/:id/grants', { schema: { params: consumerParams } }, async (request) => ({
    items: await listGrants(db, /** @type {any} */ (request.params).id),
  }));

  const grantParams = {
    type: 'object',
    properties: { id: uuidParam, datasetId: { type: 'string', maxLength: 63 } },
    required: ['id', 'datasetId'],
  };

  scope.put(
    '/consumers/:id/grants/:datasetId',
    {
      schema: {
        params: grantParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['purpose'],
          properties: { purpose: text(500), expiresAt: { type: 'string', format: 'date-time' } },
        },
      },
    },
    async (request) => {
      const { id, datasetId } = /** @type {any} */ (request.params);
      return putGrant(db, id, datasetId, /** @type {any} */ (request.body));
    },
  );

  scope.delete(
    '/consumers/:id/grants/:datasetId',
    { schema: { params: grantParams } },
    async (request, reply) => {
      const { id, datasetId } = /** @type {any} */ (request.params);
      await deleteGrant(db, id, datasetId);
      return reply.code(204).send();
    },
  );

  scope.get(
    '/call-logs',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            consumerId: uuidParam,
            datasetId: { type: 'string', maxLength: 63 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          },
        },
      },
    },
    async (request) => {
      const q = /** @type {{ consumerId?: string, datasetId?: string, limit: number }} */ (
        request.query
      );
      /** @type {unknown[]} */
      const params = [];
      const where = [];
      if (q.consumerId) where.push(`l.consumer_id = $${params.push(q.consumerId)}`);
      if (q.datasetId) where.push(`l.dataset_id = $${params.push(q.datasetId)}`);
      const { rows } = await db.query(
        `SELECT l.*, c.name AS consumer_name FROM sharing.call_logs l
         LEFT JOIN sharing.consumers c ON c.id = l.consumer_id
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY l.id DESC LIMIT $${params.push(q.limit)}`,
        params,
      );
      return {
        items: rows.map((r) => ({
          id: Number(r.id),
          at: r.at,
          consumerId: r.consumer_id,
          consumerName: r.consumer_name,
          datasetId: r.dataset_id,
          method: r.method,
          path: r.path,
          status: r.status,
          rows: r.rows,
          cached: r.cached,
          durationMs: r.duration_ms,
          clientIp: r.client_ip,
        })),
      };
    },
  );
}
