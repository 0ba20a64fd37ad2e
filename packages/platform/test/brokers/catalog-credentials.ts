import { findService } from '@zhengwu/catalog';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Credentials } from '../../src/brokers/broker';

const ajv = new Ajv2020({ strict: false, allErrors: true });

/** The schema errors of `credentials` against the catalog's `credentialsSchema` of `service`. */
export function credentialsErrors(service: string, credentials: Credentials): unknown[] {
  const schema = findService(service)?.credentialsSchema;
  if (!schema) throw new Error(`no service ${service} in the catalog`);
  const validate = ajv.compile(schema);
  return validate(credentials) ? [] : (validate.errors ?? []);
}
