import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { busKind, connectBus } from '../src/bus.js';
import { keyOf, topicOf } from '../src/bus-mqtt.js';
import { quiet } from '../test-support/app.js';

// No services needed: which bus a URL picks, and the MQTT topic mapping.

/** A loopback port nothing listens on. @returns {Promise<number>} */
function closedPort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** @param {string} url */
const events = (url) => ({
  url,
  topicPrefix: 'zw_i_test/',
  clientId: 'hotline-worker-0',
  exchange: 'workorders',
  queue: 'workorders.worker',
});

describe('消息总线的选择 · choosing the bus', () => {
  it('follows the URL scheme', () => {
    assert.equal(busKind('mqtt://u:p@127.0.0.1:1883'), 'mqtt');
    assert.equal(busKind('mqtts://broker.gov.cn:8883'), 'mqtt');
    assert.equal(busKind('MQTT://127.0.0.1'), 'mqtt');
    assert.equal(busKind('amqp://guest:guest@127.0.0.1:5672'), 'amqp');
    assert.equal(busKind('amqps://mq.gov.cn/vhost'), 'amqp');
  });

  it('refuses other schemes with a clear message that does not repeat the URL', async () => {
    for (const url of ['redis://user:s3cret@127.0.0.1:6379', 'not a url', '']) {
      assert.throws(
        () => busKind(url),
        (/** @type {Error} */ error) =>
          /MQ_URL/.test(error.message) &&
          /mqtt:\/\/, mqtts:\/\/, amqp:\/\/ or amqps:\/\//.test(error.message) &&
          !error.message.includes('s3cret'),
      );
    }
    await assert.rejects(connectBus(events('redis://127.0.0.1:6379')), /MQ_URL/);
  });

  it('connects with the MQTT bus for mqtt:// and the RabbitMQ bus for amqp://', async () => {
    const port = await closedPort();
    await assert.rejects(
      connectBus(events(`mqtt://127.0.0.1:${port}`), { log: quiet }),
      new RegExp(`cannot reach the MQTT broker at 127\\.0\\.0\\.1:${port}`),
    );
    await assert.rejects(
      connectBus(events(`amqp://127.0.0.1:${port}`), { log: quiet }),
      (/** @type {Error & { code?: string }} */ error) =>
        error.code === 'ECONNREFUSED' && !/MQTT/.test(error.message),
    );
  });
});

describe('MQTT 主题 · MQTT topics', () => {
  it('maps routing keys to topic levels under the prefix, and back', () => {
    assert.equal(topicOf('zw_i_a/', 'workorder.dispatched'), 'zw_i_a/workorder/dispatched');
    assert.equal(topicOf('zw_i_a/', 'workorder.#'), 'zw_i_a/workorder/#');
    assert.equal(topicOf('', 'workorder.x.y'), 'workorder/x/y');
    assert.equal(keyOf('zw_i_a/', 'zw_i_a/workorder/dispatched'), 'workorder.dispatched');
    assert.equal(keyOf('', 'workorder/x/y'), 'workorder.x.y');
  });
});
