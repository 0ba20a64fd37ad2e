/**
 * Every stable problem `code` of the API with its HTTP status and English title — the table
 * in README.md ("Errors"). Shared by the platform and the mock so both answer alike; a test
 * keeps it equal to the codes the contract documents.
 */
export const problemCodes = {
  bad_request: [400, 'Bad request'],
  invalid_json: [400, 'Invalid JSON'],
  unauthenticated: [401, 'Unauthenticated'],
  token_expired: [401, 'Token expired'],
  token_revoked: [401, 'Token revoked'],
  forbidden: [403, 'Forbidden'],
  separation_of_duties: [403, 'Separation of duties'],
  not_found: [404, 'Not found'],
  conflict: [409, 'Conflict'],
  already_exists: [409, 'Already exists'],
  not_empty: [409, 'Not empty'],
  invalid_state: [409, 'Invalid state'],
  idempotency_key_in_use: [409, 'Idempotency key in use'],
  payload_too_large: [413, 'Payload too large'],
  unsupported_media_type: [415, 'Unsupported media type'],
  validation_failed: [422, 'Validation failed'],
  idempotency_key_reused: [422, 'Idempotency key reused'],
  quota_exceeded: [422, 'Quota exceeded'],
  plan_not_found: [422, 'Plan not found'],
  service_unavailable: [422, 'Service unavailable'],
  build_failed: [422, 'Build failed'],
  release_failed: [422, 'Release failed'],
  unhealthy: [422, 'Unhealthy'],
  rate_limited: [429, 'Rate limited'],
  internal: [500, 'Internal error'],
  bad_gateway: [502, 'Bad gateway'],
  unavailable: [503, 'Unavailable'],
} as const satisfies Record<string, readonly [number, string]>;

export type ProblemCode = keyof typeof problemCodes;

/** 409 codes a retry may resolve (`X-Should-Retry: true`); retrying the others cannot help. */
export const transientConflicts: ReadonlySet<string> = new Set([
  'idempotency_key_in_use',
  'conflict',
]);
