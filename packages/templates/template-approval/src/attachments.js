import { createHash, randomUUID } from 'node:crypto';
import { attachmentView, getMatter, inTransaction, lockEditable } from './applications.js';
import { Problem } from './problem.js';

/**
 * Application materials: bytes in object storage under `applications/<application id>/`,
 * metadata and SHA-256 in PostgreSQL. An object is written first and its row second; when
 * the row cannot be written the object is removed again, so no row points at nothing.
 */

/**
 * @param {import('pg').Pool} db
 * @param {import('./storage.js').Storage} storage
 * @param {{ applicationId: string, materialKey: string, fileName: string, contentType: string, body: Buffer }} input
 */
export async function addAttachment(db, storage, input) {
  // Fail early (before the upload) on unknown applications, materials or a closed status.
  await inTransaction(db, async (client) => {
    const row = await lockEditable(client, input.applicationId);
    const matter = await getMatter(client, row.matter_id);
    if (!matter.materials.some((/** @type {{ key: string }} */ m) => m.key === input.materialKey)) {
      throw new Problem(
        'validation_failed',
        `事项没有此材料 · Unknown material ${input.materialKey}`,
        {
          errors: [{ path: 'query/material', message: 'unknown material' }],
        },
      );
    }
  });
  const id = randomUUID();
  const objectKey = `applications/${input.applicationId}/${id}`;
  const sha256 = createHash('sha256').update(input.body).digest('hex');
  await storage.put(objectKey, input.body, input.contentType);
  try {
    const row = await inTransaction(db, async (client) => {
      await lockEditable(client, input.applicationId);
      const { rows } = await client.query(
        `INSERT INTO attachments (id, application_id, material_key, file_name, content_type, size_bytes, sha256, object_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [
          id,
          input.applicationId,
          input.materialKey,
          input.fileName,
          input.contentType,
          input.body.length,
          sha256,
          objectKey,
        ],
      );
      return rows[0];
    });
    return attachmentView(row);
  } catch (error) {
    await storage.delete(objectKey).catch(() => {});
    throw error;
  }
}

/**
 * @param {import('pg').Pool} db
 * @param {string} applicationId
 * @param {string} attachmentId
 */
export async function findAttachment(db, applicationId, attachmentId) {
  const { rows } = await db.query(
    'SELECT * FROM attachments WHERE application_id = $1 AND id = $2',
    [applicationId, attachmentId],
  );
  if (!rows[0]) throw new Problem('not_found', `附件不存在 · Attachment ${attachmentId} not found`);
  return rows[0];
}

/**
 * @param {import('pg').Pool} db
 * @param {import('./storage.js').Storage} storage
 * @param {string} applicationId
 * @param {string} attachmentId
 */
export async function removeAttachment(db, storage, applicationId, attachmentId) {
  const objectKey = await inTransaction(db, async (client) => {
    await lockEditable(client, applicationId);
    const { rows } = await client.query(
      'DELETE FROM attachments WHERE application_id = $1 AND id = $2 RETURNING object_key',
      [applicationId, attachmentId],
    );
    if (!rows[0])
      throw new Problem('not_found', `附件不存在 · Attachment ${attachmentId} not found`);
    return rows[0].object_key;
  });
  // The row is gone; a failed object delete only leaves an unreachable object behind.
  await storage.delete(objectKey).catch(() => {});
}
