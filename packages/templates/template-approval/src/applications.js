import { maskIdNumber, maskPhone } from './identity-numbers.js';
import { Problem } from './problem.js';
import {
  allowedActions,
  CLOCK_RUNNING,
  EDITABLE,
  RULES,
  STATUS_LABELS,
  transition,
} from './state-machine.js';
import { addWorkingDays, cstDate } from './working-days.js';

/**
 * Applications (办件) in PostgreSQL. Every status change runs in one transaction that locks
 * the row, checks the state machine and appends to `application_history`.
 */

/** @typedef {import('pg').Pool} Pool */
/** @typedef {import('pg').PoolClient} PoolClient */
/** @typedef {import('./state-machine.js').Action} Action */
/** @typedef {import('./state-machine.js').Status} Status */

/** @param {Pool} db @param {(client: PoolClient) => Promise<T>} work @template T */
export async function inTransaction(db, work) {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** @param {any} row */
export function matterView(row) {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    agency: row.agency,
    legalBasis: row.legal_basis,
    timeLimitDays: row.time_limit_days,
    promisedDays: row.promised_days,
    fee: row.fee,
    materials: row.materials,
  };
}

/** @param {Pool} db */
export async function listMatters(db) {
  const { rows } = await db.query('SELECT * FROM matters WHERE active ORDER BY code');
  return rows.map(matterView);
}

/** @param {Pool | PoolClient} db @param {string} id */
export async function getMatter(db, id) {
  const { rows } = await db.query('SELECT * FROM matters WHERE id = $1 AND active', [id]);
  if (!rows[0]) throw new Problem('not_found', `事项不存在 · Matter ${id} not found`);
  return matterView(rows[0]);
}

/**
 * @param {any} row
 * @param {{ mask?: boolean, today?: string }} [options]
 */
export function applicationView(row, options = {}) {
  const today = options.today ?? cstDate(new Date());
  const due = row.due_date ? String(row.due_date) : null;
  return {
    id: row.id,
    no: row.no,
    matterId: row.matter_id,
    matterName: row.matter_name,
    status: row.status,
    statusLabel: STATUS_LABELS[/** @type {Status} */ (row.status)],
    allowedActions: allowedActions(row.status),
    applicant: {
      type: row.applicant_type,
      name: row.applicant_name,
      idNumber: options.mask ? maskIdNumber(row.applicant_id_no) : row.applicant_id_no,
      phone: options.mask ? maskPhone(row.contact_phone) : row.contact_phone,
    },
    form: row.form,
    correctionNote: row.correction_note,
    dueDate: due,
    overdue: due !== null && CLOCK_RUNNING.has(row.status) && today > due,
    decision: row.decision,
    decisionReason: row.decision_reason,
    deliveryMethod: row.delivery_method,
    createdAt: row.created_at,
    submittedAt: row.submitted_at,
    acceptedAt: row.accepted_at,
    decidedAt: row.decided_at,
    deliveredAt: row.delivered_at,
  };
}

// `due_date::text` keeps the calendar date as written (a JS Date would shift it by time zone).
const SELECT_APPLICATION = `
  SELECT a.*, a.due_date::text AS due_date, m.name AS matter_name
  FROM applications a JOIN matters m ON m.id = a.matter_id`;

/** @param {any} row */
const attachmentView = (row) => ({
  id: row.id,
  materialKey: row.material_key,
  fileName: row.file_name,
  contentType: row.content_type,
  sizeBytes: Number(row.size_bytes),
  sha256: row.sha256,
  uploadedAt: row.uploaded_at,
});

/** @param {any} row */
const historyView = (row) => ({
  action: row.action,
  fromStatus: row.from_status,
  toStatus: row.to_status,
  actor: row.actor,
  comment: row.comment,
  at: row.at,
});

/**
 * @param {Pool | PoolClient} db
 * @param {string} id
 * @param {boolean} [forUpdate]
 */
async function findRow(db, id, forUpdate = false) {
  const { rows } = await db.query(
    `${SELECT_APPLICATION} WHERE a.id = $1${forUpdate ? ' FOR UPDATE OF a' : ''}`,
    [id],
  );
  if (!rows[0]) throw new Problem('not_found', `办件不存在 · Application ${id} not found`);
  return rows[0];
}

/** @param {Pool} db @param {string} id */
export async function getApplication(db, id) {
  const row = await findRow(db, id);
  const attachments = await db.query(
    'SELECT * FROM attachments WHERE application_id = $1 ORDER BY uploaded_at, id',
    [id],
  );
  const history = await db.query(
    'SELECT * FROM application_history WHERE application_id = $1 ORDER BY id',
    [id],
  );
  return {
    ...applicationView(row),
    attachments: attachments.rows.map(attachmentView),
    history: history.rows.map(historyView),
  };
}

/**
 * @param {Pool} db
 * @param {{ status?: string, matterId?: string, limit: number, offset: number }} query
 */
export async function listApplications(db, query) {
  /** @type {unknown[]} */
  const params = [];
  const where = [];
  if (query.status) where.push(`a.status = $${params.push(query.status)}`);
  if (query.matterId) where.push(`a.matter_id = $${params.push(query.matterId)}`);
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await db.query(`SELECT count(*)::int AS n FROM applications a ${filter}`, params);
  const { rows } = await db.query(
    `${SELECT_APPLICATION} ${filter} ORDER BY a.created_at DESC, a.id
     LIMIT $${params.push(query.limit)} OFFSET $${params.push(query.offset)}`,
    params,
  );
  return {
    total: total.rows[0].n,
    limit: query.limit,
    offset: query.offset,
    items: rows.map((row) => applicationView(row, { mask: true })),
  };
}

