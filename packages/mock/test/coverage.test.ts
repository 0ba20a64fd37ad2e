import { readFileSync } from 'node:fs';
import { type OperationId, operations } from '@zhengwu/openapi';
import { describe, expect, it } from 'vitest';
import { outputPath, renderContract } from '../scripts/generate-contract';
import { contract } from '../src/generated/contract';
import { resolvers } from '../src/resolvers/index';
import { toMswPath } from '../src/router';
import { setup } from './helpers';

const { platform } = setup();

/** A value that matches a path parameter's pattern, e.g. `ins_` + 20 characters. */
const SAMPLE: Record<string, string> = {
  tenantId: 'ten_00000000000000000000',
  memberId: 'mem_00000000000000000000',
  tokenId: 'tok_00000000000000000000',
  instanceId: 'ins_00000000000000000000',
  bindingId: 'bnd_00000000000000000000',
  operationId: 'op_00000000000000000000',
  appId: 'app_00000000000000000000',
  releaseId: 'rel_00000000000000000000',
  scheduleId: 'sch_00000000000000000000',
  eventId: 'evt_00000000000000000000',
  serviceId: 'postgresql',
  planId: 's',
};

const ids = Object.keys(operations) as OperationId[];

describe('coverage of the contract', () => {
  it('has a resolver for every operationId, and nothing else', () => {
    expect(Object.keys(resolvers).sort()).toEqual([...ids].sort());
    expect(Object.keys(contract.operations).sort()).toEqual([...ids].sort());
  });

  it('has one handler per operation, in contract order, plus the unknown-route 404', () => {
    expect(platform.handlers).toHaveLength(ids.length + 1);
    ids.forEach((id, i) => {
      const { method, path } = operations[id];
      expect(platform.handlers[i]!.info.header).toBe(
        `${method} ${platform.baseUrl}${toMswPath(path)}`,
      );
    });
  });

  it.each(ids)('%s answers its route (not the unknown-route 404)', async (id) => {
    const { method, path } = operations[id];
    const url = platform.baseUrl + path.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name]!);
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${platform.token}` },
    });
    const text = await response.text();
    expect(text).not.toMatch(/No route matches/);
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9A-Za-z]{20}$/);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await fetch(`${platform.baseUrl}/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      code: 'not_found',
      detail: 'No route matches GET /v1/nothing-here.',
    });
  });

  it('keeps src/generated/contract.ts in step with openapi.yaml', async () => {
    expect(readFileSync(outputPath, 'utf8')).toBe(await renderContract());
  });
});
