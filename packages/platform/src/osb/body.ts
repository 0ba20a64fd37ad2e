import type { FastifyRequest } from 'fastify';
import { badRequest } from './errors';

/**
 * Reading OSB request bodies and queries. Unknown fields are ignored, never refused: the
 * spec requires receivers to accept vendor extensions.
 */

export type Fields = Record<string, unknown>;

const isObject = (v: unknown): v is Fields =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The JSON body as an object (400 otherwise, e.g. no body on a PUT). */
export function objectBody(request: FastifyRequest): Fields {
  if (!isObject(request.body)) {
    throw badRequest('请求体应为 JSON 对象', 'The body must be a JSON object');
  }
  return request.body;
}

/** A required non-empty string field (400 naming it when missing, empty or not a string). */
export function requiredString(body: Fields, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') {
    throw badRequest(
      `缺少字段 ${name}（非空字符串）`,
      `"${name}" is required (a non-empty string)`,
    );
  }
  return value;
}

export function optionalString(body: Fields, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw badRequest(`字段 ${name} 应为非空字符串`, `"${name}" must be a non-empty string`);
  }
  return value;
}

export function optionalObject(body: Fields, name: string): Fields | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw badRequest(`字段 ${name} 应为对象`, `"${name}" must be an object`);
  return value;
}

type Query = Record<string, string | string[] | undefined>;

const queryOf = (request: FastifyRequest) => (request.query ?? {}) as Query;

/** A query parameter the spec requires (`service_id`, `plan_id` on deletes). */
export function requiredQuery(request: FastifyRequest, name: string): string {
  const value = queryOf(request)[name];
  if (typeof value !== 'string' || value === '') {
    throw badRequest(`缺少查询参数 ${name}`, `The query parameter "${name}" is required`);
  }
  return value;
}

export function optionalQuery(request: FastifyRequest, name: string): string | undefined {
  const value = queryOf(request)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `?accepts_incomplete=true`: the platform polls `last_operation`. */
export const acceptsIncomplete = (request: FastifyRequest) =>
  queryOf(request).accepts_incomplete === 'true';

/** `maintenance_info.version` of a request, when sent (2.15+). */
export function maintenanceVersion(body: Fields): string | undefined {
  const info = optionalObject(body, 'maintenance_info');
  return info ? optionalString(info, 'version') : undefined;
}
