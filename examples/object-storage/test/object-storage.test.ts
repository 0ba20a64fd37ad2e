import './plain-node-resolution';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../packages/platform/test/harness';
import { cleanUp, objectStorage } from '../src/object-storage';

// A real platform with its embedded S3 endpoint (on a free port: test files run in parallel).
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({
    ZW_EMBEDDED_ENGINES: 'object-storage',
    ZW_OBJECT_STORAGE_PORT: '0',
  });
}, 120_000);
afterAll(() => platform?.close());

it('uploads, downloads, shares by presigned URL, lists and deletes an object', async () => {
  const lines: string[] = [];
  const result = await objectStorage(platform.admin, (l) => lines.push(l), 'test');

  // The same bytes came back three ways.
  expect(result.sha256.uploaded).toMatch(/^[0-9a-f]{64}$/);
  expect(result.sha256.downloaded).toBe(result.sha256.uploaded);
  expect(result.sha256.presigned).toBe(result.sha256.uploaded);
  expect(result.contentType).toBe('text/plain; charset=utf-8');
  expect(result.listed).toEqual([result.key]);
  expect(result.listedAfterDelete).toEqual([]);
  expect(lines.join('\n')).toMatch(/HTTP 200, \d+ bytes/);

  // The presigned URL is really signed: still valid, it now finds no object…
  const afterDelete = await fetch(result.presignedUrl);
  expect(afterDelete.status).toBe(404);
  expect(await afterDelete.text()).toContain('<Code>NoSuchKey</Code>');
  // …and the same URL without its signature is refused: buckets are never public.
  const url = new URL(result.presignedUrl);
  const unsigned = await fetch(`${url.origin}${url.pathname}`);
  expect(unsigned.status).toBe(403);
  expect(await unsigned.text()).toContain('<Code>AccessDenied</Code>');

  await cleanUp(platform.admin, result);
  // The binding's key died with the instance.
  const revoked = await fetch(result.presignedUrl);
  expect(revoked.status).toBe(403);
  expect(await revoked.text()).toContain('<Code>InvalidAccessKeyId</Code>');
}, 120_000);
