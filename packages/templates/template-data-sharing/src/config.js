import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The app's only contact with its environment: env variables mapped from bindings in
 * zhengwu.yaml, else the servicebinding.io files `$SERVICE_BINDING_ROOT/<resource>/<key>`.
 */

/** @param {string} resource @param {string} key */
function bindingFile(resource, key) {
  const root = process.env.SERVICE_BINDING_ROOT;
  if (!root) return undefined;
  const file = join(root, resource, key);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** @param {string} name @param {string} [resource] @param {string} [key] */
function read(name, resource, key) {
  const value = process.env[name];
  if (value !== undefined && value !== '') return value;
  return resource && key ? bindingFile(resource, key) : undefined;
}

/**
 * @typedef {object} Config
 * @property {number} port
 * @property {string} host
 * @property {string} logLevel
 * @property {string | undefined} databaseUrl
 * @property {string | undefined} redisUrl
 * @property {string} redisKeyPrefix   every Redis key starts with it (the binding's ACL)
 * @property {string | undefined} adminToken
 * @property {number} defaultRateLimit  calls per consumer per minute
 */

/** @returns {Config} */
export function loadConfig() {
  return {
    port: Number(process.env.PORT ?? 8080),
    host: process.env.HOST ?? '0.0.0.0',
    logLevel: process.env.LOG_LEVEL ?? 'info',
    databaseUrl: read('DATABASE_URL', 'db', 'uri'),
    redisUrl: read('REDIS_URL', 'cache', 'uri'),
    redisKeyPrefix: read('REDIS_KEY_PREFIX', 'cache', 'keyPrefix') ?? 'data-sharing:',
    adminToken: read('ADMIN_TOKEN'),
    defaultRateLimit: Number(process.env.DEFAULT_RATE_LIMIT ?? 60),
  };
}

/** @param {Config} config */
export function missingSettings(config) {
  /** @type {string[]} */
  const missing = [];
  if (!config.databaseUrl) missing.push('DATABASE_URL');
  if (!config.redisUrl) missing.push('REDIS_URL');
  if (!config.adminToken) missing.push('ADMIN_TOKEN');
  return missing;
}
