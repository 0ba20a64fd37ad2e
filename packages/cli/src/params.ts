/** `--param key=value` (repeatable) and `--params '{json}'` into one parameters object. */
import { usageError } from './errors';

/** Values are read as JSON when they parse (`5`, `true`, `["pg_trgm"]`), else kept as text. */
export function parseParams(pairs: string[] = [], json?: string): Record<string, unknown> {
  let params: Record<string, unknown> = {};
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw usageError(
        `--params 不是有效的 JSON · --params is not valid JSON: ${(error as Error).message}`,
      );
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw usageError('--params 须为 JSON 对象 · --params must be a JSON object');
    }
    params = parsed as Record<string, unknown>;
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) {
      throw usageError(
        `--param 须为 key=value · --param must look like key=value, got ${JSON.stringify(pair)}`,
      );
    }
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {}
    params[pair.slice(0, eq)] = value;
  }
  return params;
}
