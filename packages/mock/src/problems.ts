/**
 * RFC 9457 problems with the contract's stable codes (`packages/openapi/README.md`, "Errors").
 * Resolvers `throw new ProblemError(…)`; the router turns it into `application/problem+json`.
 */
import { type ProblemCode, problemCodes } from '@zhengwu/openapi';

export interface FieldError {
  /** JSON Pointer into `{ body, query, path, header }`, e.g. `/body/name`. */
  path: string;
  message: string;
  /** The failing JSON Schema keyword or rule. */
  code: string;
}

/** Every problem code of the contract with its HTTP status and title (shared with the platform). */
export const PROBLEM_CODES = problemCodes;

export type { ProblemCode };

/** The status of a known code; `fallback` for codes the contract doesn't list. */
export function statusOf(code: string, fallback = 500): number {
  return (PROBLEM_CODES as Record<string, readonly [number, string]>)[code]?.[0] ?? fallback;
}

function titleOf(code: string): string {
  const known = (PROBLEM_CODES as Record<string, readonly [number, string]>)[code]?.[1];
  if (known) return known;
  const words = code.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A problem document (`Model['Problem']`). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  requestId: string;
  errors?: FieldError[];
}

export function problemBody(
  code: string,
  detail: string | undefined,
  requestId: string,
  extra: { status?: number; instance?: string; errors?: FieldError[] } = {},
): Problem {
  return {
    type: `https://zhengwu.gov.cn/problems/${code}`,
    title: titleOf(code),
    status: extra.status ?? statusOf(code),
    ...(detail !== undefined && { detail }),
    ...(extra.instance !== undefined && { instance: extra.instance }),
    code,
    requestId,
    ...(extra.errors && { errors: extra.errors }),
  };
}

/** Thrown by resolvers (and the request pipeline) to answer with a problem. */
export class ProblemError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(`${code}: ${detail}`);
    this.status = statusOf(code);
  }
}

/** 422 `validation_failed` with one field error. */
export function invalidField(
  path: string,
  message: string,
  code: string,
  detail?: string,
): ProblemError {
  return new ProblemError('validation_failed', detail ?? `${path}: ${message}`, [
    { path, message, code },
  ]);
}

/** 404 `not_found` for a resource that doesn't exist or isn't visible. */
export function notFound(what: string, id: string): ProblemError {
  return new ProblemError('not_found', `${what} ${id} was not found.`);
}
