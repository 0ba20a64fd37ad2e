import { inTransaction } from './db.js';
import { enqueue, workOrderEvent } from './events.js';
import { Problem } from './problem.js';
import { timerOfRow } from './sla.js';
import { OPEN, STATUS_LABELS } from './state-machine.js';
import { recordHistory } from './work-orders.js';

/**
 * 催办 / 督办. The worker's scan raises, once per deadline, a reminder (催办) when a clock is
 * due soon and a supervision (督办) when it is overdue; the unique index
 * `supervisions_auto_once` makes that hold even when several workers scan at once. The
 * hotline centre can also supervise any open order by hand.
 */

const SYSTEM_ACTOR = '时限监控 · Deadline monitor';

/**
 * @param {import('pg').PoolClient} client
 * @param {any} row  the locked work order
 * @param {{ kind: 'auto'|'manual', level: 'reminder'|'supervision', stage: 'dispatch'|'handle', dueAt: string, actor: string, note?: string | null }} s
 * @param {Date} now
 * @returns {Promise<boolean>} whether a supervision was recorded (false: already raised)
 */
async function raise(client, row, s, now) {
  const { rowCount } = await client.query(
    `INSERT INTO supervisions (work_order_id, kind, level, stage, due_at, actor, note, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
    [row.id, s.kind, s.level, s.stage, s.dueAt, s.actor, s.note ?? null, now],
  );
  if (!rowCount) return false;
  const { rows } = await client.query(
    `UPDATE work_orders SET supervision_count = supervision_count + $2, updated_at = $3
     WHERE id = $1 RETURNING *`,
    [row.id, s.level === 'supervision' ? 1 : 0, now],
  );
  const action = s.level === 'supervision' ? 'supervise' : 'remind';
  await recordHistory(client, {
    id: row.id,
    action,
    from: row.status,
    to: row.status,
    actor: s.actor,
    department: row.department,
    note: s.note ?? null,
    at: now,
  });
  const type = s.level === 'supervision' ? 'supervised' : 'reminded';
  await enqueue(
    client,
    workOrderEvent(type, rows[0], now, {
      kind: s.kind,
      stage: s.stage,
      dueAt: s.dueAt,
      note: s.note ?? null,
    }),
  );
  return true;
}

/**
 * Finds open orders whose running clock is due soon or overdue and raises what is missing.
 * @param {import('pg').Pool} db
 * @param {Date} now
 * @returns {Promise<{ reminded: number, supervised: number }>}
 */
export async function scanDeadlines(db, now) {
  // Candidates: the last fifth of the running clock's window has begun.
  const { rows: candidates } = await db.query(
    `SELECT id FROM work_orders w
     WHERE (w.status IN ('accepted','returned')
            AND w.dispatch_due_at - (w.dispatch_due_at - w.dispatch_started_at) * 0.2 <= $1)
        OR (w.status IN ('dispatched','handling')
            AND w.handle_due_at - (w.handle_due_at - w.accepted_at) * 0.2 <= $1)
     ORDER BY w.accepted_at LIMIT 500`,
    [now],
  );
  const result = { reminded: 0, supervised: 0 };
  for (const { id } of candidates) {
    await inTransaction(db, async (client) => {
      const { rows } = await client.query(
        'SELECT * FROM work_orders WHERE id = $1 FOR UPDATE SKIP LOCKED',
        [id],
      );
      const row = rows[0];
      if (!row) return; // another worker holds it, or it is gone
      const timer = timerOfRow(row, now);
      if (!timer || timer.state === 'normal') return;
      const base = {
        kind: /** @type {const} */ ('auto'),
        stage: timer.stage,
        dueAt: timer.dueAt,
        actor: SYSTEM_ACTOR,
      };
      // An order first seen overdue gets its reminder too: the record shows both steps.
      if (
        await raise(client, row, { ...base, level: 'reminder', note: '即将超时 · Due soon' }, now)
      ) {
        result.reminded += 1;
      }
      if (
        timer.state === 'overdue' &&
        (await raise(client, row, { ...base, level: 'supervision', note: '已超时 · Overdue' }, now))
      ) {
        result.supervised += 1;
      }
    });
  }
  return result;
}

/**
 * 督办 by hand: the hotline centre presses an open order, whatever its clock says.
 * @param {import('pg').Pool} db
 * @param {string} id
 * @param {{ actor?: string, note: string }} body
 * @param {Date} now
 */
export async function superviseByHand(db, id, body, now) {
  await inTransaction(db, async (client) => {
    const { rows } = await client.query('SELECT * FROM work_orders WHERE id = $1 FOR UPDATE', [id]);
    const row = rows[0];
    if (!row) throw new Problem('not_found', `工单不存在 · Work order ${id} not found`);
    if (!OPEN.has(row.status)) {
      throw new Problem(
        'invalid_transition',
        `工单「${STATUS_LABELS[/** @type {import('./state-machine.js').Status} */ (row.status)]}」，无需督办 · Only open work orders can be supervised`,
        { extra: { status: row.status } },
      );
    }
    const timer = timerOfRow(row, now);
    await raise(
      client,
      row,
      {
        kind: 'manual',
        level: 'supervision',
        stage: timer?.stage ?? 'handle',
        dueAt: timer?.dueAt ?? row.handle_due_at.toISOString(),
        actor: body.actor ?? '热线督办员 · Hotline supervisor',
        note: body.note,
      },
      now,
    );
  });
}
