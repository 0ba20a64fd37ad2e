/**
 * Request validation against the contract with ajv (JSON Schema 2020-12): path, query and
 * header parameters and JSON bodies, plus the plans' parameter schemas. Errors come back as
 * the contract's field errors: `{ path: '/body/name', message, code: 'pattern' }`.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { JsonSchema } from './contract-types';
import { contract } from './generated/contract';
import type { FieldError } from './problems';

type Location = 'body' | 'query' | 'path' | 'header';

function newAjv(extra: { coerceTypes?: boolean; useDefaults?: boolean } = {}) {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    discriminator: true,
    logger: false,
    ...extra,
  });
  addFormats(ajv);
  // `format: binary` marks the uploaded archive; there is nothing to check in a string.
  ajv.addFormat('binary', true);
  return ajv;
}

const escapePointer = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/** ajv errors as field errors, with paths into `{ body, query, path, header }`. */
export function toFieldErrors(
  errors: ErrorObject[] | null | undefined,
  where: Location,
): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    let path = `/${where}${e.instancePath}`;
    let message = e.message ?? 'is invalid';
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'required') {
      path += `/${escapePointer(String(params.missingProperty))}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') {
      path += `/${escapePointer(String(params.additionalProperty ?? params.unevaluatedProperty))}`;
      message = where === 'query' ? 'unknown query parameter' : 'unknown field';
    } else if (e.keyword === 'enum') {
      message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    }
    const key = `${path} ${e.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message, code: e.keyword });
  }
  return out;
}

export interface Validators {
  /** Field errors of a JSON body (empty when valid). */
  body(operationId: string, value: unknown): FieldError[];
  /** Field errors of the path parameters. */
  path(operationId: string, params: Record<string, string>): FieldError[];
  /** Query parameters coerced to their types, with defaults, or field errors. */
  query(
    operationId: string,
    params: Record<string, string>,
  ): { value: Record<string, unknown>; errors: FieldError[] };
  /** Field errors of the declared request headers (names in lower case). */
  header(operationId: string, headers: Record<string, string>): FieldError[];
  /** A plan's parameters with the schema's defaults applied, or field errors under `base`. */
  planParameters(
    schema: JsonSchema,
    value: unknown,
    base: string,
  ): { value: unknown; errors: FieldError[] };
}

export function createValidators(): Validators {
  const plain = newAjv();
  const coercing = newAjv({ coerceTypes: true, useDefaults: true });
  const withDefaults = newAjv({ useDefaults: true });
  plain.addSchema(contract as unknown as JsonSchema);
  coercing.addSchema(contract as unknown as JsonSchema);

  const cache = new Map<string, ValidateFunction>();
  const compiled = (ajv: typeof plain, pointer: string, tag: string) => {
    const key = `${tag} ${pointer}`;
    let fn = cache.get(key);
    if (!fn) {
      fn = ajv.compile({ $ref: `${contract.$id}#${pointer}` });
      cache.set(key, fn);
    }
    return fn;
  };
  const planCache = new WeakMap<object, ValidateFunction>();

  return {
    body(operationId, value) {
      if (!contract.operations[operationId]?.requestBody?.schema) return [];
      const validate = compiled(plain, `/operations/${operationId}/requestBody/schema`, 'body');
      return validate(value) ? [] : toFieldErrors(validate.errors, 'body');
    },
    path(operationId, params) {
      if (!contract.operations[operationId]?.parameters.path) return [];
      const validate = compiled(plain, `/operations/${operationId}/parameters/path`, 'path');
      return validate(params) ? [] : toFieldErrors(validate.errors, 'path');
    },
    query(operationId, params) {
      const value: Record<string, unknown> = { ...params };
      if (!contract.operations[operationId]?.parameters.query) {
        const errors = Object.keys(params).map((name) => ({
          path: `/query/${escapePointer(name)}`,
          message: 'unknown query parameter',
          code: 'additionalProperties',
        }));
        return { value, errors };
      }
      const validate = compiled(coercing, `/operations/${operationId}/parameters/query`, 'query');
      return validate(value)
        ? { value, errors: [] }
        : { value, errors: toFieldErrors(validate.errors, 'query') };
    },
    header(operationId, headers) {
      if (!contract.operations[operationId]?.parameters.header) return [];
      const validate = compiled(plain, `/operations/${operationId}/parameters/header`, 'header');
      return validate(headers) ? [] : toFieldErrors(validate.errors, 'header');
    },
    planParameters(schema, value, base) {
      let validate = planCache.get(schema);
      if (!validate) {
        validate = withDefaults.compile(schema);
        planCache.set(schema, validate);
      }
      const copy = structuredClone(value ?? {});
      if (validate(copy)) return { value: copy, errors: [] };
      const errors = toFieldErrors(validate.errors, 'body').map((e) => ({
        ...e,
        path: e.path.replace(/^\/body/, base),
      }));
      return { value: copy, errors };
    },
  };
}
