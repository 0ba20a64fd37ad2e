import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import amqp from 'amqplib';
import { relayOutbox } from '../src/relay.js';
import { startWorker } from '../src/worker.js';
import { quiet, startTestApp } from '../test-support/app.js';
import { eventually, needEnv } from '../test-support/env.js';

const skip = needEnv(['DATABASE_URL', 'AMQP_URL']);

describe('RabbitMQ 事件 · events on RabbitMQ', { skip }, () => {
  /** @type {Awaited<ReturnType<typeof startTestApp>>} */
  let t;
  /** @type {import('amqplib').ChannelModel} */
  let connection;
  /** @type {import('amqplib').Channel} */
  let channel;
  /** @type {{ key: string, messageId: string | undefined, contentType: string | undefined, persistent: boolean, body: any }[]} */
  const received = [];

  before(async () => {
    t = await startTestApp({ withBus: true });
    // A private queue of this test on the app's exchange, to see what the app publishes.
    connection = await amqp.connect(/** @type {string} */ (t.config.events.url));
    channel = await connection.createChannel();
    await channel.assertExchange(t.config.events.exchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, t.config.events.exchange, 'workorder.#');
    await channel.consume(
      queue,
      (message) => {
        if (!message) return;
        let body;
        try {
          body = JSON.parse(message.content.toString());
        } catch {
          return; // the garbage this test sends on purpose
        }
        received.push({
          key: message.fields.routingKey,
          messageId: message.properties.messageId,
          contentType: message.properties.contentType,
          persistent: message.properties.deliveryMode === 2,
          body,
        });
      },
      { noAck: true },
    );
  });
  after(async () => {
    await connection?.close();
    await t?.cleanup();
  });

  /** @param {string} id */
  const eventsOf = (id) => received.filter((m) => m.body.workOrder.id === id);

  it('publishes every state change on the topic exchange as workorder.<event>', async () => {
    const order = await t.intake();
    await t.act(order.id, 'dispatch', { department: 'environment' });
    await t.act(order.id, 'sign');
    const messages = await eventually(async () => {
      const mine = eventsOf(order.id);
      return mine.length === 3 && mine;
    });
    assert.deepEqual(
      messages.map((/** @type {any} */ m) => m.key),
      ['workorder.created', 'workorder.dispatched', 'workorder.signed'],
    );
    const dispatched = messages[1];
    assert.equal(dispatched.contentType, 'application/json');
    assert.equal(dispatched.persistent, true);
    assert.equal(dispatched.messageId, dispatched.body.id);
    assert.equal(dispatched.body.type, 'dispatched');
    assert.deepEqual(dispatched.body.workOrder, {
      id: order.id,
      no: order.no,
      status: 'dispatched',
      category: 'complaint',
      department: 'environment',
      urgent: false,
    });
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS pending FROM outbox WHERE payload->'workOrder'->>'id' = $1 AND published_at IS NULL`,
      [order.id],
    );
    assert.equal(rows[0].pending, 0);
  });

  it('keeps events in the outbox while RabbitMQ is away and relays them in order later', async () => {
    // A second app without a bus stands for a web process that lost its connection.
    const offline = await startTestApp({ withBus: false });
    try {
      const order = await offline.intake();
      await offline.act(order.id, 'dispatch', { department: 'housing' });
      const pending = await t.db.query(
        `SELECT routing_key FROM outbox WHERE payload->'workOrder'->>'id' = $1 AND published_at IS NULL ORDER BY id`,
        [order.id],
      );
      assert.deepEqual(
        pending.rows.map((r) => r.routing_key),
        ['workorder.created', 'workorder.dispatched'],
      );
      assert.deepEqual(eventsOf(order.id), []);
      const relayed = await relayOutbox(t.db, /** @type {any} */ (t.bus));
      assert.ok(relayed >= 2);
      const messages = await eventually(
        async () => eventsOf(order.id).length === 2 && eventsOf(order.id),
      );
      assert.deepEqual(
        messages.map((/** @type {any} */ m) => m.key),
        ['workorder.created', 'workorder.dispatched'],
      );
    } finally {
      await offline.cleanup();
    }
  });

  it('the worker records each event once as a notice, and drops unusable messages', async () => {
    const worker = await startWorker({
      db: t.db,
      events: t.config.events,
      scanIntervalMs: 60_000,
      log: quiet,
    });
    try {
      const order = await t.intake({ category: 'suggestion' });
      await t.act(order.id, 'dispatch', { department: 'transport' });
      const log = await eventually(async () => {
        const r = await t.call(`api/work-orders/${order.id}/events`);
        return r.data.items.length === 2 && r.data.items;
      });
      assert.deepEqual(log.map((/** @type {any} */ e) => [e.routingKey, e.recipient]).sort(), [
        ['workorder.created', 'hotline-centre'],
        ['workorder.dispatched', 'department:transport'],
      ]);
      // A redelivered event (same id) is recorded once; garbage is dropped, not redelivered for ever.
      const event = eventsOf(order.id).find((m) => m.key === 'workorder.dispatched')?.body;
      const exchange = t.config.events.exchange;
      channel.publish(exchange, 'workorder.dispatched', Buffer.from(JSON.stringify(event)), {
        messageId: event.id,
      });
      channel.publish(exchange, 'workorder.bogus', Buffer.from('not json'));
      const marker = {
        ...event,
        id: randomUUID(),
        type: 'supervised',
        detail: { kind: 'manual', stage: 'handle' },
      };
      channel.publish(exchange, 'workorder.supervised', Buffer.from(JSON.stringify(marker)), {
        messageId: marker.id,
      });
      const after = await eventually(async () => {
        const r = await t.call(`api/work-orders/${order.id}/events`);
        return r.data.items.length === 3 && r.data.items;
      });
      assert.equal(
        after.filter((/** @type {any} */ e) => e.routingKey === 'workorder.dispatched').length,
        1,
      );
      assert.match(
        after.find((/** @type {any} */ e) => e.routingKey === 'workorder.supervised').notice,
        /^督办/,
      );
    } finally {
      await worker.stop();
    }
  });

  it('reports not ready when the bus is disconnected', async () => {
    assert.equal((await t.call('readyz')).status, 200);
    const app = await startTestApp({ withBus: true });
    try {
      await app.bus?.close();
      const r = await app.call('readyz');
      assert.equal(r.status, 503);
      assert.equal(r.data.code, 'not_ready');
    } finally {
      await app.cleanup();
    }
  });
});
