/** Validators for the tests: the contract's schemas, and the catalog's own in strict mode. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

const withFormats = (ajv: Ajv2020) => {
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  return ajv;
};

const contract = parse(
  readFileSync(join(import.meta.dirname, '../../openapi/openapi.yaml'), 'utf8'),
);
const contractAjv = withFormats(new Ajv2020({ strict: false, allErrors: true }));
contractAjv.addSchema({ $id: 'contract', components: contract.components });

/** A validator of one of the contract's component schemas (`Service`, `Plan`, …). */
export const contractSchema = (name: string) =>
  contractAjv.getSchema(`contract#/components/schemas/${name}`)!;

/**
 * Strict mode: an unknown keyword, a misplaced one or a type-less `properties` is a compile
 * error, so a typo in a catalog schema cannot pass silently.
 */
export const strictAjv = () => withFormats(new Ajv2020({ strict: true, allErrors: true }));
