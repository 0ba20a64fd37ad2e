import {
  applyAction,
  createApplication,
  getApplication,
  getMatter,
  listApplications,
  listMatters,
} from './applications.js';
import { addAttachment, findAttachment, removeAttachment } from './attachments.js';
import { isValidIdCard, isValidUscc } from './identity-numbers.js';
import { Problem } from './problem.js';
import { ACTIONS, isAction, RULES, STATUS_LABELS } from './state-machine.js';

/** @typedef {{ db: import('pg').Pool, storage: import('./storage.js').Storage, maxUploadBytes: number, now: () => Date }} Deps */

const uuidParams = {
  type: 'object',
  properties: { id: { type: 'string', format: 'uuid' } },
  required: ['id'],
};

const text = (max) => ({ type: 'string', minLength: 1, maxLength: max });

const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['matterId', 'applicant'],
  properties: {
    matterId: text(100),
    actor: text(100),
    applicant: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'name', 'idNumber', 'phone'],
      properties: {
        type: { type: 'string', enum: ['person', 'organization'] },
        name: text(200),
        idNumber: { type: 'string', minLength: 18, maxLength: 18 },
        phone: { type: 'string', pattern: '^[0-9+()\\- ]{5,20}$' },
      },
    },
    form: { type: 'object', maxProperties: 100 },
  },
};

const actionBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    actor: text(100),
    opinion: text(2000),
    reason: text(2000),
    note: text(2000),
    deliveryMethod: text(200),
  },
};

/**
 * The JSON API under /api.
 * @param {import('fastify').FastifyInstance} app
 * @param {Deps} deps
 */
export function registerRoutes(app, deps) {
  const { db, storage, now } = deps;

  app.get('/api/workflow', async () => ({
    statuses: STATUS_LABELS,
    actions: Object.fromEntries(ACTIONS.map((a) => [a, RULES[a]])),
  }));

  app.get('/api/matters', async () => ({ items: await listMatters(db) }));

  app.get('/api/matters/:id', async (request) =>
    getMatter(db, /** @type {{ id: string }} */ (request.params).id),
  );

  app.get(
    '/api/applications',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: Object.keys(STATUS_LABELS) },
            matterId: { type: 'string', maxLength: 100 },
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
      },
    },
    async (request) => listApplications(db, /** @type {any} */ (request.query)),
  );

  app.post('/api/applications', { schema: { body: createBody } }, async (request, reply) => {
    const body = /** @type {any} */ (request.body);
    const { type, idNumber } = body.applicant;
    const valid = type === 'person' ? isValidIdCard(idNumber) : isValidUscc(idNumber);
    if (!valid) {
      throw new Problem(
        'validation_failed',
        type === 'person'
          ? '身份证号码无效 · Invalid resident ID number'
          : '统一社会信用代码无效 · Invalid unified social credit code',
        { errors: [{ path: 'body/applicant/idNumber', message: 'checksum mismatch' }] },
      );
    }
    const created = await createApplication(db, body, now());
    return reply.code(201).header('location', `applications/${created.id}`).send(created);
  });

  app.get('/api/applications/:id', { schema: { params: uuidParams } }, async (request) =>
    getApplication(db, /** @type {{ id: string }} */ (request.params).id),
  );

  app.post(
    '/api/applications/:id/actions/:action',
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
      return applyAction(db, id, action, /** @type {any} */ (request.body) ?? {}, now());
    },
  );

  // Uploads take the raw bytes as the body; only this scope parses every content type so.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: deps.maxUploadBytes },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      '/api/applications/:id/attachments',
      {
        schema: {
          params: uuidParams,
          querystring: {
            type: 'object',
            required: ['material', 'fileName'],
            properties: { material: text(100), fileName: text(255) },
          },
        },
      },
      async (request, reply) => {
        const { id } = /** @type {{ id: string }} */ (request.params);
        const { material, fileName } = /** @type {{ material: string, fileName: string }} */ (
          request.query
        );
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0) {
          throw new Problem('validation_failed', '文件为空 · The file is empty', {
            errors: [{ path: 'body', message: 'empty' }],
          });
        }
        const attachment = await addAttachment(db, storage, {
          applicationId: id,
          materialKey: material,
          fileName,
          contentType: request.headers['content-type'] ?? 'application/octet-stream',
          body,
        });
        return reply.code(201).send(attachment);
      },
    );
  });

  const attachmentParams = {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      attachmentId: { type: 'string', format: 'uuid' },
    },
    required: ['id', 'attachmentId'],
  };

  app.get(
    '/api/applications/:id/attachments/:attachmentId',
    { schema: { params: attachmentParams } },
    async (request, reply) => {
      const { id, attachmentId } = /** @type {{ id: string, attachmentId: string }} */ (
        request.params
      );
      const row = await findAttachment(db, id, attachmentId);
      const stream = await storage.get(row.object_key);
      return reply
        .type(row.content_type)
        .header('content-length', String(row.size_bytes))
        .header('x-content-sha256', row.sha256)
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(row.file_name)}`,
        )
        .send(stream);
    },
  );

  app.delete(
    '/api/applications/:id/attachments/:attachmentId',
    { schema: { params: attachmentParams } },
    async (request, reply) => {
      const { id, attachmentId } = /** @type {{ id: string, attachmentId: string }} */ (
        request.params
      );
      await removeAttachment(db, storage, id, attachmentId);
      return reply.code(204).send();
    },
  );
}
