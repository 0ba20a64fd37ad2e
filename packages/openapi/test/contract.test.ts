/**
 * Conventions of the platform API, enforced on openapi.yaml so later edits can't drift.
 * The README's "Conventions" section is the prose version of these tests.
 */
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { findStaleFiles, generateFiles, loadDocument } from '../scripts/generate';
import { type OperationId, operations, type paths, type Schemas } from '../src/index';
import { problemCodes } from '../src/problem-codes';

type Json = Record<string, unknown>;
interface Op {
  method: string;
  path: string;
  operationId: string;
  op: Json;
  /** Path-level and operation-level parameters, `$ref`s left as they are. */
  parameters: Json[];
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace'];
const MUTATING = new Set(['post', 'put', 'patch', 'delete']);
const HEALTH = new Set(['getHealth', 'getReadiness']);
const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** The operationIds of the contract; SDK, mock and CLI generate code from these names. */
// biome-ignore format: grouped by tag, one line per resource
const OPERATION_IDS = [
  'getHealth', 'getReadiness', 'getMetrics', 'getCurrentPrincipal',
  'listServices', 'getService', 'listPlans', 'getPlan',
  'listTenants', 'createTenant', 'getTenant', 'updateTenant', 'deleteTenant',
  'getTenantQuota', 'setTenantQuota', 'getTenantUsage',
  'listMembers', 'addMember', 'getMember', 'updateMember', 'removeMember',
  'listTokens', 'createToken', 'getToken', 'revokeToken',
  'listInstances', 'createInstance', 'getInstance', 'updateInstance', 'deleteInstance', 'getInstanceUsage',
  'listBindings', 'createBinding', 'getBinding', 'deleteBinding', 'getBindingCredentials', 'rotateBinding',
  'listOperations', 'getOperation', 'cancelOperation',
  'listApps', 'createApp', 'getApp', 'updateApp', 'deleteApp', 'restartApp',
  'uploadSource', 'listReleases', 'createRelease', 'getRelease', 'rollbackApp',
  'getAppScale', 'scaleApp', 'getAutoscalingPolicy', 'setAutoscalingPolicy', 'deleteAutoscalingPolicy',
  'listSchedules', 'createSchedule', 'getSchedule', 'updateSchedule', 'deleteSchedule', 'listScalingEvents',
  'streamAppLogs',
  'listAuditEvents', 'getAuditEvent', 'verifyAuditChain',
];

// biome-ignore format: reading order
const TAGS = [
  'Health', 'Catalog', 'Tenants', 'Members', 'Tokens', 'Instances', 'Bindings',
  'Operations', 'Apps', 'Releases', 'Scaling', 'Logs', 'Audit',
];

/** Resource schemas whose `id` carries a kind prefix. */
const ID_PREFIXES: Record<string, string> = {
  Tenant: 'ten',
  Member: 'mem',
  Token: 'tok',
  Instance: 'ins',
  Binding: 'bnd',
  Operation: 'op',
  OperationRef: 'op',
  App: 'app',
  Source: 'src',
  Release: 'rel',
  RecurringSchedule: 'sch',
  SpecificDateSchedule: 'sch',
  ScalingEvent: 'sev',
  AuditEvent: 'evt',
};
/** Schemas with an `id` that is deliberately not prefixed, and why. */
const UNPREFIXED_IDS: Record<string, string> = {
  Service: 'catalog slug such as `postgresql`',
  Plan: 'catalog slug such as `m-ha`',
  ServiceSummary: 'catalog slug such as `postgresql`',
  PlanSummary: 'catalog slug such as `m-ha`',
  Principal: 'an email, `tok_…` or OIDC subject',
  MemberPrincipal: 'an email or OIDC subject',
  AuditPrincipal: 'an email, `tok_…` or OIDC subject',
  AuditTarget: 'the id of any kind of object',
  OperationTarget: 'one of `ins_`, `bnd_`, `app_`, `rel_` (OperationTargetId)',
};
/** Date-time properties whose names don't end in `At`, and why. */
const TIMESTAMPS_NOT_AT = new Set(['time', 'asOf']);
/** Error responses that are not problem details, and why. */
const NON_PROBLEM_ERRORS: Record<string, string> = {
  'getReadiness 503': 'the readiness probe reports its failing checks in a Readiness body',
};
/** Stable problem codes and their HTTP status: the table the platform and the mock share. */
const PROBLEM_CODES: Record<string, number> = Object.fromEntries(
  Object.entries(problemCodes).map(([code, [status]]) => [code, status]),
);

let doc: Json;
let ops: Op[];

const components = (kind: string) => ((doc.components as Json)[kind] ?? {}) as Record<string, Json>;

/** Follows local `$ref`s until a non-reference node. */
function deref(node: Json): Json {
  let current = node;
  for (let hops = 0; typeof current.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`$ref cycle at ${String(node.$ref)}`);
    const parts = current.$ref.replace(/^#\//, '').split('/');
    let target: unknown = doc;
    for (const part of parts)
      target = (target as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (!target) throw new Error(`unresolved ${current.$ref}`);
    current = target as Json;
  }
  return current;
}

/** Visits every schema object below `schema` (not following `$ref`s) with its JSON path. */
function walkSchema(schema: unknown, at: string, visit: (s: Json, at: string) => void): void {
  if (!schema || typeof schema !== 'object') return;
  const s = schema as Json;
  visit(s, at);
  for (const [key, value] of Object.entries((s.properties ?? {}) as Json)) {
    walkSchema(value, `${at}.properties.${key}`, visit);
  }
  for (const key of ['items', 'additionalProperties', 'not', 'propertyNames', 'contentSchema']) {
    if (s[key] && typeof s[key] === 'object') walkSchema(s[key], `${at}.${key}`, visit);
  }
  for (const key of ['oneOf', 'anyOf', 'allOf', 'prefixItems']) {
    (Array.isArray(s[key]) ? (s[key] as unknown[]) : []).forEach((sub, i) => {
      walkSchema(sub, `${at}.${key}[${i}]`, visit);
    });
  }
  for (const [key, value] of Object.entries((s.$defs ?? {}) as Json)) {
    walkSchema(value, `${at}.$defs.${key}`, visit);
  }
}

/** Every schema in the document: components and inline ones in operations. */
function allSchemas(): Array<[string, Json]> {
  const found: Array<[string, Json]> = [];
  const collect = (s: Json, at: string) => found.push([at, s]);
  for (const [name, schema] of Object.entries(components('schemas'))) {
    walkSchema(schema, `schemas.${name}`, collect);
  }
  for (const { operationId, op, parameters } of ops) {
    for (const p of parameters) walkSchema(deref(p).schema, `${operationId}.parameters`, collect);
    const body = op.requestBody as Json | undefined;
    for (const [type, media] of Object.entries((body?.content ?? {}) as Record<string, Json>)) {
      walkSchema(media.schema, `${operationId}.requestBody.${type}`, collect);
    }
    for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
      for (const [type, media] of Object.entries(
        (response.content ?? {}) as Record<string, Json>,
      )) {
        walkSchema(media.schema, `${operationId}.${status}.${type}`, collect);
      }
    }
  }
  return found;
}

const isNullableString = (type: unknown) =>
  type === 'string' || (Array.isArray(type) && type.includes('string') && type.length <= 2);

beforeAll(async () => {
  doc = (await loadDocument()) as unknown as Json;
  ops = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      ops.push({
        method,
        path,
        operationId: op.operationId as string,
        op,
        parameters: [...((item.parameters ?? []) as Json[]), ...((op.parameters ?? []) as Json[])],
      });
    }
  }
});

