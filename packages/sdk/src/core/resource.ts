import type { operations } from '@zhengwu/openapi';
import type { ZhengwuCore } from './client';

/** Base of the resource classes: each holds the transport it calls. */
export abstract class APIResource {
  constructor(protected readonly _client: ZhengwuCore) {}
}

/** Resolves a raw `{ data, response }` result to its data. */
export const unwrap = <T>(result: Promise<{ data: T }>): Promise<T> => result.then((r) => r.data);

type Op<Id extends keyof operations> = operations[Id];
/** Query parameters of an operation, e.g. `QueryOf<'listInstances'>`. */
export type QueryOf<Id extends keyof operations> = NonNullable<
  Op<Id> extends { parameters: { query?: infer Q } } ? Q : never
>;
/** JSON request body of an operation, e.g. `BodyOf<'createInstance'>`. */
export type BodyOf<Id extends keyof operations> =
  Op<Id> extends {
    requestBody?: { content: { 'application/json': infer B } };
  }
    ? B
    : never;
