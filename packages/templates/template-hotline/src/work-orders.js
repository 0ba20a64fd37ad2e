import { getCategory, requireDepartment } from './catalog.js';
import { inTransaction } from './db.js';
import { enqueue, workOrderEvent } from './events.js';
import { maskName, maskPhone } from './mask.js';
import { Problem } from './problem.js';
import { deadlines, timerOfRow } from './sla.js';
import { allowedActions, RULES, STATUS_LABELS, transition } from './state-machine.js';
import { cstDate } from './working-days.js';

/**
 * Work orders (工单) in PostgreSQL. Every change runs in one transaction that locks the row,
 * checks the state machine, appends to `work_order_history` and writes its event into the
 * outbox. Times come from the caller's clock (`now`), so tests can travel in time.
 */

/** @typedef {import('pg').Pool} Pool */
/** @typedef {import('pg').PoolClient} PoolClient */

/**
 * @param {any} row
 * @param {Date} now
 * @param {{ mask?: boolean }} [options]
 */
export function workOrderView(row, now, options = {}) {
  return {
    id: row.id,
    no: row.no,
    channel: row.channel,
    citizen: {
      name: options.mask ? maskName(row.citizen_name) : row.citizen_name,
      phone: options.mask ? maskPhone(row.citizen_phone) : row.citizen_phone,
    },
    category: row.category,
    categoryName: row.category_name,
    location: row.location,
    content: row.content,
    urgent: row.urgent,
    status: row.status,
    statusLabel: STATUS_LABELS[/** @type {import('./state-machine.js').Status} */ (row.status)],
    allowedActions: allowedActions(row.status),
    department: row.department,
    departmentName: row.department_name,
    timer: timerOfRow(row, now),
    dispatchDueAt: row.dispatch_due_at,
    handleDueAt: row.handle_due_at,
    supervisionCount: row.supervision_count,
    reply: row.reply,
    returnReason: row.return_reason,
    rating: row.rating,
    ratingComment: row.rating_comment,
    acceptedAt: row.accepted_at,
    dispatchedAt: row.dispatched_at,
    signedAt: row.signed_at,
    repliedAt: row.replied_at,
    closedAt: row.closed_at,
    ratedAt: row.rated_at,
  };
}

const SELECT_ORDER = `
  SELECT w.*, c.name AS category_name, d.name AS department_name
  FROM work_orders w
  JOIN categories c ON c.code = w.category
  LEFT JOIN departments d ON d.code = w.department`;

/** @param {PoolClient} client @param {string} id */
async function lockOrder(client, id) {
  const { rows } = await client.query('SELECT * FROM work_orders WHERE id = $1 FOR UPDATE', [id]);
  if (!rows[0]) throw new Problem('not_found', `工单不存在 · Work order ${id} not found`);
  return rows[0];
}

/** @param {Pool | PoolClient} db @param {string} id */
async function selectOrder(db, id) {
  const { rows } = await db.query(`${SELECT_ORDER} WHERE w.id = $1`, [id]);
  if (!rows[0]) throw new Problem('not_found', `工单不存在 · Work order ${id} not found`);
  return rows[0];
}

/**
 * @param {PoolClient} client
 * @param {{ id: string, action: string, from: string | null, to: string, actor: string, department?: string | null, note?: string | null, at: Date }} entry
 */