describe('document', () => {
  it('is OpenAPI 3.1.0, version 1.0.0, served at the local platform', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect((doc.info as Json).version).toBe('1.0.0');
    expect((doc.servers as Json[]).map((s) => s.url)).toEqual(['http://127.0.0.1:7070']);
  });

  it('declares exactly the fixed operationIds', () => {
    expect(ops.map((o) => o.operationId).sort()).toEqual([...OPERATION_IDS].sort());
  });

  it('declares the tags in journey order, each described', () => {
    const tags = doc.tags as Json[];
    expect(tags.map((t) => t.name)).toEqual(TAGS);
    for (const tag of tags) expect(tag.description, String(tag.name)).toMatch(/\S/);
  });
});

describe('operations', () => {
  it('have a unique operationId and exactly one declared tag', () => {
    const declared = new Set((doc.tags as Json[]).map((t) => t.name));
    const seen = new Set<string>();
    for (const { method, path, operationId, op } of ops) {
      expect(operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
      expect(seen.has(operationId), `duplicate ${operationId}`).toBe(false);
      seen.add(operationId);
      expect(op.tags, operationId).toHaveLength(1);
      expect(declared.has((op.tags as string[])[0]), `${operationId} tag`).toBe(true);
    }
  });

  it('have a bilingual summary and a description', () => {
    for (const { operationId, op } of ops) {
      expect(op.summary, operationId).toMatch(/\p{Script=Han}.* · [A-Z]/u);
      expect(op.description, operationId).toMatch(/\S/);
    }
  });

  it('require bearer auth, except the health probes', () => {
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    const scheme = components('securitySchemes').bearerAuth;
    expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(scheme?.bearerFormat).toContain('zw_');
    for (const { operationId, op } of ops) {
      if (HEALTH.has(operationId)) expect(op.security, operationId).toEqual([]);
      else expect(op.security, `${operationId} must inherit the global security`).toBeUndefined();
    }
  });

  it('accept X-Request-Id, and Idempotency-Key exactly when they mutate (by $ref)', () => {
    for (const { method, operationId, parameters } of ops) {
      expect(parameters, operationId).toContainEqual(ref('parameters', 'RequestId'));
      const idempotency = parameters.some(
        (p) => p.$ref === '#/components/parameters/IdempotencyKey',
      );
      expect(idempotency, `${operationId} Idempotency-Key`).toBe(MUTATING.has(method));
      const inline = parameters.filter((p) => !p.$ref).map((p) => String(p.name).toLowerCase());
      expect(inline, `${operationId} must use the shared parameter`).not.toContain(
        'idempotency-key',
      );
    }
  });

  it('describe every parameter in both languages', () => {
    for (const { operationId, parameters } of ops) {
      for (const p of parameters.map(deref)) {
        expect(p.description, `${operationId} ${String(p.name)}`).toMatch(
          /\p{Script=Han}[\s\S]*(?: ?· |\n\n)[\s\S]*[A-Za-z]/u,
        );
      }
    }
  });

  it('list 400, 401, 429 and 500, and 404 when the path has an id', () => {
    for (const { operationId, path, op } of ops) {
      const statuses = Object.keys(op.responses as Json);
      if (HEALTH.has(operationId)) {
        expect(statuses, operationId).toContain('429');
        continue;
      }
      for (const status of ['400', '401', '429', '500']) {
        expect(statuses, `${operationId} ${status}`).toContain(status);
      }
      if (path.includes('{')) expect(statuses, `${operationId} 404`).toContain('404');
    }
  });

  it('list 409 and 422 when they mutate (idempotency conflicts), 413 and 415 when they take a body', () => {
    for (const { method, operationId, op } of ops) {
      const statuses = Object.keys(op.responses as Json);
      if (MUTATING.has(method)) {
        expect(statuses, `${operationId} 409`).toContain('409');
        expect(statuses, `${operationId} 422`).toContain('422');
      }
      if (op.requestBody) {
        expect(statuses, `${operationId} 413`).toContain('413');
        expect(statuses, `${operationId} 415`).toContain('415');
      }
    }
  });

  it('answer 202 exactly when marked x-zhengwu-async, with a trackable body', () => {
    for (const { operationId, op } of ops) {
      const responses = op.responses as Record<string, Json>;
      const accepted = '202' in responses;
      expect(op['x-zhengwu-async'] === true, `${operationId} x-zhengwu-async`).toBe(accepted);
      if (!accepted) continue;
      const schemaRef = (((responses['202'] as Json).content as Json)['application/json'] as Json)
        .schema as Json;
      const schema = deref(schemaRef);
      const trackable =
        schemaRef.$ref === '#/components/schemas/Operation' ||
        'lastOperation' in ((schema.properties ?? {}) as Json);
      expect(trackable, `${operationId} 202 must be an Operation or have lastOperation`).toBe(true);
    }
  });

  it('match the generated runtime table', () => {
    expect(Object.keys(operations)).toEqual(ops.map((o) => o.operationId));
    for (const { method, path, operationId, op } of ops) {
      const row = operations[operationId as keyof typeof operations];
      expect(row).toMatchObject({
        operationId,
        method: method.toUpperCase(),
        path,
        tags: op.tags,
        mutating: MUTATING.has(method),
        async: op['x-zhengwu-async'] === true,
      });
    }
  });
});

describe('responses', () => {
  const eachResponse = (fn: (at: string, response: Json, status: string, op?: Op) => void) => {
    for (const o of ops) {
      for (const [status, response] of Object.entries(o.op.responses as Record<string, Json>)) {
        fn(`${o.operationId} ${status}`, deref(response), status, o);
      }
    }
  };

  it('all declare the X-Request-Id header', () => {
    eachResponse((at, response) => {
      expect((response.headers ?? {}) as Json, at).toHaveProperty(
        ['X-Request-Id'],
        ref('headers', 'X-Request-Id'),
      );
    });
    for (const [name, response] of Object.entries(components('responses'))) {
      expect(response.headers, name).toHaveProperty(['X-Request-Id']);
    }
  });

  it('declare Idempotency-Replayed on every 2xx of a mutating call', () => {
    eachResponse((at, response, status, o) => {
      if (!status.startsWith('2') || !o || !MUTATING.has(o.method)) return;
      expect(response.headers, at).toHaveProperty(
        ['Idempotency-Replayed'],
        ref('headers', 'Idempotency-Replayed'),
      );
    });
  });

  it('declare Retry-After on 429 and 503', () => {
    eachResponse((at, response, status) => {
      if (status !== '429' && status !== '503') return;
      expect(response.headers, at).toHaveProperty(['Retry-After'], ref('headers', 'Retry-After'));
    });
  });

  it('use application/problem+json with the Problem schema for every 4xx and 5xx', () => {
    eachResponse((at, response, status) => {
      if (!/^[45]/.test(status) || at in NON_PROBLEM_ERRORS) return;
      expect(Object.keys((response.content ?? {}) as Json), at).toEqual([
        'application/problem+json',
      ]);
      expect(((response.content as Json)['application/problem+json'] as Json).schema, at).toEqual(
        ref('schemas', 'Problem'),
      );
    });
  });

  it('reuse the shared error responses', () => {
    const shared: Record<string, string> = {
      '400': 'BadRequest',
      '401': 'Unauthorized',
      '403': 'Forbidden',
      '404': 'NotFound',
      '409': 'Conflict',
      '413': 'PayloadTooLarge',
      '415': 'UnsupportedMediaType',
      '422': 'UnprocessableEntity',
      '429': 'TooManyRequests',
      '500': 'InternalError',
      '503': 'ServiceUnavailable',
    };
    for (const { operationId, op } of ops) {
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        const name = shared[status];
        if (!name || `${operationId} ${status}` in NON_PROBLEM_ERRORS) continue;
        expect(response, `${operationId} ${status}`).toEqual(ref('responses', name));
      }
    }
  });

  it('give error examples a stable code that matches their status', () => {
    const statusOf: Record<string, number> = {
      BadRequest: 400,
      Unauthorized: 401,
      Forbidden: 403,
      NotFound: 404,
      Conflict: 409,
      PayloadTooLarge: 413,
      UnsupportedMediaType: 415,
      UnprocessableEntity: 422,
      TooManyRequests: 429,
      InternalError: 500,
      ServiceUnavailable: 503,
    };
    const problem = components('schemas').Problem as Json;
    const codeDoc = String(((problem.properties as Json).code as Json).description);
    for (const [code, status] of Object.entries(PROBLEM_CODES)) {
      expect(codeDoc, `Problem.code documents ${code}`).toContain(`| \`${code}\` | ${status} |`);
    }
    // …and documents no code the shared table lacks.
    const documented = [...codeDoc.matchAll(/\| `([a-z_]+)` \| \d{3} \|/g)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(PROBLEM_CODES).sort());
    for (const [name, status] of Object.entries(statusOf)) {
      const media = ((components('responses')[name] as Json).content as Json)[
        'application/problem+json'
      ] as Json;
      const examples = Object.entries((media.examples ?? {}) as Record<string, Json>);
      expect(examples.length, `${name} has examples`).toBeGreaterThan(0);
      for (const [key, example] of examples) {
        const value = example.value as Json;
        expect(value.status, `${name}.${key}`).toBe(status);
        expect(PROBLEM_CODES[value.code as string], `${name}.${key} code`).toBe(status);
        expect(value.type, `${name}.${key} type`).toBe(
          `https://zhengwu.gov.cn/problems/${String(value.code)}`,
        );
      }
    }
  });
});

