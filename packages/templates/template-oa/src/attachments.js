import { createHash, randomUUID } from 'node:crypto';
import { FILES_EDITABLE } from './chains.js';
import { inTransaction } from './db.js';
import { attachmentView } from './documents.js';
import { Problem } from './problem.js';

/**
 * 正文 (body text, one per document) and 附件 (attachments): bytes in object storage under
 * `documents/<document id>/`, metadata and SHA-256 in PostgreSQL. Files can change only
 * while the chain allows it — an outgoing document's text is frozen once it is submitted for
 * review (a return for revision unfreezes it), so what was signed is what gets numbered and
 * sealed.
 */

/**
 * @param {import('pg').PoolClient} client
 * @param {string} documentId
 */
async function lockEditable(client, documentId) {
  const { rows } = await client.query(
    'SELECT id, direction, status FROM documents WHERE id = $1 FOR UPDATE',
    [documentId],
  );
  const doc = rows[0];
  if (!doc) throw new Problem('not_found', `公文不存在 · Document ${documentId} not found`);
  if (
    !FILES_EDITABLE[/** @type {import('./chains.js').Direction} */ (doc.direction)].has(doc.status)
  ) {
    throw new Problem(
      'invalid_transition',
      '公文已送审或办结，正文和附件不能再修改 · The files of this document can no longer change in its current status',
      { extra: { status: doc.status } },
    );
  }
  return doc;
}

/**
 * Adds a file; a new 正文 replaces the previous one.
 * @param {import('pg').Pool} db
 * @param {import('./storage.js').Storage} storage
 * @param {{ documentId: string, kind: 'body'|'attachment', fileName: string, contentType: string, body: Buffer, actor: string, now: Date }} input
 */
export async function addAttachment(db, storage, input) {
  // Fail early (before the upload) on unknown documents or a frozen status.
  await inTransaction(db, (client) => lockEditable(client, input.documentId));
  const id = randomUUID();
  const objectKey = `documents/${input.documentId}/${id}`;
  const sha256 = createHash('sha256').update(input.body).digest('hex');
  await storage.put(objectKey, input.body, input.contentType, sha256);
  /** @type {string[]} */
  let replaced = [];
  try {
    const row = await inTransaction(db, async (client) => {
      await lockEditable(client, input.documentId);
      if (input.kind === 'body') {
        const old = await client.query(
          `DELETE FROM attachments WHERE document_id = $1 AND kind = 'body' RETURNING object_key`,
          [input.documentId],
        );
        replaced = old.rows.map((r) => r.object_key);
      }
      const { rows } = await client.query(
        `INSERT INTO attachments (id, document_id, kind, file_name, content_type, size_bytes, sha256, object_key, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
        [
          id,
          input.documentId,
          input.kind,
          input.fileName,
          input.contentType,
          input.body.length,
          sha256,
          objectKey,
          input.actor,
          input.now,
        ],
      );
      return rows[0];
    });
    for (const key of replaced) await storage.delete(key).catch(() => {});
    return attachmentView(row);
  } catch (error) {
    await storage.delete(objectKey).catch(() => {});
    throw error;
  }
}

/**
 * @param {import('pg').Pool} db
 * @param {string} documentId
 * @param {string} attachmentId
 */
export async function findAttachment(db, documentId, attachmentId) {
  const { rows } = await db.query('SELECT * FROM attachments WHERE document_id = $1 AND id = $2', [
    documentId,
    attachmentId,
  ]);
  if (!rows[0]) throw new Problem('not_found', `附件不存在 · Attachment ${attachmentId} not found`);
  return rows[0];
}

/**
 * @param {import('pg').Pool} db
 * @param {import('./storage.js').Storage} storage
 * @param {string} documentId
 * @param {string} attachmentId
 */
export async function removeAttachment(db, storage, documentId, attachmentId) {
  const objectKey = await inTransaction(db, async (client) => {
    await lockEditable(client, documentId);
    const { rows } = await client.query(
      'DELETE FROM attachments WHERE document_id = $1 AND id = $2 RETURNING object_key',
      [documentId, attachmentId],
    );
    if (!rows[0])
      throw new Problem('not_found', `附件不存在 · Attachment ${attachmentId} not found`);
    return rows[0].object_key;
  });
  // The row is gone; a failed object delete only leaves an unreachable object behind.
  await storage.delete(objectKey).catch(() => {});
}