export async function recordHistory(client, entry) {
  await client.query(
    `INSERT INTO work_order_history (work_order_id, action, from_status, to_status, actor, department, note, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      entry.id,
      entry.action,
      entry.from,
      entry.to,
      entry.actor,
      entry.department ?? null,
      entry.note ?? null,
      entry.at,
    ],
  );
}

/**
 * 受理: registers a citizen's request and starts both clocks.
 * @param {Pool} db
 * @param {{ channel: string, citizen: { name?: string, phone: string }, category: string, location: string, content: string, urgent?: boolean, actor?: string }} input
 * @param {Date} now
 */
export async function createWorkOrder(db, input, now) {
  const id = await inTransaction(db, async (client) => {
    const category = await getCategory(client, input.category);
    const urgent = input.urgent === true;
    const { dispatchDueAt, handleDueAt } = deadlines(category, now, urgent);
    const { rows: seq } = await client.query(`SELECT nextval('work_order_no_seq') AS n`);
    const no = `GD${cstDate(now).replaceAll('-', '')}${String(seq[0].n).padStart(6, '0')}`;
    const { rows } = await client.query(
      `INSERT INTO work_orders (no, channel, citizen_name, citizen_phone, category, location, content, urgent,
         status, accepted_at, dispatch_started_at, dispatch_due_at, handle_due_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'accepted', $9, $9, $10, $11, $9) RETURNING *`,
      [
        no,
        input.channel,
        input.citizen.name ?? null,
        input.citizen.phone,
        input.category,
        input.location,
        input.content,
        urgent,
        now,
        dispatchDueAt,
        handleDueAt,
      ],
    );
    const row = rows[0];
    const actor = input.actor ?? '话务员 · Call-taker';
    await recordHistory(client, {
      id: row.id,
      action: 'accept',
      from: null,
      to: 'accepted',
      actor,
      at: now,
    });
    await enqueue(client, workOrderEvent('created', row, now, { channel: row.channel }));
    return row.id;
  });
  return workOrderView(await selectOrder(db, id), now);
}

/**
 * @param {Pool} db
 * @param {string} id
 * @param {import('./state-machine.js').Action} action
 * @param {{ actor?: string, department?: string, reason?: string, reply?: string, rating?: number, comment?: string }} body
 * @param {Date} now
 */
export async function applyAction(db, id, action, body, now) {
  const rule = RULES[action];
  const missing = rule.requires.filter((field) => body[field] === undefined || body[field] === '');
  if (missing.length) {
    throw new Problem('validation_failed', `缺少字段 · Missing: ${missing.join(', ')}`, {
      errors: missing.map((field) => ({ path: `body/${field}`, message: 'required' })),
    });
  }
  await inTransaction(db, async (client) => {
    const row = await lockOrder(client, id);
    const to = transition(row.status, action);
    if (!to) {
      throw new Problem(
        'invalid_transition',
        `工单处于「${STATUS_LABELS[/** @type {import('./state-machine.js').Status} */ (row.status)]}」，不能「${rule.label}」 · ` +
          `Cannot ${action} a work order in status ${row.status}`,
        { extra: { status: row.status, allowedActions: allowedActions(row.status) } },
      );
    }
    if (rule.requires.includes('department')) {
      await requireDepartment(client, /** @type {string} */ (body.department));
      if (action === 'redispatch' && body.department === row.department) {
        throw new Problem(
          'validation_failed',
          '改派须换一个承办单位 · Re-dispatch needs another department',
          {
            errors: [{ path: 'body/department', message: 'same department' }],
          },
        );
      }
    }
    const { rows } = await client.query(
      `UPDATE work_orders SET status = $2, updated_at = $3::timestamptz, ${updatesFor(action)} WHERE id = $1 RETURNING *`,
      [id, to, now, ...valuesFor(action, body)],
    );
    const updated = rows[0];
    const note = body.reason ?? body.reply ?? body.comment ?? null;
    await recordHistory(client, {
      id,
      action,
      from: row.status,
      to,
      actor: body.actor ?? '操作员 · Operator',
      department: updated.department,
      note,
      at: now,
    });
    /** @type {Record<string, unknown>} */
    const detail = { from: row.status, to };
    if (rule.requires.includes('department')) detail.previousDepartment = row.department;
    if (action === 'return' || action === 'redispatch') detail.reason = body.reason;
    if (action === 'rate') detail.rating = body.rating;
    await enqueue(client, workOrderEvent(/** @type {any} */ (rule.event), updated, now, detail));
  });
  return workOrderView(await selectOrder(db, id), now);
}

/** Column updates per action ($1 id, $2 status, $3 now, then `valuesFor`). @param {string} action */
function updatesFor(action) {
  switch (action) {
    case 'dispatch':
    case 'redispatch':
      return 'department = $4, dispatched_at = $3, signed_at = NULL, return_reason = NULL';
    case 'sign':
      return 'signed_at = $3';
    case 'return':
      // The centre gets a fresh dispatch window; the handling clock keeps running.
      return 'return_reason = $4, department = NULL, dispatch_started_at = $3, dispatch_due_at = $3::timestamptz + (dispatch_due_at - dispatch_started_at)';
    case 'reply':
      return 'reply = $4, replied_at = $3';
    case 'close':
      return 'closed_at = $3';
    case 'rate':
      return 'rating = $4, rating_comment = $5, rated_at = $3';
    default:
      throw new Error(`no update for ${action}`);
  }
}

/** @param {string} action @param {any} body */
function valuesFor(action, body) {
  switch (action) {
    case 'dispatch':
    case 'redispatch':
      return [body.department];
    case 'return':
      return [body.reason];
    case 'reply':
      return [body.reply];
    case 'rate':
      return [body.rating, body.comment ?? null];
    default:
      return [];
  }
}

/**
 * @param {Pool} db
 * @param {string} id
 * @param {Date} now
 */
export async function getWorkOrder(db, id, now) {
  const row = await selectOrder(db, id);
  const [history, supervisions] = await Promise.all([
    db.query('SELECT * FROM work_order_history WHERE work_order_id = $1 ORDER BY id', [id]),
    db.query('SELECT * FROM supervisions WHERE work_order_id = $1 ORDER BY id', [id]),
  ]);
  return {
    ...workOrderView(row, now),
    history: history.rows.map((h) => ({
      action: h.action,
      from: h.from_status,
      to: h.to_status,
      actor: h.actor,
      department: h.department,
      note: h.note,
      at: h.at,
    })),
    supervisions: supervisions.rows.map((s) => ({
      kind: s.kind,
      level: s.level,
      stage: s.stage,
      dueAt: s.due_at,
      actor: s.actor,
      note: s.note,
      at: s.created_at,
    })),
  };
}

/**
 * Lists work orders, newest first. `timer` filters by the running clock's state, which is
 * computed in SQL the same way as `sla.js` does it.
 * @param {Pool} db
 * @param {{ status?: string, department?: string, timer?: 'normal'|'due_soon'|'overdue', limit: number, offset: number }} query
 * @param {Date} now
 */
export async function listWorkOrders(db, query, now) {
  /** @type {string[]} */
  const where = [];
  /** @type {unknown[]} */
  const params = [];
  if (query.status) {
    params.push(query.status);
    where.push(`w.status = $${params.length}`);
  }
  if (query.department) {
    params.push(query.department);
    where.push(`w.department = $${params.length}`);
  }
  if (query.timer) {
    params.push(now);
    const at = `$${params.length}::timestamptz`;
    const start = `CASE WHEN w.status IN ('accepted','returned') THEN w.dispatch_started_at ELSE w.accepted_at END`;
    const due = `CASE WHEN w.status IN ('accepted','returned') THEN w.dispatch_due_at ELSE w.handle_due_at END`;
    where.push(`w.status IN ('accepted','returned','dispatched','handling')`);
    if (query.timer === 'overdue') where.push(`${due} <= ${at}`);
    else if (query.timer === 'due_soon') {
      where.push(`${due} > ${at}`, `${due} - ${at} <= (${due} - ${start}) * 0.2`);
    } else where.push(`${due} - ${at} > (${due} - ${start}) * 0.2`);
  }
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const page = params.length;
  const { rows } = await db.query(
    `${SELECT_ORDER} ${filter} ORDER BY w.accepted_at DESC, w.no DESC LIMIT $${page + 1} OFFSET $${page + 2}`,
    [...params, query.limit, query.offset],
  );
  const { rows: count } = await db.query(
    `SELECT count(*)::int AS n FROM work_orders w ${filter}`,
    params,
  );
  return { items: rows.map((row) => workOrderView(row, now, { mask: true })), total: count[0].n };
}