describe('pagination', () => {
  it('gives list operations limit, cursor and a { data, nextCursor } page', () => {
    const lists = ops.filter((o) => o.operationId.startsWith('list'));
    expect(lists.length).toBeGreaterThan(10);
    for (const { operationId, parameters, op } of lists) {
      expect(parameters, operationId).toContainEqual(ref('parameters', 'Limit'));
      expect(parameters, operationId).toContainEqual(ref('parameters', 'Cursor'));
      const media = (((op.responses as Json)['200'] as Json).content as Json)[
        'application/json'
      ] as Json;
      const schemaRef = media.schema as Json;
      expect(String(schemaRef.$ref), operationId).toMatch(/List$/);
      const schema = deref(schemaRef);
      expect(schema.required, operationId).toEqual(['data', 'nextCursor']);
      const props = schema.properties as Json;
      expect((props.data as Json).type, operationId).toBe('array');
      expect(deref(props.nextCursor as Json).type, operationId).toEqual(['string', 'null']);
    }
  });

  it('paginates only list operations', () => {
    for (const { operationId, parameters } of ops) {
      const paged = parameters.some((p) => p.$ref === '#/components/parameters/Cursor');
      expect(paged, operationId).toBe(operationId.startsWith('list'));
      expect(operations[operationId as keyof typeof operations].paginated, operationId).toBe(paged);
    }
  });

  it('bounds limit to 1–200 with a default of 50', () => {
    expect(components('parameters').Limit).toMatchObject({
      name: 'limit',
      in: 'query',
      schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    });
  });
});

