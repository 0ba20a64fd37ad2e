import { allowedActions, CHAINS, INITIAL, nextStatus, ruleOf, STATUS_LABELS } from './chains.js';
import { inTransaction } from './db.js';
import { acceptClassification, acceptUrgency, CLASSIFICATIONS, URGENCIES } from './marks.js';
import { allocateSequence, cstYear, formatNumber, INCOMING_PREFIX } from './numbering.js';
import { Problem } from './problem.js';

/**
 * 公文 in PostgreSQL. Every step runs in one transaction that locks the document, checks its
 * chain (chains.js), applies the step's own rules and appends to `document_steps`.
 */

/** @typedef {import('pg').Pool} Pool */
/** @typedef {import('pg').PoolClient} PoolClient */
/** @typedef {import('./chains.js').Direction} Direction */

/** @param {any} row */
export function documentView(row) {
  /** @type {Direction} */
  const direction = row.direction;
  const common = {
    id: row.id,
    direction,
    title: row.title,
    docType: row.doc_type,
    classification: row.classification,
    classificationLabel:
      CLASSIFICATIONS[/** @type {keyof typeof CLASSIFICATIONS} */ (row.classification)],
    urgency: row.urgency,
    urgencyLabel: URGENCIES[/** @type {keyof typeof URGENCIES} */ (row.urgency)],
    status: row.status,
    statusLabel: STATUS_LABELS[direction][row.status],
    allowedActions: allowedActions(direction, row.status),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (direction === 'incoming') {
    return {
      ...common,
      registrationNo: row.registration_no,
      sourceOrg: row.source_org,
      sourceNumber: row.source_number,
      receivedOn: row.received_on,
      dueOn: row.due_on,
      undertaker: row.undertaker,
    };
  }
  return {
    ...common,
    issuingOrg: row.issuing_org,
    numberPrefix: row.number_prefix,
    docNumber: row.doc_number,
    mainRecipients: row.main_recipients,
    ccRecipients: row.cc_recipients,
    countersignDepartments: row.countersign_departments,
    signer: row.signer,
    signedAt: row.signed_at,
    numberedAt: row.numbered_at,
    sealedAt: row.sealed_at,
    archivedAt: row.archived_at,
  };
}

// Dates as written (`::text`), not shifted by the server's time zone.
const SELECT_DOCUMENT = `SELECT d.*, d.received_on::text AS received_on, d.due_on::text AS due_on FROM documents d`;

/** @param {Pool | PoolClient} db @param {string} id */
async function selectDocument(db, id) {
  const { rows } = await db.query(`${SELECT_DOCUMENT} WHERE d.id = $1`, [id]);
  if (!rows[0]) throw new Problem('not_found', `公文不存在 · Document ${id} not found`);
  return rows[0];
}

/**
 * @param {PoolClient} client
 * @param {{ id: string, action: string, from: string | null, to: string, actor: string, department?: string | null, opinion?: string | null, at: Date }} step
 */
async function recordStep(client, step) {
  await client.query(
    `INSERT INTO document_steps (document_id, action, from_status, to_status, actor, department, opinion, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      step.id,
      step.action,
      step.from,
      step.to,
      step.actor,
      step.department ?? null,
      step.opinion ?? null,
      step.at,
    ],
  );
}

/**
 * 收文登记: registers an incoming document and gives it its 收文编号.
 * @param {Pool} db
 * @param {{ title: string, docType: string, classification: string, urgency: string, sourceOrg: string, sourceNumber?: string, receivedOn?: string, dueOn?: string, actor?: string }} input
 * @param {Date} now
 */
export async function registerIncoming(db, input, now) {
  const classification = acceptClassification(input.classification);
  const urgency = acceptUrgency(input.urgency);
  const actor = input.actor ?? '收文员 · Registry clerk';
  const id = await inTransaction(db, async (client) => {
    const year = cstYear(now);
    const seq = await allocateSequence(client, INCOMING_PREFIX, year);
    const { rows } = await client.query(
      `INSERT INTO documents (direction, title, doc_type, classification, urgency, status, created_by, created_at, updated_at,
         source_org, source_number, received_on, due_on, registration_no)
       VALUES ('incoming', $1, $2, $3, $4, $5, $6, $7, $7, $8, $9, COALESCE($10::date, ($7::timestamptz AT TIME ZONE 'Asia/Shanghai')::date), $11, $12)
       RETURNING id`,
      [
        input.title,
        input.docType,
        classification,
        urgency,
        INITIAL.incoming,
        actor,
        now,
        input.sourceOrg,
        input.sourceNumber ?? null,
        input.receivedOn ?? null,
        input.dueOn ?? null,
        formatNumber(INCOMING_PREFIX, year, seq),
      ],
    );
    const docId = rows[0].id;
    await recordStep(client, {
      id: docId,
      action: 'register',
      from: null,
      to: INITIAL.incoming,
      actor,
      at: now,
    });
    return docId;
  });
  return documentView(await selectDocument(db, id));
}

/**
 * 拟稿: starts an outgoing document. Its 发文字号 is assigned only at 编号, after 签发.
 * @param {Pool} db
 * @param {{ title: string, docType: string, classification: string, urgency: string, issuingOrg: string, numberPrefix: string, mainRecipients: string[], ccRecipients?: string[], countersignDepartments?: string[], actor?: string }} input
 * @param {Date} now
 */
export async function draftOutgoing(db, input, now) {
  const classification = acceptClassification(input.classification);
  const urgency = acceptUrgency(input.urgency);
  const actor = input.actor ?? '拟稿人 · Drafter';
  const countersign = [...new Set(input.countersignDepartments ?? [])];
  const id = await inTransaction(db, async (client) => {
    const { rows } = await client.query(
      `INSERT INTO documents (direction, title, doc_type, classification, urgency, status, created_by, created_at, updated_at,
         issuing_org, number_prefix, main_recipients, cc_recipients, countersign_departments)
       VALUES ('outgoing', $1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        input.title,
        input.docType,
        classification,
        urgency,
        INITIAL.outgoing,
        actor,
        now,
        input.issuingOrg,
        input.numberPrefix,
        input.mainRecipients,
        input.ccRecipients ?? [],
        countersign,
      ],
    );
    const docId = rows[0].id;
    await recordStep(client, {
      id: docId,
      action: 'draft',
      from: null,
      to: INITIAL.outgoing,
      actor,
      at: now,
    });
    return docId;
  });
  return documentView(await selectDocument(db, id));
}

