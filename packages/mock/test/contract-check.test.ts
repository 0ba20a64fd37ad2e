import { describe, expect, it } from 'vitest';
import { checkResponse } from './contract-check';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'x-request-id': 'req_1', ...headers },
  });

describe('the contract check itself', () => {
  it('catches a body that breaks the schema, an undeclared status and a missing header', async () => {
    const url = 'http://127.0.0.1:7070/v1/instances/ins_00000000000000000000';
    expect(await checkResponse('GET', url, json(200, { id: 'nope' }))).toEqual([
      expect.stringMatching(/body fails the schema/),
    ]);
    expect(await checkResponse('GET', url, json(409, {}))).toEqual([
      expect.stringMatching(/doesn't declare 409/),
    ]);
    const created = json(201, {}, {});
    expect((await checkResponse('POST', 'http://127.0.0.1:7070/v1/apps', created)).join()).toMatch(
      /missing required header location/i,
    );
    expect(
      await checkResponse(
        'GET',
        'http://127.0.0.1:7070/healthz',
        json(200, { status: 'ok', version: '1', time: '2026-11-26T08:00:00Z' }),
      ),
    ).toEqual([]);
  });
});