describe('schemas', () => {
  it('use camelCase property names', () => {
    for (const [at, schema] of allSchemas()) {
      for (const name of Object.keys((schema.properties ?? {}) as Json)) {
        expect(name, at).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      }
    }
  });

  it('use examples (3.1), never the deprecated example', () => {
    for (const [at, schema] of allSchemas()) {
      expect('example' in schema, at).toBe(false);
      if ('examples' in schema) expect(Array.isArray(schema.examples), at).toBe(true);
    }
  });

  it('give every resource id a pattern with its kind prefix', () => {
    for (const [name, schema] of Object.entries(components('schemas'))) {
      const id = (schema.properties as Json | undefined)?.id as Json | undefined;
      if (!id) continue;
      if (name in UNPREFIXED_IDS) continue;
      const prefix = ID_PREFIXES[name];
      expect(prefix, `${name}.id needs an entry in ID_PREFIXES or UNPREFIXED_IDS`).toBeDefined();
      const resolved = deref(id);
      expect(resolved.pattern, `${name}.id`).toBe(`^${prefix}_[0-9A-Za-z]{16,32}$`);
      const examples = (resolved.examples ?? []) as string[];
      expect(examples.length, `${name}.id examples`).toBeGreaterThan(0);
      for (const example of examples) {
        expect(example, `${name}.id example`).toMatch(new RegExp(String(resolved.pattern)));
      }
    }
  });

  it('type every *At property as date-time, and only timestamps as date-time', () => {
    for (const [at, schema] of allSchemas()) {
      for (const [name, raw] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
        const prop = deref(raw);
        if (name.endsWith('At')) {
          expect(prop.format, `${at}.${name}`).toBe('date-time');
          expect(isNullableString(prop.type), `${at}.${name} type`).toBe(true);
        } else if (prop.format === 'date-time') {
          expect(TIMESTAMPS_NOT_AT.has(name), `${at}.${name} should end in At`).toBe(true);
        }
      }
    }
    for (const { operationId, parameters } of ops) {
      for (const p of parameters.map(deref)) {
        if ((p.schema as Json | undefined)?.format === 'date-time') {
          expect(['since', 'until'], `${operationId} ${String(p.name)}`).toContain(p.name);
        }
      }
    }
  });

  it('model every list as XxxList = { data: Xxx[] or XxxSummary[], nextCursor }', () => {
    for (const [name, schema] of Object.entries(components('schemas'))) {
      if (!name.endsWith('List')) continue;
      const item = name.slice(0, -'List'.length);
      expect(schema.required, name).toEqual(['data', 'nextCursor']);
      const items = ((schema.properties as Json).data as Json).items;
      // A list may carry a summary of its items, the full form kept for single reads.
      const accepted = [ref('schemas', item), ref('schemas', `${item}Summary`)];
      expect(accepted, name).toContainEqual(items);
    }
  });

  it('close request bodies to unknown fields', () => {
    const isOpenMap = (s: Json) =>
      s.additionalProperties === true ||
      (typeof s.additionalProperties === 'object' && !s.properties);
    const checkClosed = (schema: Json, at: string, closedAtRef: boolean): void => {
      if (schema.$ref) {
        checkClosed(deref(schema), at, closedAtRef || schema.unevaluatedProperties === false);
        return;
      }
      for (const key of ['oneOf', 'anyOf']) {
        for (const [i, sub] of ((schema[key] ?? []) as Json[]).entries()) {
          if (sub.type !== 'null') checkClosed(sub, `${at}.${key}[${i}]`, false);
        }
      }
      if (schema.type === 'array' && schema.items) {
        checkClosed(schema.items as Json, `${at}[]`, false);
        return;
      }
      if (schema.type !== 'object' || isOpenMap(schema)) return;
      expect(
        schema.additionalProperties === false || closedAtRef,
        `${at} must set additionalProperties: false (or unevaluatedProperties: false where referenced)`,
      ).toBe(true);
      for (const [name, prop] of Object.entries(
        (schema.properties ?? {}) as Record<string, Json>,
      )) {
        checkClosed(prop, `${at}.${name}`, false);
      }
    };
    for (const { operationId, op } of ops) {
      const body = op.requestBody as Json | undefined;
      const media = (body?.content as Json | undefined)?.['application/json'] as Json | undefined;
      if (!media) continue;
      checkClosed(media.schema as Json, `${operationId} body`, false);
    }
  });

  it('do not close response schemas (clients must tolerate new fields)', () => {
    const requestOnly = new Set<string>();
    for (const { op } of ops) {
      const media = ((op.requestBody as Json | undefined)?.content as Json | undefined)?.[
        'application/json'
      ] as Json | undefined;
      const name = String((media?.schema as Json | undefined)?.$ref ?? '')
        .split('/')
        .pop();
      if (name) requestOnly.add(name);
    }
    for (const [name, schema] of Object.entries(components('schemas'))) {
      if (requestOnly.has(name) || /(Create|Update|Patch)$/.test(name)) continue;
      expect(schema.additionalProperties, `${name} is a response schema`).not.toBe(false);
    }
  });

  it('model nullable references as oneOf [ $ref, null ] and LocalizedText as { zh, en }', () => {
    expect(components('schemas').LocalizedText).toMatchObject({
      type: 'object',
      required: ['zh', 'en'],
    });
    for (const [at, schema] of allSchemas()) {
      if (!schema.oneOf || schema.discriminator) continue;
      const branches = schema.oneOf as Json[];
      expect(branches, at).toHaveLength(2);
      expect(branches[1], at).toEqual({ type: 'null' });
    }
  });
});

