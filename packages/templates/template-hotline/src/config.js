import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The app's only contact with its environment. Values come from env variables (mapped from
 * bindings in zhengwu.yaml) and, when a variable is absent, from the servicebinding.io files
 * `$SERVICE_BINDING_ROOT/<resource>/<key>` the platform also writes.
 */

/** @param {string} resource @param {string} key */
function bindingFile(resource, key) {
  const root = process.env.SERVICE_BINDING_ROOT;
  if (!root) return undefined;
  const file = join(root, resource, key);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** @param {string} name @param {string} resource @param {string} key */
function read(name, resource, key) {
  const value = process.env[name];
  if (value !== undefined && value !== '') return value;
  return bindingFile(resource, key);
}

/** @param {string | undefined} value @param {number} fallback */
function positive(value, fallback) {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** A topic prefix ends with `/` (bindings hand it out so; a hand-set one may forget it). */
function topicPrefix(/** @type {string | undefined} */ value) {
  if (!value) return '';
  return value.endsWith('/') ? value : `${value}/`;
}

/**
 * @typedef {object} EventsConfig
 * @property {string | undefined} url       the message broker: `mqtt(s)://` (MQTT) or `amqp(s)://` (RabbitMQ)
 * @property {string} topicPrefix           MQTT: the binding may only use topics under it (`zw_i_…/`)
 * @property {string} clientId              MQTT: the worker's persistent session, stable per replica
 * @property {string} exchange              RabbitMQ: topic exchange every state change is published on
 * @property {string} queue                 RabbitMQ: the worker's durable queue (bound to `workorder.#`)
 *
 * @typedef {object} Config
 * @property {number} port
 * @property {string} host
 * @property {string} logLevel
 * @property {string | undefined} databaseUrl
 * @property {EventsConfig} events
 * @property {number} scanIntervalMs        how often the worker looks for orders near or past a deadline
 */

/** @returns {Config} */
export function loadConfig() {
  const prefix = topicPrefix(read('MQ_TOPIC_PREFIX', 'mq', 'topicPrefix'));
  return {
    port: Number(process.env.PORT ?? 8080),
    host: process.env.HOST ?? '0.0.0.0',
    logLevel: process.env.LOG_LEVEL ?? 'info',
    databaseUrl: read('DATABASE_URL', 'db', 'uri'),
    events: {
      // AMQP_URL is the name of earlier versions of this template, still accepted.
      url: process.env.MQ_URL || process.env.AMQP_URL || bindingFile('mq', 'uri'),
      topicPrefix: prefix,
      // One session per worker replica that survives restarts, so events published meanwhile
      // wait in the broker. The prefix makes it unique on brokers shared by many tenants.
      clientId:
        process.env.EVENTS_CLIENT_ID ||
        `${prefix.slice(0, -1) || 'hotline'}-worker-${process.env.ZHENGWU_REPLICA || '0'}`,
      // The RabbitMQ binding gives the app its own vhost, so fixed names are safe there; tests
      // that share one vhost set unique names.
      exchange: process.env.EVENTS_EXCHANGE || 'workorders',
      queue: process.env.EVENTS_QUEUE || 'workorders.worker',
    },
    scanIntervalMs: positive(process.env.SCAN_INTERVAL_MS, 60_000),
  };
}

/**
 * Names of required settings that are missing, so the process can stop with a clear message.
 * @param {Config} config
 */
export function missingSettings(config) {
  /** @type {string[]} */
  const missing = [];
  if (!config.databaseUrl) missing.push('DATABASE_URL');
  if (!config.events.url) missing.push('MQ_URL');
  return missing;
}
