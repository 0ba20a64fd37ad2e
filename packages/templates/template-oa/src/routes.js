import { addAttachment, findAttachment, removeAttachment } from './attachments.js';
import { CHAINS, STATUS_LABELS } from './chains.js';
import {
  applyAction,
  draftOutgoing,
  getDocument,
  listDocuments,
  registerIncoming,
} from './documents.js';
import { CLASSIFICATIONS, DOC_TYPES, URGENCIES } from './marks.js';
import { Problem } from './problem.js';

/** @typedef {{ db: import('pg').Pool, storage: import('./storage.js').Storage, maxUploadBytes: number, now: () => Date }} Deps */

const text = (/** @type {number} */ max) => ({ type: 'string', minLength: 1, maxLength: max });
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const names = { type: 'array', maxItems: 50, items: text(100) };

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', format: 'uuid' } },
  required: ['id'],
};

// Classification and urgency are checked in code (marks.js), so a classified document gets
// its own clear refusal instead of a generic enum error.
const marks = {
  title: text(300),
  docType: { type: 'string', enum: DOC_TYPES },
  classification: text(20),
  urgency: text(20),
  actor: text(100),
};

const incomingBody = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'docType', 'classification', 'urgency', 'sourceOrg'],
  properties: {
    ...marks,
    sourceOrg: text(200),
    sourceNumber: text(100),
    receivedOn: date,
    dueOn: date,
  },
};

const outgoingBody = {
  type: 'object',
  additionalProperties: false,
  required: [
    'title',
    'docType',
    'classification',
    'urgency',
    'issuingOrg',
    'numberPrefix',
    'mainRecipients',
  ],
  properties: {
    ...marks,
    issuingOrg: text(200),
    // 机关代字, e.g. X府办发: Chinese characters, letters and digits only (it is printed in the number).
    numberPrefix: { type: 'string', pattern: '^[\\p{Script=Han}A-Za-z0-9]{1,20}$' },
    mainRecipients: { ...names, minItems: 1 },
    ccRecipients: names,
    countersignDepartments: { ...names, maxItems: 20 },
  },
};

const actionBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    actor: text(100),
    opinion: text(4000),
    undertaker: text(100),
    department: text(100),
  },
};

const attachmentParams = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    attachmentId: { type: 'string', format: 'uuid' },
  },
  required: ['id', 'attachmentId'],
};

/**
 * The JSON API under /api.
 * @param {import('fastify').FastifyInstance} app
 * @param {Deps} deps
 */
export function registerRoutes(app, deps) {
  const { db, storage, now } = deps;

  app.get('/api/meta', async () => ({
    classifications: CLASSIFICATIONS,
    urgencies: URGENCIES,
    docTypes: DOC_TYPES,
    statuses: STATUS_LABELS,
    chains: CHAINS,
  }));

  app.get(
    '/api/documents',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            direction: { type: 'string', enum: ['incoming', 'outgoing'] },
            status: { type: 'string', maxLength: 50 },
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
      },
    },
    async (request) => listDocuments(db, /** @type {any} */ (request.query)),
  );

  app.post(
    '/api/documents/incoming',
    { schema: { body: incomingBody } },
    async (request, reply) => {
      const created = await registerIncoming(db, /** @type {any} */ (request.body), now());
      return reply.code(201).header('location', `documents/${created.id}`).send(created);
    },
  );

  app.post(
    '/api/documents/outgoing',
    { schema: { body: outgoingBody } },
    async (request, reply) => {
      const created = await draftOutgoing(db, /** @type {any} */ (request.body), now());
      return reply.code(201).header('location', `documents/${created.id}`).send(created);
    },
  );

  app.get('/api/documents/:id', { schema: { params: idParams } }, async (request) =>
    getDocument(db, /** @type {{ id: string }} */ (request.params).id),
  );

  app.post(
    '/api/documents/:id/actions/:action',
    {
      schema: {
        params: {
          type: 'object',
          properties: {
            id: { type: 'string', format: 'uuid' },
            action: { type: 'string', maxLength: 50 },
          },
          required: ['id', 'action'],
        },
        body: actionBody,
      },
    },
    async (request) => {
      const { id, action } = /** @type {{ id: string, action: string }} */ (request.params);
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
      '/api/documents/:id/attachments',
      {
        schema: {
          params: idParams,
          querystring: {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'fileName'],
            properties: {
              kind: { type: 'string', enum: ['body', 'attachment'] },
              fileName: text(255),
              actor: text(100),
            },
          },
        },
      },
      async (request, reply) => {
        const { id } = /** @type {{ id: string }} */ (request.params);
        const query =
          /** @type {{ kind: 'body'|'attachment', fileName: string, actor?: string }} */ (
            request.query
          );
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0) {
          throw new Problem('validation_failed', '文件为空 · The file is empty', {
            errors: [{ path: 'body', message: 'empty' }],
          });
        }
        const contentType = String(
          request.headers['content-type'] ?? 'application/octet-stream',
        ).slice(0, 200);
        const attachment = await addAttachment(db, storage, {
          documentId: id,
          kind: query.kind,
          fileName: query.fileName,
          contentType,
          body,
          actor: query.actor ?? '经办人 · Clerk',
          now: now(),
        });
        return reply.code(201).send(attachment);
      },
    );
  });

  app.get(
    '/api/documents/:id/attachments/:attachmentId',
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
        .header('x-content-type-options', 'nosniff')
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(row.file_name)}`,
        )
        .send(stream);
    },
  );

  app.delete(
    '/api/documents/:id/attachments/:attachmentId',
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
