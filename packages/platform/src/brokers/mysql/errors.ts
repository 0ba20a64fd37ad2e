import { EngineUnavailableError } from '../broker';

/** mysql2 and Node codes that mean the server is down, unreachable or full. */
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);

/** A password hash as `IDENTIFIED BY PASSWORD` takes it; the server may quote it back. */
const PASSWORD_HASH = /\*[0-9A-F]{40}/gi;

/** The engine's own words for `error` (message and code), never the statement it ran. */
export function describe(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = (typeof message === 'string' && message ? message : String(error)).replace(
    PASSWORD_HASH,
    '*…',
  );
  return typeof code === 'string' ? `${text} (${code})` : text;
}

/**
 * Runs an engine call. "The engine is down" becomes `EngineUnavailableError` (the operation
 * retries); any other failure is rethrown without mysql2's `sql` field, which would carry
 * the statement (and a password hash) into logs.
 */
export async function onEngine<T>(where: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof EngineUnavailableError) throw error;
    const code = (error as { code?: unknown })?.code;
    if (typeof code === 'string' && UNAVAILABLE.has(code)) {
      throw new EngineUnavailableError(
        `MySQL 资源池不可用 · MySQL pool ${where} is unavailable: ${describe(error)}`,
      );
    }
    if (!(error instanceof Error) || !('sql' in error || 'sqlMessage' in error)) throw error;
    const clean = new Error(`MySQL 执行失败 · MySQL refused: ${describe(error)}`);
    Object.assign(clean, { code, errno: (error as { errno?: unknown })?.errno });
    throw clean;
  }
}
