import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  Zhengwu,
  ZhengwuError,
} from '../src/index';
import { BASE, server } from './setup';

const client = new Zhengwu({ baseUrl: BASE, token: 'zw_test', maxRetries: 0 });

describe('error classes', () => {
  it.each([
    [400, BadRequestError, 'BadRequestError'],
    [401, AuthenticationError, 'AuthenticationError'],
    [403, PermissionDeniedError, 'PermissionDeniedError'],
    [404, NotFoundError, 'NotFoundError'],
    [409, ConflictError, 'ConflictError'],
    [422, UnprocessableEntityError, 'UnprocessableEntityError'],
    [429, RateLimitError, 'RateLimitError'],
    [500, InternalServerError, 'InternalServerError'],
    [502, InternalServerError, 'InternalServerError'],
    [503, InternalServerError, 'InternalServerError'],
  ])('%i maps to %o', async (status, Class, name) => {
    server.use(
      http.get(`${BASE}/v1/instances/:id`, () =>
        HttpResponse.json(
          {
            type: 'about:blank',
            title: 'Nope',
            status,
            code: `code_${status}`,
            detail: `detail ${status}`,
          },
          {
            status,
            headers: {
              'content-type': 'application/problem+json',
              'x-request-id': `req_${status}`,
            },
          },
        ),
      ),
    );
    const error = await client.instances.retrieve('ins_0123456789abcdef').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(ZhengwuError);
    const e = error as APIError;
    expect(e.name).toBe(name);
    expect(e.status).toBe(status);
    expect(e.code).toBe(`code_${status}`);
    expect(e.requestId).toBe(`req_${status}`);
    expect(e.problem?.detail).toBe(`detail ${status}`);
    expect(e.message).toBe(`${status} code_${status}: detail ${status} (request req_${status})`);
  });

  it('other statuses are plain APIErrors', async () => {
    server.use(
      http.get(`${BASE}/v1/instances/:id`, () => HttpResponse.json({ code: 'x' }, { status: 415 })),
    );
    const error = await client.instances.retrieve('ins_0123456789abcdef').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error).not.toBeInstanceOf(BadRequestError);
    expect((error as APIError).status).toBe(415);
  });

  it('keeps validation details and a non-JSON body', async () => {
    server.use(
      http.post(`${BASE}/v1/instances`, () =>
        HttpResponse.json(
          {
            status: 422,
            code: 'validation_failed',
            title: 'Invalid request',
            requestId: 'req_body',
            errors: [{ path: '/plan', message: 'unknown plan', code: 'plan_not_found' }],
          },
          { status: 422 },
        ),
      ),
      http.get(`${BASE}/v1/instances/:id`, () => new HttpResponse('Bad Gateway', { status: 502 })),
    );
    const invalid = (await client.instances
      // @ts-expect-error the SDK already rejects an unknown plan at compile time
      .create({ name: 'db', service: 'postgresql', plan: 'nope' })
      .catch((e: unknown) => e)) as UnprocessableEntityError;
    expect(invalid.problem?.errors?.[0]?.path).toBe('/plan');
    expect(invalid.requestId).toBe('req_body');

    const gateway = (await client.instances
      .retrieve('ins_0123456789abcdef')
      .catch((e: unknown) => e)) as APIError;
    expect(gateway).toBeInstanceOf(InternalServerError);
    expect(gateway.problem?.title).toBe('Bad Gateway');
  });
});
