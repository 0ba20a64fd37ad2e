import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness';

// Optional TLS (ZW_TLS_CERT, ZW_TLS_KEY as PEM text or file paths): the API and the app router on one
// HTTPS port, with a certificate made by openssl for 127.0.0.1.
let dir: string;
let cert: string;
let platform: TestPlatform;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zw-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  cert = await readFile(join(dir, 'cert.pem'), 'utf8');
  // The certificate as PEM text, the key as the path of its file: both forms are accepted.
  platform = await startTestPlatform({
    ZW_TLS_CERT: cert,
    ZW_TLS_KEY: join(dir, 'key.pem'),
    ZW_EMBEDDED_ENGINES: 'none',
  });
}, 120_000);
afterAll(async () => {
  await platform?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A GET that trusts exactly the test's certificate. */
function fetchTls(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    get(url, { ca: cert, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

it('serves the API over HTTPS and says so in its URL', async () => {
  expect(platform.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  expect(await fetchTls(`${platform.url}/healthz`)).toMatchObject({ status: 200 });
  const me = await fetchTls(`${platform.url}/v1/me`, {
    authorization: `Bearer ${platform.adminToken}`,
  });
  expect(me.status).toBe(200);
  // Plain HTTP on the same port is not served.
  const plain = await fetch(platform.url.replace('https:', 'http:') + '/healthz').catch(
    (error: Error) => error,
  );
  expect(plain).toBeInstanceOf(Error);
});

it('refuses a client that does not trust the certificate', async () => {
  const untrusted = new Promise((resolve, reject) =>
    get(`${platform.url}/healthz`, resolve).on('error', reject),
  );
  await expect(untrusted).rejects.toThrow(/self-signed|self signed/);
});

it('refuses a TLS variable that is neither PEM nor a readable PEM file, saying which', async () => {
  const { loadConfig, ConfigError } = await import('../src/config');
  const key = join(dir, 'key.pem');
  expect(() => loadConfig({ ZW_TLS_CERT: join(dir, 'missing.pem'), ZW_TLS_KEY: key })).toThrow(
    ConfigError,
  );
  expect(() => loadConfig({ ZW_TLS_CERT: join(dir, 'missing.pem'), ZW_TLS_KEY: key })).toThrow(
    /ZW_TLS_CERT is neither PEM text nor a readable file: ENOENT/,
  );
  await writeFile(join(dir, 'not.pem'), 'hello');
  expect(() =>
    loadConfig({ ZW_TLS_CERT: join(dir, 'cert.pem'), ZW_TLS_KEY: join(dir, 'not.pem') }),
  ).toThrow(/ZW_TLS_KEY names a file without PEM in it/);
  expect(loadConfig({ ZW_TLS_CERT: join(dir, 'cert.pem'), ZW_TLS_KEY: key }).tls?.cert).toBe(cert);
});
