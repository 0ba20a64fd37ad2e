import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { CONTRACT_ID } from './contract';
import type { FieldError } from './problems';

type Json = Record<string, unknown>;

/** Where a validation error happened, as the contract's error pointers name it. */
export type Part = 'body' | 'query' | 'path' | 'header';

function ajvWith(document: Json, coerceTypes: boolean): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, coerceTypes, useDefaults: false });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  // `discriminator` is documentation here: `oneOf` already decides.
  ajv.addKeyword('discriminator');
  ajv.addSchema({ $id: CONTRACT_ID, components: document.components });
  return ajv;
}

/**
 * Ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1) compiled against the contract.
 * Query, path and header values arrive as strings and are coerced; bodies are not.
 */
export class ContractValidator {
  readonly #strict: Ajv2020;
  readonly #coercing: Ajv2020;

  constructor(document: Json) {
    this.#strict = ajvWith(document, false);
    this.#coercing = ajvWith(document, true);
  }

  compile(schema: Json, part: Part): ValidateFunction {
    return (part === 'body' ? this.#strict : this.#coercing).compile(schema);
  }
}

/** Turns Ajv errors into the contract's field errors (`/body/name`, `/query/limit`). */
export function fieldErrors(errors: ErrorObject[], part: Part): FieldError[] {
  return errors
    .filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf')
    .map((e) => {
      let path = `/${part}${e.instancePath}`;
      let message = e.message ?? 'is invalid';
      if (e.keyword === 'required')
        path += `/${(e.params as { missingProperty: string }).missingProperty}`;
      if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') {
        const extra =
          (e.params as { additionalProperty?: string; unevaluatedProperty?: string })
            .additionalProperty ??
          (e.params as { unevaluatedProperty?: string }).unevaluatedProperty;
        path += `/${extra}`;
        message = 'unknown field';
      }
      return { path, message, code: e.keyword };
    });
}