/**
 * One step of a document's chain.
 * @param {Pool} db
 * @param {string} id
 * @param {string} action
 * @param {{ actor?: string, opinion?: string, undertaker?: string, department?: string }} body
 * @param {Date} now
 */
export async function applyAction(db, id, action, body, now) {
  await inTransaction(db, async (client) => {
    const { rows } = await client.query('SELECT * FROM documents WHERE id = $1 FOR UPDATE', [id]);
    const doc = rows[0];
    if (!doc) throw new Problem('not_found', `公文不存在 · Document ${id} not found`);
    /** @type {Direction} */
    const direction = doc.direction;
    const rule = ruleOf(direction, action);
    if (!rule) {
      throw new Problem(
        'not_found',
        `${direction === 'incoming' ? '收文' : '发文'}没有此操作 · No action ${action} for ${direction} documents`,
        {
          extra: { actions: Object.keys(CHAINS[direction]) },
        },
      );
    }
    const missing = rule.requires.filter((field) => !body[field]);
    if (missing.length) {
      throw new Problem('validation_failed', `缺少字段 · Missing: ${missing.join(', ')}`, {
        errors: missing.map((field) => ({ path: `body/${field}`, message: 'required' })),
      });
    }
    if (!rule.from.includes(doc.status)) {
      throw new Problem(
        'invalid_transition',
        `公文「${STATUS_LABELS[direction][doc.status]}」，不能「${rule.label}」 · Cannot ${action} a document in status ${doc.status}`,
        { extra: { status: doc.status, allowedActions: allowedActions(direction, doc.status) } },
      );
    }
    const actor = body.actor ?? '经办人 · Clerk';
    /** @type {Record<string, unknown>} */
    const set = {};
    let countersignsLeft = 0;

    switch (`${direction}:${action}`) {
      case 'incoming:instruct':
        set.undertaker = body.undertaker;
        break;
      case 'incoming:undertake':
        if (body.department !== doc.undertaker) {
          throw new Problem(
            'forbidden',
            `只有批办指定的承办部门「${doc.undertaker}」可以承办 · Only the assigned department ${doc.undertaker} can undertake this document`,
          );
        }
        break;
      case 'outgoing:submit': {
        const { rows: bodyFile } = await client.query(
          `SELECT 1 FROM attachments WHERE document_id = $1 AND kind = 'body'`,
          [id],
        );
        if (!bodyFile.length) {
          throw new Problem(
            'body_missing',
            '请先上传公文正文 · Upload the body text (正文) before submitting',
          );
        }
        break;
      }
      case 'outgoing:review':
        countersignsLeft = doc.countersign_departments.length;
        break;
      case 'outgoing:countersign': {
        if (!doc.countersign_departments.includes(body.department)) {
          throw new Problem(
            'forbidden',
            `「${body.department}」不是会签部门 · ${body.department} is not a countersigning department`,
            {
              extra: { countersignDepartments: doc.countersign_departments },
            },
          );
        }
        const inserted = await client.query(
          `INSERT INTO countersigns (document_id, department, actor, opinion, at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT DO NOTHING`,
          [id, body.department, actor, body.opinion, now],
        );
        if (!inserted.rowCount) {
          throw new Problem(
            'conflict',
            `「${body.department}」已会签 · ${body.department} has already countersigned`,
          );
        }
        const { rows: signed } = await client.query(
          'SELECT count(*)::int AS n FROM countersigns WHERE document_id = $1',
          [id],
        );
        countersignsLeft = doc.countersign_departments.length - signed[0].n;
        break;
      }
      case 'outgoing:sign':
        // 拟稿与签发分离 · the drafter does not sign their own draft.
        if (actor === doc.created_by) {
          throw new Problem(
            'forbidden',
            '签发人不能是拟稿人 · The drafter cannot sign their own document',
          );
        }
        set.signer = actor;
        set.signed_at = now;
        break;
      case 'outgoing:number': {
        const year = cstYear(now);
        const seq = await allocateSequence(client, doc.number_prefix, year);
        Object.assign(set, {
          doc_year: year,
          doc_seq: seq,
          doc_number: formatNumber(doc.number_prefix, year, seq),
          numbered_at: now,
        });
        break;
      }
      case 'outgoing:seal':
        set.sealed_at = now;
        break;
      case 'outgoing:distribute':
        set.archived_at = now;
        break;
      case 'outgoing:return':
        await client.query('DELETE FROM countersigns WHERE document_id = $1', [id]);
        break;
    }

    const to = /** @type {string} */ (
      nextStatus(direction, doc.status, action, { countersignsLeft })
    );
    const columns = Object.keys(set);
    await client.query(
      `UPDATE documents SET status = $2, updated_at = $3${columns.map((c, i) => `, ${c} = $${i + 4}`).join('')} WHERE id = $1`,
      [id, to, now, ...Object.values(set)],
    );
    await recordStep(client, {
      id,
      action,
      from: doc.status,
      to,
      actor,
      department: body.department ?? body.undertaker ?? null,
      opinion: body.opinion ?? null,
      at: now,
    });
  });
  return getDocument(db, id);
}

