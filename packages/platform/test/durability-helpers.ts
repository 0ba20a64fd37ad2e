import pg from 'pg';
import type { AuditInput } from '../src/audit/log';
import { hashSecret, newTokenSecret, prefixOf } from '../src/auth/secrets';
import type { Db } from '../src/db/database';
import type { Role, TenantRow } from '../src/db/schema';
import { newId } from '../src/ids';
import type { TestPlatform } from './harness';

const LEVELS = ['province', 'city', 'district', 'township'] as const;

/** A tenant row written directly (the audit and operations tests need only the tree). */
export async function tenant(db: Db, name: string, parent?: TenantRow): Promise<TenantRow> {
  const id = newId('ten');
  const level = LEVELS[parent ? parent.path.length : 0];
  if (!level) throw new Error('a township has no children');
  return db
    .insertInto('tenants')
    .values({
      id,
      name,
      display_name: JSON.stringify({ zh: name, en: name }),
      parent_id: parent?.id ?? null,
      path: [...(parent?.path ?? []), id],
      level,
      region_code: null,
      labels: JSON.stringify({}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A token with `role` on `tenantId`, stored as `createToken` stores one; returns the secret. */
export async function token(db: Db, tenantId: string, role: Role): Promise<string> {
  const secret = newTokenSecret();
  await db
    .insertInto('tokens')
    .values({
      id: newId('tok'),
      name: `durability test ${role}`,
      tenant_id: tenantId,
      role,
      prefix: prefixOf(secret),
      secret_hash: hashSecret(secret),
      expires_at: new Date(Date.now() + 86_400_000),
      created_by: 'durability-test',
    })
    .execute();
  return secret;
}

/** An audit event with defaults for what the test does not care about. */
export function event(overrides: Partial<AuditInput> = {}): AuditInput {
  return {
    principal: { type: 'token', id: 'tok_testprincipal0000000', name: 'test' },
    tenantId: null,
    action: 'test.seed',
    target: null,
    outcome: 'success',
    reason: null,
    sourceIp: '10.0.0.1',
    userAgent: 'vitest',
    requestId: `req_${Math.random().toString(36).slice(2, 12)}`,
    ...overrides,
  };
}

/** One raw HTTP exchange (status and headers the SDK hides). */
export async function http(
  platform: TestPlatform,
  secret: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${secret}`,
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
}

/** Polls `check` until it returns a value (not `undefined`), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A fresh database on the external PostgreSQL (ZW_TEST_STATE_DB=external), as the harness
 * makes one, for tests that start platforms themselves (the crash test's child process).
 */
export async function externalDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = process.env.ZW_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `zw_test_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