describe('generated code', () => {
  it('is up to date with openapi.yaml (run `pnpm generate`)', async () => {
    const files = await generateFiles();
    expect(Object.keys(files)).toEqual(['src/generated/schema.ts', 'src/generated/operations.ts']);
    for (const content of Object.values(files)) {
      expect(content.startsWith('/**\n * generated — do not edit; run pnpm generate')).toBe(true);
    }
    expect(await findStaleFiles(files)).toEqual([]);
  }, 60_000);
});

describe('exported types', () => {
  it('expose paths, schemas and operations by name', () => {
    type CreateBody = paths['/v1/instances']['post']['requestBody']['content']['application/json'];
    expectTypeOf<CreateBody>().toEqualTypeOf<Schemas['InstanceCreate']>();
    type Page = paths['/v1/instances']['get']['responses'][200]['content']['application/json'];
    expectTypeOf<Page['data'][number]>().toEqualTypeOf<Schemas['Instance']>();
    expectTypeOf<Page['nextCursor']>().toEqualTypeOf<string | null>();
    expectTypeOf<Schemas['Instance']['lastOperation']>().toEqualTypeOf<
      Schemas['OperationRef'] | null
    >();
    expectTypeOf<'createInstance'>().toExtend<OperationId>();
    expectTypeOf(operations.createInstance.method).toEqualTypeOf<'POST'>();
  });

  it('type binary uploads as Blob and leave defaulted request fields optional', () => {
    type Upload =
      paths['/v1/apps/{appId}/sources']['post']['requestBody']['content']['application/gzip'];
    expectTypeOf<Upload>().toEqualTypeOf<Blob>();
    expectTypeOf<{
      name: 'office-hours';
      kind: 'recurring';
      start: string;
      end: string;
      minReplicas: 1;
      maxReplicas: 2;
    }>().toExtend<Schemas['ScheduleCreate']>();
    type Headers = paths['/v1/instances']['post']['responses'][202]['headers'];
    expectTypeOf<Headers['Idempotency-Replayed']>().toEqualTypeOf<'true' | undefined>();
  });
});
