import { listCategories, listDepartments } from './catalog.js';
import { listEventLog } from './notifications.js';
import { Problem } from './problem.js';
import { STAGE_LABELS, TIMER_LABELS } from './sla.js';
import { ACTIONS, isAction, RULES, STATUS_LABELS } from './state-machine.js';
import { superviseByHand } from './supervision.js';
import { applyAction, createWorkOrder, getWorkOrder, listWorkOrders } from './work-orders.js';

/** @typedef {{ db: import('pg').Pool, now: () => Date, afterChange: () => void }} Deps */

const text = (/** @type {number} */ max) => ({ type: 'string', minLength: 1, maxLength: max });

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', format: 'uuid' } },
  required: ['id'],
};

export const CHANNELS = {
  phone: '电话 · Phone',
  web: '网站 · Website',
  app: '移动端 · Mobile app',
};

const intakeBody = {
  type: 'object',
  additionalProperties: false,
  required: ['channel', 'citizen', 'category', 'location', 'content'],
  properties: {
    channel: { type: 'string', enum: Object.keys(CHANNELS) },
    citizen: {
      type: 'object',
      additionalProperties: false,
      required: ['phone'],
      properties: {
        name: text(50),
        phone: { type: 'string', pattern: '^[0-9+()\\- ]{5,20}$' },
      },
    },
    category: text(50),
    location: text(300),
    content: text(4000),
    urgent: { type: 'boolean' },
    actor: text(100),
  },
};

const actionBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    actor: text(100),
    department: text(50),
    reason: text(2000),
    reply: text(4000),
    rating: { type: 'integer', minimum: 1, maximum: 5 },
    comment: text(2000),
  },
};

/**
 * The JSON API under /api.
 * @param {import('fastify').FastifyInstance} app
 * @param {Deps} deps
 */
export function registerRoutes(app, deps) {
  const { db, now, afterChange } = deps;

  app.get('/api/meta', async () => ({
    channels: CHANNELS,
    categories: await listCategories(db),
    departments: await listDepartments(db),
    statuses: STATUS_LABELS,
    actions: Object.fromEntries(ACTIONS.map((a) => [a, RULES[a]])),
    timerStates: TIMER_LABELS,
    stages: STAGE_LABELS,
  }));

  app.get(
    '/api/work-orders',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: Object.keys(STATUS_LABELS) },
            department: { type: 'string', maxLength: 50 },
            timer: { type: 'string', enum: Object.keys(TIMER_LABELS) },
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
      },
    },
    async (request) => listWorkOrders(db, /** @type {any} */ (request.query), now()),
  );

  app.post('/api/work-orders', { schema: { body: intakeBody } }, async (request, reply) => {
    const created = await createWorkOrder(db, /** @type {any} */ (request.body), now());
    afterChange();
    return reply.code(201).header('location', `work-orders/${created.id}`).send(created);
  });

  app.get('/api/work-orders/:id', { schema: { params: idParams } }, async (request) =>
    getWorkOrder(db, /** @type {{ id: string }} */ (request.params).id, now()),
  );

  app.get('/api/work-orders/:id/events', { schema: { params: idParams } }, async (request) => {
    const { id } = /** @type {{ id: string }} */ (request.params);
    await getWorkOrder(db, id, now()); // 404 for unknown orders
    return { items: await listEventLog(db, id) };
  });

  app.post(
    '/api/work-orders/:id/actions/:action',
    {
      schema: {
        params: {
          type: 'object',
          properties: { id: { type: 'string', format: 'uuid' }, action: { type: 'string' } },
          required: ['id', 'action'],
        },
        body: actionBody,
      },
    },
    async (request) => {
      const { id, action } = /** @type {{ id: string, action: string }} */ (request.params);
      if (!isAction(action)) {
        throw new Problem('not_found', `未知操作 · Unknown action ${action}`, {
          extra: { actions: ACTIONS },
        });
      }
      const result = await applyAction(
        db,
        id,
        action,
        /** @type {any} */ (request.body) ?? {},
        now(),
      );
      afterChange();
      return result;
    },
  );

  app.post(
    '/api/work-orders/:id/supervise',
    {
      schema: {
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['note'],
          properties: { actor: text(100), note: text(2000) },
        },
      },
    },
    async (request) => {
      const { id } = /** @type {{ id: string }} */ (request.params);
      await superviseByHand(db, id, /** @type {any} */ (request.body), now());
      afterChange();
      return getWorkOrder(db, id, now());
    },
  );
}
