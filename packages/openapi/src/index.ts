/**
 * The Zhengwu platform API contract: types generated from `openapi.yaml` by openapi-typescript,
 * plus a runtime table of its operations.
 *
 * ```ts
 * import type { paths, Schemas } from '@zhengwu/openapi';
 *
 * type Instance = Schemas['Instance'];
 * type CreateBody = paths['/v1/instances']['post']['requestBody']['content']['application/json'];
 * ```
 *
 * @packageDocumentation
 */

import { operations as operationTable } from './generated/operations';
import type { components, operations as OperationTypes } from './generated/schema';

export type { OperationId, OperationInfo } from './generated/operations';
export type { components, paths } from './generated/schema';

/**
 * Request and response types of every operation, keyed by operationId:
 * `operations['createInstance']['requestBody']`. The runtime value of the same name is the
 * table of operations (method, path, tags, flags), also keyed by operationId.
 */
export type operations = OperationTypes;
export const operations = operationTable;

/** Every schema of the contract by name, e.g. `Schemas['Instance']`. */
export type Schemas = components['schemas'];

export { auditActionOf, auditActions } from './audit-actions';
export { type ProblemCode, problemCodes, transientConflicts } from './problem-codes';
