import { BadRequestError, NotFoundError, UnprocessableEntityError } from '@zhengwu/sdk';
import { describe, expect, it } from 'vitest';
import { setup } from './helpers';

const { client, platform } = setup();
const auth = { authorization: `Bearer ${platform.token}` };
const post = (path: string, body: string, contentType = 'application/json') =>
  fetch(`${platform.baseUrl}${path}`, {
    method: 'POST',
    headers: { ...auth, 'content-type': contentType },
    body,
  });

describe('request validation against the contract', () => {
  it('rejects an unknown field with 422 and the field path', async () => {
    const error = await client.instances
      .create({ name: 'db', service: 'postgresql', plan: 's', nmae: 'typo' } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect((error as UnprocessableEntityError).problem).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: '/body/nmae', message: 'unknown field', code: 'additionalProperties' }],
    });
  });

  it('lists every schema problem: pattern, required, nested unknown field', async () => {
    const response = await post(
      '/v1/tenants',
      JSON.stringify({
        name: 'Bad Name',
        displayName: { zh: '某地', en: 'X', fr: 'x' },
        level: 'city',
      }),
    );
    expect(response.status).toBe(422);
    const problem = await response.json();
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/body/name', code: 'pattern' }),
        expect.objectContaining({ path: '/body/parentId', code: 'required' }),
        expect.objectContaining({ path: '/body/displayName/fr', code: 'unevaluatedProperties' }),
      ]),
    );
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await post('/v1/instances', '{"name": "db",');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'invalid_json', status: 400 });
  });

  it('answers a body of the wrong media type with 415', async () => {
    const response = await post('/v1/instances', 'name=db', 'text/plain');
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ code: 'unsupported_media_type' });
  });

  it('answers a JSON body over 1 MiB with 413', async () => {
    const response = await post(
      '/v1/apps',
      JSON.stringify({ name: 'big', labels: { a: 'x'.repeat(1_100_000) } }),
    );
    expect(response.status).toBe(413);
  });

  it('checks query parameters: range, type and unknown names (400 bad_request)', async () => {
    for (const [query, path, code] of [
      ['limit=0', '/query/limit', 'minimum'],
      ['limit=201', '/query/limit', 'maximum'],
      ['limit=ten', '/query/limit', 'type'],
      ['page=2', '/query/page', 'additionalProperties'],
      ['state=sleeping', '/query/state', 'enum'],
    ] as const) {
      const error = await client.raw
        .GET('/v1/instances', {
          params: { query: Object.fromEntries([query.split('=')]) as never },
        })
        .catch((e: unknown) => e);
      expect(error, query).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).problem?.errors?.[0], query).toMatchObject({ path, code });
    }
  });

  it('answers a malformed id in the path with 404', async () => {
    await expect(client.instances.retrieve('not-an-id')).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.instances.retrieve('ins_00000000000000000000')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('checks parameters against the plan’s JSON Schema and the catalog', async () => {
    await expect(
      client.instances.create({
        name: 'db',
        service: 'postgresql',
        plan: 's',
        // @ts-expect-error the SDK's types reject it too; the mock must reject it at run time
        parameters: { extensions: ['postgis'] },
      }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      problem: { errors: [{ path: '/body/parameters/extensions/0', code: 'enum' }] },
    });
    await expect(
      // @ts-expect-error not a plan of the service (a compile error in the SDK, a 422 here)
      client.instances.create({ name: 'db', service: 'postgresql', plan: 'xxl' }),
    ).rejects.toMatchObject({
      status: 422,
      code: 'plan_not_found',
      problem: { errors: [{ path: '/body/plan' }] },
    });
    await expect(
      client.instances.create({ name: 'db', service: 'oracle', plan: 's' }),
    ).rejects.toMatchObject({
      code: 'plan_not_found',
      problem: { errors: [{ path: '/body/service' }] },
    });
  });

  it('echoes a valid X-Request-Id and replaces a malformed one', async () => {
    const mine = await fetch(`${platform.baseUrl}/healthz`, {
      headers: { 'x-request-id': 'trace.42-abc' },
    });
    expect(mine.headers.get('x-request-id')).toBe('trace.42-abc');
    const bad = await fetch(`${platform.baseUrl}/healthz`, {
      headers: { 'x-request-id': 'has spaces' },
    });
    expect(bad.headers.get('x-request-id')).toMatch(/^req_/);
    const problem = await fetch(`${platform.baseUrl}/v1/instances/ins_00000000000000000000`, {
      headers: { ...auth, 'x-request-id': 'trace-7' },
    });
    expect(await problem.json()).toMatchObject({
      requestId: 'trace-7',
      instance: '/v1/instances/ins_00000000000000000000',
    });
  });

  it('rejects a duplicate name with 409 already_exists', async () => {
    await client.apps.create({ name: 'portal' });
    await expect(client.apps.create({ name: 'portal' })).rejects.toMatchObject({
      status: 409,
      code: 'already_exists',
    });
  });
});