/**
 * @param {PoolClient} client
 * @param {string} id
 * @param {string} action
 * @param {string | null} from
 * @param {string} to
 * @param {string} actor
 * @param {string | null} comment
 */
async function recordHistory(client, id, action, from, to, actor, comment) {
  await client.query(
    `INSERT INTO application_history (application_id, action, from_status, to_status, actor, comment)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, action, from, to, actor, comment],
  );
}

/**
 * @param {Pool} db
 * @param {{ matterId: string, applicant: { type: string, name: string, idNumber: string, phone: string }, form?: object, actor?: string }} input
 * @param {Date} now
 */
export async function createApplication(db, input, now) {
  const id = await inTransaction(db, async (client) => {
    await getMatter(client, input.matterId);
    const seq = await client.query(`SELECT nextval('application_no_seq') AS n`);
    const no = `SP${cstDate(now).replaceAll('-', '')}-${String(seq.rows[0].n).padStart(6, '0')}`;
    const { rows } = await client.query(
      `INSERT INTO applications
         (no, matter_id, applicant_type, applicant_name, applicant_id_no, contact_phone, form, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $8) RETURNING id`,
      [
        no,
        input.matterId,
        input.applicant.type,
        input.applicant.name,
        input.applicant.idNumber,
        input.applicant.phone,
        JSON.stringify(input.form ?? {}),
        now,
      ],
    );
    const appId = rows[0].id;
    await recordHistory(
      client,
      appId,
      'create',
      null,
      'draft',
      input.actor ?? '申请人 · Applicant',
      null,
    );
    return appId;
  });
  return getApplication(db, id);
}

/**
 * The required materials of the application's matter that have no attachment yet.
 * @param {PoolClient} client
 * @param {any} row
 */
async function missingMaterials(client, row) {
  const matter = await getMatter(client, row.matter_id);
  const { rows } = await client.query(
    'SELECT DISTINCT material_key FROM attachments WHERE application_id = $1',
    [row.id],
  );
  const present = new Set(rows.map((r) => r.material_key));
  return matter.materials.filter(
    (/** @type {{ key: string, required: boolean }} */ m) => m.required && !present.has(m.key),
  );
}

/**
 * @typedef {object} ActionInput
 * @property {string} [actor]
 * @property {string} [opinion]
 * @property {string} [reason]
 * @property {string} [note]
 * @property {string} [deliveryMethod]
 */

/**
 * Moves an application along the state machine.
 * @param {Pool} db
 * @param {string} id
 * @param {Action} action
 * @param {ActionInput} input
 * @param {Date} now
 */
export async function applyAction(db, id, action, input, now) {
  const rule = RULES[action];
  const missingFields = rule.requires.filter((field) => !input[field]?.trim());
  if (missingFields.length) {
    throw new Problem('validation_failed', `缺少必填项 · Missing ${missingFields.join(', ')}`, {
      errors: missingFields.map((field) => ({ path: `body/${field}`, message: 'required' })),
    });
  }
  await inTransaction(db, async (client) => {
    const row = await findRow(client, id, true);
    const to = transition(row.status, action);
    if (!to) {
      throw new Problem(
        'invalid_transition',
        `办件处于“${STATUS_LABELS[/** @type {Status} */ (row.status)]}”，不能执行“${rule.label}” · ` +
          `Action ${action} is not allowed in status ${row.status}`,
        {
          extra: { currentStatus: row.status, action, allowedActions: allowedActions(row.status) },
        },
      );
    }
    if (action === 'submit' || action === 'resubmit') {
      const missing = await missingMaterials(client, row);
      if (missing.length) {
        throw new Problem(
          'materials_missing',
          `请上传 · Please upload: ${missing.map((m) => m.name).join('; ')}`,
          {
            errors: missing.map((m) => ({ path: `materials/${m.key}`, message: m.name })),
          },
        );
      }
    }
    /** @type {Record<string, unknown>} */
    const set = { status: to, updated_at: now };
    if (action === 'submit' || action === 'resubmit') set.submitted_at = now;
    if (action === 'request_correction') set.correction_note = input.note;
    if (action === 'accept') {
      const matter = await getMatter(client, row.matter_id);
      set.accepted_at = now;
      set.correction_note = null;
      set.due_date = addWorkingDays(now, matter.timeLimitDays);
    }
    if (action === 'refuse') set.decision_reason = input.reason;
    if (action === 'approve' || action === 'reject') {
      set.decision = to;
      set.decision_reason = input.reason;
      set.decided_at = now;
    }
    if (action === 'deliver') {
      set.delivery_method = input.deliveryMethod;
      set.delivered_at = now;
    }
    const columns = Object.keys(set);
    await client.query(
      `UPDATE applications SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`,
      [id, ...Object.values(set)],
    );
    const comment = input.opinion ?? input.reason ?? input.note ?? input.deliveryMethod ?? null;
    const defaultActor = ['submit', 'resubmit'].includes(action)
      ? '申请人 · Applicant'
      : '工作人员 · Staff';
    await recordHistory(client, id, action, row.status, to, input.actor ?? defaultActor, comment);
  });
  return getApplication(db, id);
}

/**
 * Locks the application and checks the applicant may still change its materials.
 * @param {PoolClient} client
 * @param {string} id
 */
export async function lockEditable(client, id) {
  const row = await findRow(client, id, true);
  if (!EDITABLE.has(row.status)) {
    throw new Problem(
      'invalid_transition',
      `办件处于“${STATUS_LABELS[/** @type {Status} */ (row.status)]}”，不能修改材料 · ` +
        `Attachments cannot change in status ${row.status}`,
      { extra: { currentStatus: row.status } },
    );
  }
  return row;
}

export { attachmentView };