/** @param {any} row */
export const attachmentView = (row) => ({
  id: row.id,
  kind: row.kind,
  fileName: row.file_name,
  contentType: row.content_type,
  sizeBytes: Number(row.size_bytes),
  sha256: row.sha256,
  uploadedBy: row.uploaded_by,
  uploadedAt: row.uploaded_at,
});

/** @param {Pool} db @param {string} id */
export async function getDocument(db, id) {
  const row = await selectDocument(db, id);
  const [steps, countersigns, attachments] = await Promise.all([
    db.query('SELECT * FROM document_steps WHERE document_id = $1 ORDER BY id', [id]),
    db.query('SELECT * FROM countersigns WHERE document_id = $1 ORDER BY at, department', [id]),
    db.query(`SELECT * FROM attachments WHERE document_id = $1 ORDER BY kind DESC, uploaded_at`, [
      id,
    ]),
  ]);
  return {
    ...documentView(row),
    steps: steps.rows.map((s) => ({
      action: s.action,
      from: s.from_status,
      to: s.to_status,
      actor: s.actor,
      department: s.department,
      opinion: s.opinion,
      at: s.at,
    })),
    countersigns: countersigns.rows.map((c) => ({
      department: c.department,
      actor: c.actor,
      opinion: c.opinion,
      at: c.at,
    })),
    attachments: attachments.rows.map(attachmentView),
  };
}

const URGENCY_RANK = `CASE d.urgency WHEN 'extra_urgent' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END`;

/**
 * Lists documents, most urgent first, then newest.
 * @param {Pool} db
 * @param {{ direction?: Direction, status?: string, limit: number, offset: number }} query
 */
export async function listDocuments(db, query) {
  /** @type {string[]} */
  const where = [];
  /** @type {unknown[]} */
  const params = [];
  if (query.direction) {
    params.push(query.direction);
    where.push(`d.direction = $${params.length}`);
  }
  if (query.status) {
    params.push(query.status);
    where.push(`d.status = $${params.length}`);
  }
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const { rows } = await db.query(
    `${SELECT_DOCUMENT} ${filter} ORDER BY ${URGENCY_RANK}, d.created_at DESC, d.id
     LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, query.limit, query.offset],
  );
  const { rows: count } = await db.query(
    `SELECT count(*)::int AS n FROM documents d ${filter}`,
    params,
  );
  return { items: rows.map(documentView), total: count[0].n };
}
