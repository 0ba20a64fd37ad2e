import { EngineUnavailableError } from '../broker';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** SQLSTATEs that mean the server cannot serve now (08: connection, 57P0x: shutting down, 53300). */
const UNAVAILABLE_STATE = /^(08...|57P0[1-3]|53300)$/;

/** pg's own messages for a connection that never came or went away. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|connection timeout/i;

/** Whether `error` says the engine is down or refusing (so the operation should retry later). */
export function isUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_STATE.test(code))) {
    return true;
  }
  return typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message);
}

/** The engine's own words for `error`: its message and code, never the statement or URL. */
export function describe(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' && message ? message : String(error);
  return typeof code === 'string' ? `${text} (${code})` : text;
}

/**
 * Runs an engine call, turning "the engine is down" into `EngineUnavailableError` (which the
 * operation retries) with a bilingual message naming the pool by host and port only.
 */
export async function onEngine<T>(where: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof EngineUnavailableError || !isUnavailable(error)) throw error;
    throw new EngineUnavailableError(
      `PostgreSQL 资源池不可用 · PostgreSQL pool ${where} is unavailable: ${describe(error)}`,
    );
  }
}
