import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type BindingCredentialsOf,
  type CredentialsOf,
  type PlanIdOf,
  type Schemas,
  type ServiceId,
  Zhengwu,
} from '../src/index';
import { BASE, server } from './setup';

const client = new Zhengwu({ baseUrl: BASE, token: 'zw_test', maxRetries: 0 });
const instanceId = 'ins_0123456789abcdefABCD';
const bindingId = 'bnd_0123456789abcdefABCD';

/** Records every request body; answers with `reply`. */
function capture(reply: Record<string, unknown> = {}) {
  const bodies: unknown[] = [];
  server.use(
    http.all(`${BASE}/*`, async ({ request }) => {
      const text = await request.text();
      bodies.push(text ? JSON.parse(text) : undefined);
      return HttpResponse.json(reply);
    }),
  );
  return bodies;
}

/**
 * Compile-time checks of the per-service types. `tsc` (the package's typecheck includes
 * test/) fails when a line marked `@ts-expect-error` compiles, so each marks a call the SDK
 * must reject. Never called: only the calls in the tests below send requests.
 */
export async function compileTimeChecks(client: Zhengwu, plan: string, service: string) {
  await client.instances.create({
    name: 'db',
    service: 'postgresql',
    plan: 's',
    parameters: { extensions: ['pg_trgm'] },
  });
  const extensions = ['pg_trgm', 'pgcrypto'] as const;
  await client.instances.create({
    name: 'db',
    service: 'postgresql',
    plan: 'l',
    parameters: { extensions },
  });
  // @ts-expect-error not a plan of the service
  await client.instances.create({ name: 'db', service: 'postgresql', plan: 'huge' });
  await client.instances.create({
    name: 'db',
    service: 'postgresql',
    plan: 's',
    // @ts-expect-error not a parameter of the service
    parameters: { nope: 1 },
  });
  await client.instances.create({
    name: 'db',
    service: 'postgresql',
    plan: 's',
    // @ts-expect-error PostGIS is not an extension the catalog offers
    parameters: { extensions: ['postgis'] },
  });
  await client.instances.create({
    name: 'c',
    service: 'redis',
    plan: 'dev',
    // @ts-expect-error Redis takes no parameters
    parameters: { evictionPolicy: 'lru' },
  });
  await client.instances.create({
    name: 'db',
    service: 'mysql',
    plan: 'm',
    // @ts-expect-error a GBK database takes a GBK collation
    parameters: { characterSet: 'gbk', collation: 'utf8mb4_bin' },
  });
  await client.instances.create({
    name: 'b',
    service: 'object-storage',
    plan: 's',
    // @ts-expect-error no public buckets
    parameters: { publicRead: true },
  });
  // @ts-expect-error unknown fields of the body are still rejected
  await client.instances.create({ name: 'db', service: 'postgresql', plan: 's', size: 'xl' });
  // @ts-expect-error the service is required
  await client.instances.create({ name: 'db', plan: 's' });

  // A plan read at run time (a CLI flag) is a wide string: the platform checks it.
  await client.instances.create({
    name: 'db',
    service: 'postgresql',
    plan,
    parameters: { extensions },
  });
  await client.instances.create({ name: 'db', service, plan, parameters: { anything: 1 } });
  // A service newer than this SDK: the contract's untyped shape.
  await client.instances.create({
    name: 'q',
    service: 'nats',
    plan: 'dev',
    parameters: { jetstream: true },
  });

  await client.instances.update<'postgresql'>(instanceId, {
    plan: 'm',
    parameters: { extensions },
  });
  // @ts-expect-error not a plan of the service
  await client.instances.update<'postgresql'>(instanceId, { plan: 'huge' });
  // @ts-expect-error MariaDB takes no update parameters
  await client.instances.update<'mysql'>(instanceId, { parameters: { characterSet: 'gbk' } });
  await client.instances.update(instanceId, { plan: 'anything', parameters: { any: 1 } });

  await client.bindings.create<'postgresql'>({
    instanceId,
    name: 'r',
    parameters: { readOnly: true },
  });
  // @ts-expect-error readOnly is a boolean
  await client.bindings.create<'redis'>({ instanceId, name: 'r', parameters: { readOnly: 'yes' } });
  await client.bindings.create<'mqtt'>({
    instanceId,
    name: 'r',
    // @ts-expect-error not a binding parameter of the service
    parameters: { topicPrefix: 'x/' },
  });
  await client.bindings.create({ instanceId, name: 'r', parameters: { anything: 1 } });

  const pg = await client.bindings.credentials<'postgresql'>(bindingId);
  expectTypeOf(pg.credentials).toEqualTypeOf<CredentialsOf<'postgresql'>>();
  expectTypeOf(pg.credentials.uri).toEqualTypeOf<string>();
  expectTypeOf(pg.credentials.port).toEqualTypeOf<number>();
  expectTypeOf(pg.credentials.tls.mode).toEqualTypeOf<'disable' | 'require' | 'verify-full'>();
  expectTypeOf(pg.version).toEqualTypeOf<number>();
  // @ts-expect-error PostgreSQL credentials have no vhost
  pg.credentials.vhost;
  const s3 = await client.bindings.credentials<'object-storage'>(bindingId);
  expectTypeOf(s3.credentials.forcePathStyle).toEqualTypeOf<true>();
  expectTypeOf(s3.credentials.secretAccessKey).toEqualTypeOf<string>();
  const untyped = await client.bindings.credentials(bindingId);
  expectTypeOf(untyped).toEqualTypeOf<Schemas['BindingCredentials']>();
  expectTypeOf<BindingCredentialsOf<'nats'>>().toEqualTypeOf<Schemas['BindingCredentials']>();
  expectTypeOf<PlanIdOf<'redis'>>().toEqualTypeOf<'dev' | 's' | 'm' | 'l'>();
  expectTypeOf<'postgresql'>().toMatchTypeOf<ServiceId>();
  expectTypeOf(
    await client.instances.create({ name: 'db', service: 'redis', plan: 'dev' }),
  ).toEqualTypeOf<Schemas['Instance']>();
}

