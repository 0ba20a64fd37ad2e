import { NAME } from './schema/patterns';

const VALID = new RegExp(NAME.pattern);

/**
 * The instance a manifest resource maps to in its tenant: the shared `id` when given, else
 * `<app>-<resource>`. `checkManifest` refuses a manifest whose name would not be a valid
 * instance name (over 63 characters), so the platform, the CLI and the mock never shorten one
 * (two shortened names could meet and silently share an instance).
 */
export function resourceInstanceName(app: string, resource: string, id?: string): string {
  return id ?? `${app}-${resource}`;
}

/** Whether a name is a valid instance name (a DNS label of 2–63 characters). */
export function isInstanceName(name: string): boolean {
  return VALID.test(name);
}
