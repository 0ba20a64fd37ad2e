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

/**
 * @typedef {object} S3Config
 * @property {string | undefined} endpoint
 * @property {string} region
 * @property {string | undefined} bucket
 * @property {string | undefined} accessKeyId
 * @property {string | undefined} secretAccessKey
 * @property {boolean} forcePathStyle
 *
 * @typedef {object} Config
 * @property {number} port
 * @property {string} host
 * @property {string} logLevel
 * @property {string | undefined} databaseUrl
 * @property {S3Config} s3
 * @property {number} maxUploadBytes
 */

/** @returns {Config} */
export function loadConfig() {
  return {
    port: Number(process.env.PORT ?? 8080),
    host: process.env.HOST ?? '0.0.0.0',
    logLevel: process.env.LOG_LEVEL ?? 'info',
    databaseUrl: read('DATABASE_URL', 'db', 'uri'),
    s3: {
      endpoint: read('S3_ENDPOINT', 'files', 'endpoint'),
      region: read('S3_REGION', 'files', 'region') ?? 'cn-gov-1',
      bucket: read('S3_BUCKET', 'files', 'bucket'),
      accessKeyId: read('S3_ACCESS_KEY_ID', 'files', 'accessKeyId'),
      secretAccessKey: read('S3_SECRET_ACCESS_KEY', 'files', 'secretAccessKey'),
      forcePathStyle: (read('S3_FORCE_PATH_STYLE', 'files', 'forcePathStyle') ?? 'true') === 'true',
    },
    maxUploadBytes: Number(process.env.MAX_UPLOAD_BYTES ?? 20 * 1024 * 1024),
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
  if (!config.s3.bucket) missing.push('S3_BUCKET');
  if (!config.s3.accessKeyId) missing.push('S3_ACCESS_KEY_ID');
  if (!config.s3.secretAccessKey) missing.push('S3_SECRET_ACCESS_KEY');
  return missing;
}