describe('per-service types', () => {
  it('send the typed bodies unchanged', async () => {
    const bodies = capture({ id: instanceId });
    await client.instances.create({
      name: 'db',
      service: 'postgresql',
      plan: 's',
      parameters: { extensions: ['pg_trgm'] },
    });
    await client.instances.update<'mqtt'>(instanceId, { parameters: { retainAvailable: false } });
    await client.bindings.create<'mysql'>({
      instanceId,
      name: 'report',
      parameters: { readOnly: true },
    });
    expect(bodies).toEqual([
      { name: 'db', service: 'postgresql', plan: 's', parameters: { extensions: ['pg_trgm'] } },
      { parameters: { retainAvailable: false } },
      { instanceId, name: 'report', parameters: { readOnly: true } },
    ]);
  });

  it('return the credentials the platform sends, typed as the caller named', async () => {
    const credentials = {
      uri: 'postgresql://zw_b_x_v1:fixture-only@127.0.0.1:5432/zw_i_x',
      host: '127.0.0.1',
      port: 5432,
      database: 'zw_i_x',
      username: 'zw_b_x_v1',
      password: 'fixture-only',
      tls: { mode: 'disable', gm: false },
    };
    capture({ bindingId, version: 1, credentials, issuedAt: '2026-11-26T08:10:04Z' });
    const read = await client.bindings.credentials<'postgresql'>(bindingId);
    expect(read.credentials).toEqual(credentials);
    expect(new URL(read.credentials.uri).port).toBe('5432');
  });

  it('take only types from @zhengwu/catalog, so its code never reaches the bundle', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else files.push(join(dir, e.name));
      }
    };
    walk(join(import.meta.dirname, '../src'));
    const importers = files.filter((f) => readFileSync(f, 'utf8').includes('@zhengwu/catalog'));
    expect(importers.length).toBeGreaterThan(0);
    for (const file of importers) {
      const statements = readFileSync(file, 'utf8').match(
        /^(import|export)[^;]*@zhengwu\/catalog'/gms,
      );
      for (const statement of statements ?? [])
        expect(statement, file).toMatch(/^(import|export) type /);
    }
  });
});
