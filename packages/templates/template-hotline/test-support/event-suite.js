import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { relayOutbox } from '../src/relay.js';
import { startWorker } from '../src/worker.js';
import { quiet, startTestApp } from './app.js';
import { brokerUnderTest, forgetConsumers } from './brokers.js';
import { eventually } from './env.js';

/**
 * The event tests, the same for both buses (test/events-mqtt.test.js,
 * test/events-rabbitmq.test.js): what the app publishes, the outbox, and the worker's
 * at-least-once handling recorded once per event.
 * @param {'mqtt' | 'amqp'} kind
 * @param {(events: import('../src/config.js').EventsConfig) => Promise<import('./spies.js').Spy>} openSpy
 */
export function eventSuite(kind, openSpy) {
  const { skip, events } = brokerUnderTest(kind);
  const name =
    kind === 'mqtt' ? 'MQTT 事件 · events on MQTT' : 'RabbitMQ 事件 · events on RabbitMQ';

  describe(name, { skip }, () => {
    /** @type {Awaited<ReturnType<typeof startTestApp>>} */
    let t;
    /** @type {import('./spies.js').Spy} */
    let spy;
    /** MQTT client ids of the workers started here, whose sessions are removed after. */
    const clientIds = new Set([events.clientId]);

    before(async () => {
      t = await startTestApp({ events });
      spy = await openSpy(events);
    });
    after(async () => {
      await spy?.close();
      await t?.cleanup();
      if (!skip) await forgetConsumers(events, [...clientIds]);
    });

    /** @param {string} id */
    const eventsOf = (id) => spy.received.filter((m) => m.body?.workOrder?.id === id);
    /** @param {string} id @returns {Promise<any[]>} */
    const noticesOf = async (id) => (await t.call(`api/work-orders/${id}/events`)).data.items;
    /**
     * A worker on this test's broker; `db` may wrap the pool, `replica` names a second session
     * (MQTT), `queue` a queue of its own (RabbitMQ).
     * @param {{ db?: any, replica?: string, queue?: string }} [options]
     */
    const worker = (options = {}) => {
      const clientId = options.replica ? `${events.clientId}-${options.replica}` : events.clientId;
      clientIds.add(clientId);
      return startWorker({
        db: options.db ?? t.db,
        events: { ...events, clientId, queue: options.queue ?? events.queue },
        scanIntervalMs: 60_000,
        log: quiet,
      });
    };
    /**
     * The pool, with a hook called before each event_log insert (the worker handling one
     * delivery): to count deliveries, or to fail one as a database outage would.
     * @param {(params: any[]) => void} hook
     */
    const watched = (hook) => ({
      connect: () => t.db.connect(),
      /** @param {string} text @param {any[]} [params] */
      query(text, params) {
        if (String(text).includes('INSERT INTO event_log')) hook(params ?? []);
        return t.db.query(text, params);
      },
    });

    it('chooses the bus from the URL scheme', () => {
      assert.equal(t.bus?.kind, kind);
      assert.equal(t.bus?.connected(), true);
    });

    it('publishes every state change as workorder.<event>, acknowledged by the broker', async () => {
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
      spy.assertDelivery(dispatched);
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

    it('keeps events in the outbox while the broker is away and relays them in order later', async () => {
      // A second app without a bus stands for a web process that lost its connection.
      const offline = await startTestApp();
      try {
        const order = await offline.intake();
        await offline.act(order.id, 'dispatch', { department: 'housing' });
        const pending = await t.db.query(
          `SELECT routing_key FROM outbox WHERE payload->'workOrder'->>'id' = $1 AND published_at IS NULL ORDER BY id`,
          [order.id],
        );
        assert.deepEqual(
          pending.rows.map((/** @type {any} */ r) => r.routing_key),
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

    it('the worker records an event delivered twice once, and drops unusable messages', async () => {
      /** @type {string[]} */
      const handled = [];
      const running = await worker({ db: watched((params) => handled.push(params[0])) });
      try {
        const order = await t.intake({ category: 'suggestion' });
        await t.act(order.id, 'dispatch', { department: 'transport' });
        const log = await eventually(async () => {
          const items = await noticesOf(order.id);
          return items.length === 2 && items;
        });
        assert.deepEqual(log.map((/** @type {any} */ e) => [e.routingKey, e.recipient]).sort(), [
          ['workorder.created', 'hotline-centre'],
          ['workorder.dispatched', 'department:transport'],
        ]);
        // The same event published again through the app's bus (as a relay does after a crash
        // between publishing and marking it published), then garbage, then a marker.
        const event = eventsOf(order.id).find((m) => m.key === 'workorder.dispatched')?.body;
        const bus = /** @type {import('../src/bus.js').Bus} */ (t.bus);
        await bus.publish('workorder.dispatched', event, event.id);
        await spy.inject('workorder.bogus', Buffer.from('not json'));
        const marker = {
          ...event,
          id: randomUUID(),
          type: 'supervised',
          detail: { kind: 'manual', stage: 'handle' },
        };
        await bus.publish('workorder.supervised', marker, marker.id);
        const after = await eventually(async () => {
          const items = await noticesOf(order.id);
          return items.length === 3 && items;
        });
        // Delivered to the worker and handled twice, recorded once.
        await eventually(async () => handled.filter((id) => id === event.id).length === 2);
        assert.equal(
          after.filter((/** @type {any} */ e) => e.routingKey === 'workorder.dispatched').length,
          1,
        );
        assert.match(
          after.find((/** @type {any} */ e) => e.routingKey === 'workorder.supervised').notice,
          /^督办/,
        );
      } finally {
        await running.stop();
      }
    });

    it('with two worker replicas every event is recorded once', async () => {
      /** @type {Record<'r0' | 'r1', string[]>} */
      const handled = { r0: [], r1: [] };
      const replicas = await Promise.all(
        /** @type {const} */ (['r0', 'r1']).map((replica) =>
          worker({ replica, db: watched((params) => handled[replica].push(params[0])) }),
        ),
      );
      try {
        const order = await t.intake();
        const [notice] = await eventually(async () => {
          const items = await noticesOf(order.id);
          return items.length === 1 && items;
        });
        const id = notice.eventId;
        const deliveries = (/** @type {string[]} */ ids) => ids.filter((e) => e === id).length;
        if (kind === 'mqtt') {
          // No shared subscriptions on MQTT 3.1.1: both replicas get it, the primary key keeps one row.
          await eventually(async () => deliveries(handled.r0) >= 1 && deliveries(handled.r1) >= 1);
        } else {
          // Competing consumers on one queue: one replica gets it.
          assert.equal(deliveries(handled.r0) + deliveries(handled.r1), 1);
        }
        assert.equal((await noticesOf(order.id)).length, 1);
      } finally {
        await Promise.all(replicas.map((r) => r.stop()));
      }
    });

    it('handles the events published while the worker was stopped once it starts again', async () => {
      // The first start creates the consumer's session (MQTT) or queue (RabbitMQ).
      await (await worker()).stop();
      const order = await t.intake();
      await t.act(order.id, 'dispatch', { department: 'housing' });
      // Published and acknowledged by the broker while no worker was connected.
      await eventually(async () => eventsOf(order.id).length === 2);
      assert.deepEqual(await noticesOf(order.id), []);
      let caughtUp = false;
      const running = await worker({
        db: {
          connect: () => t.db.connect(),
          /** @param {string} text @param {any[]} [params] */
          query(text, params) {
            if (String(text).includes('FROM outbox o')) caughtUp = true;
            return t.db.query(text, params);
          },
        },
      });
      try {
        const log = await eventually(async () => {
          const items = await noticesOf(order.id);
          return items.length === 2 && items;
        });
        assert.deepEqual(log.map((/** @type {any} */ e) => e.routingKey).sort(), [
          'workorder.created',
          'workorder.dispatched',
        ]);
        assert.equal(caughtUp, false, 'delivered from the kept session or queue, not the outbox');
      } finally {
        await running.stop();
      }
    });

    it('takes from the outbox what went out before its consumer first subscribed', async () => {
      // Acknowledged by the broker while it held no session or queue for this consumer, as
      // the first events after a deploy can be when the web process is ready before the worker.
      const order = await t.intake();
      await eventually(async () => eventsOf(order.id).length === 1);
      const queue = `${events.queue}.late`;
      const running = await worker({ replica: 'late', queue });
      try {
        // Recorded by the time the worker has started, not by a later tick.
        assert.deepEqual(
          (await noticesOf(order.id)).map((/** @type {any} */ e) => e.routingKey),
          ['workorder.created'],
        );
      } finally {
        await running.stop();
        if (kind === 'amqp') await forgetConsumers({ ...events, queue }, []);
      }
    });

    it('delivers again an event whose handling failed (acknowledged only once handled)', async () => {
      const order = await t.intake();
      // An event known before the worker runs, so the hook fails exactly its first delivery.
      const event = {
        id: randomUUID(),
        type: 'supervised',
        occurredAt: new Date().toISOString(),
        workOrder: {
          id: order.id,
          no: order.no,
          status: order.status,
          category: order.category,
          department: null,
          urgent: false,
        },
        detail: { kind: 'manual', stage: 'dispatch' },
      };
      let attempts = 0;
      const running = await worker({
        db: watched((params) => {
          if (params[0] !== event.id) return;
          attempts += 1;
          if (attempts === 1) throw new Error('数据库暂不可用（测试）· database away (test)');
        }),
      });
      try {
        await t.bus?.publish('workorder.supervised', event, event.id);
        await eventually(async () =>
          (await noticesOf(order.id)).some((e) => e.eventId === event.id),
        );
        assert.equal(attempts, 2, 'handled on the second delivery');
      } finally {
        await running.stop();
      }
    });

    it('reports not ready when the bus is disconnected', async () => {
      assert.equal((await t.call('readyz')).status, 200);
      const app = await startTestApp({ events });
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
}
