/**
 * The worker's consumer: every work-order event becomes a notice for the party that has to
 * act next (the hotline centre, the department, the citizen), recorded once per event id in
 * `event_log`. A production system would send the notice here (SMS, 政务微信, 站内信); the
 * record is what such a sender would work from.
 */

/** @type {Record<string, (e: any) => { recipient: string, notice: string }>} */
const NOTICES = {
  created: (e) => ({
    recipient: 'hotline-centre',
    notice: `新工单 ${e.workOrder.no} 待派单 · New work order ${e.workOrder.no} awaits dispatch`,
  }),
  dispatched: (e) => ({
    recipient: `department:${e.workOrder.department}`,
    notice: `工单 ${e.workOrder.no} 已派至贵单位，请签收 · Work order ${e.workOrder.no} was dispatched to you; please sign for it`,
  }),
  redispatched: (e) => ({
    recipient: `department:${e.workOrder.department}`,
    notice: `工单 ${e.workOrder.no} 已改派至贵单位 · Work order ${e.workOrder.no} was re-dispatched to you`,
  }),
  signed: (e) => ({
    recipient: 'hotline-centre',
    notice: `工单 ${e.workOrder.no} 已签收办理 · Work order ${e.workOrder.no} was signed for`,
  }),
  returned: (e) => ({
    recipient: 'hotline-centre',
    notice: `工单 ${e.workOrder.no} 被退单，请改派 · Work order ${e.workOrder.no} was returned; please re-dispatch`,
  }),
  replied: (e) => ({
    recipient: 'hotline-centre',
    notice: `工单 ${e.workOrder.no} 已答复，请审核办结 · Work order ${e.workOrder.no} was replied to; please review and close`,
  }),
  closed: (e) => ({
    recipient: 'citizen',
    notice: `您的诉求 ${e.workOrder.no} 已办结，稍后回访 · Your request ${e.workOrder.no} is closed; we will call back`,
  }),
  rated: (e) => ({
    recipient: `department:${e.workOrder.department}`,
    notice: `工单 ${e.workOrder.no} 回访满意度 ${e.detail.rating} 分 · Callback rating of ${e.workOrder.no}: ${e.detail.rating}/5`,
  }),
  reminded: (e) => ({
    recipient:
      e.detail.stage === 'dispatch' ? 'hotline-centre' : `department:${e.workOrder.department}`,
    notice: `催办：工单 ${e.workOrder.no} 即将超时 · Reminder: work order ${e.workOrder.no} is due soon`,
  }),
  supervised: (e) => ({
    recipient:
      e.detail.stage === 'dispatch' ? 'hotline-centre' : `department:${e.workOrder.department}`,
    notice: `督办：工单 ${e.workOrder.no} ${e.detail.kind === 'auto' ? '已超时' : '被督办'} · Supervision: work order ${e.workOrder.no} ${e.detail.kind === 'auto' ? 'is overdue' : 'is being pressed'}`,
  }),
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** @param {any} event */
export function noticeFor(event) {
  const make = NOTICES[event?.type];
  if (!make || typeof event.workOrder?.no !== 'string') return null;
  return make(event);
}

/**
 * Records one delivered event. Returns false for a message that can never be handled
 * (not JSON, unknown type), which the caller drops instead of redelivering for ever.
 * @param {import('pg').Pool} db
 * @param {string} key  routing key
 * @param {Buffer} body
 */
export async function recordEvent(db, key, body) {
  let event;
  try {
    event = JSON.parse(body.toString('utf8'));
  } catch {
    return false;
  }
  const note = noticeFor(event);
  if (!note || !UUID.test(String(event.id)) || !UUID.test(String(event.workOrder.id))) return false;
  await db.query(
    `INSERT INTO event_log (event_id, routing_key, work_order_id, work_order_no, recipient, notice, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING`,
    [
      event.id,
      key,
      event.workOrder.id,
      event.workOrder.no,
      note.recipient,
      note.notice,
      JSON.stringify(event),
    ],
  );
  return true;
}

/**
 * Records the events of the outbox that are not in the log yet — published before the
 * worker's consumer first subscribed (a broker keeps nothing for a subscription that does
 * not exist yet), or while the broker had lost it. Unpublished rows count too: the relay
 * may be publishing them right now, and the bus delivering them again is a no-op.
 * @param {import('pg').Pool} db
 * @returns {Promise<number>} events recorded
 */
export async function recordMissedEvents(db) {
  let recorded = 0;
  let after = 0;
  for (;;) {
    const { rows } = await db.query(
      `SELECT o.id, o.routing_key, o.payload FROM outbox o
       WHERE o.id > $1 AND NOT EXISTS (SELECT 1 FROM event_log e WHERE e.event_id = o.event_id)
       ORDER BY o.id LIMIT 500`,
      [after],
    );
    for (const row of rows) {
      if (await recordEvent(db, row.routing_key, Buffer.from(JSON.stringify(row.payload))))
        recorded += 1;
      after = Number(row.id);
    }
    if (rows.length < 500) return recorded;
  }
}

/** @param {import('pg').Pool} db @param {string} workOrderId */
export async function listEventLog(db, workOrderId) {
  const { rows } = await db.query(
    `SELECT event_id, routing_key, recipient, notice, received_at FROM event_log
     WHERE work_order_id = $1 ORDER BY received_at, event_id`,
    [workOrderId],
  );
  return rows.map((r) => ({
    eventId: r.event_id,
    routingKey: r.routing_key,
    recipient: r.recipient,
    notice: r.notice,
    receivedAt: r.received_at,
  }));
}
