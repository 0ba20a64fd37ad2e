import { randomUUID } from 'node:crypto';

/**
 * Work-order events. Each state change writes its event into the `outbox` table in the same
 * transaction as the change; the relay (relay.js) publishes it afterwards under the routing
 * key `workorder.<type>` (MQTT topic `<prefix>workorder/<type>`, or RabbitMQ topic exchange).
 * So an event is never lost when the broker is away and never sent for a change that was
 * rolled back. Consumers deduplicate by `id`: an event may be delivered twice (a crash between
 * publishing and marking it published; with MQTT, every worker replica receives every event).
 *
 * Events carry no personal information (no citizen name or phone): whoever needs it reads
 * the work order through the API.
 */

/** @typedef {'created'|'dispatched'|'redispatched'|'signed'|'returned'|'replied'|'closed'|'rated'|'reminded'|'supervised'} EventType */

/**
 * @typedef {object} WorkOrderEvent
 * @property {string} id            event id (uuid), also the AMQP messageId (MQTT has none)
 * @property {EventType} type
 * @property {string} occurredAt    ISO-8601
 * @property {{ id: string, no: string, status: string, category: string, department: string | null, urgent: boolean }} workOrder
 * @property {Record<string, unknown>} detail
 */

/**
 * @param {EventType} type
 * @param {any} row  a work_orders row after the change
 * @param {Date} at
 * @param {Record<string, unknown>} [detail]
 * @returns {WorkOrderEvent}
 */
export function workOrderEvent(type, row, at, detail = {}) {
  return {
    id: randomUUID(),
    type,
    occurredAt: at.toISOString(),
    workOrder: {
      id: row.id,
      no: row.no,
      status: row.status,
      category: row.category,
      department: row.department ?? null,
      urgent: row.urgent,
    },
    detail,
  };
}

/** @param {EventType | string} type */
export const routingKey = (type) => `workorder.${type}`;

/**
 * Writes the event into the outbox, inside the caller's transaction.
 * @param {import('pg').ClientBase} client
 * @param {WorkOrderEvent} event
 */
export async function enqueue(client, event) {
  await client.query('INSERT INTO outbox (event_id, routing_key, payload) VALUES ($1, $2, $3)', [
    event.id,
    routingKey(event.type),
    JSON.stringify(event),
  ]);
}
