/** The env a replica gets: placeholders replaced by resource outputs, generated secrets filled in. */
import { ManifestError, type ManifestIssue } from './issues';
import { parseTemplate } from './placeholders';
import { toPointer } from './pointer';
import type { Manifest } from './types';

/** A record's own value only: `constructor` is a valid resource name, not a prototype lookup. */
const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

/** Inputs of `resolveEnv`. */
export interface EnvSources {
  /** Outputs (binding credentials) per resource name, e.g. `{ db: { uri: 'postgres://…' } }`. */
  outputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Values of the `{ generate: secret }` variables, by env name. The caller generates each
   * once (see `generatedSecretNames`) and keeps it across releases.
   */
  secrets: Readonly<Record<string, string>>;
}

/** Env names whose value is `{ generate: secret }`, in manifest order. */
export function generatedSecretNames(manifest: Manifest): string[] {
  return Object.entries(manifest.env ?? {})
    .filter(([, value]) => typeof value !== 'string')
    .map(([name]) => name);
}

/**
 * The final env of the app's processes: literals as written (`$${` → `${`), each
 * `${resources.<name>.<key>}` replaced by `outputs[name][key]`, generated secrets from
 * `secrets`. Does not add `PORT` or binding files; the runtime does.
 *
 * @throws {ManifestError} listing every value that cannot be resolved (codes
 *   `placeholder_syntax`, `unknown_resource`, `unknown_output`, `missing_secret`)
 */
export function resolveEnv(manifest: Manifest, sources: EnvSources): Record<string, string> {
  const env: Record<string, string> = {};
  const issues: ManifestIssue[] = [];
  for (const [name, value] of Object.entries(manifest.env ?? {})) {
    const path = toPointer(['env', name]);
    if (typeof value !== 'string') {
      const secret = own(sources.secrets, name);
      if (secret === undefined) {
        issues.push({
          path,
          code: 'missing_secret',
          message: `缺少生成的密钥 ${name} · the generated secret ${name} was not given`,
        });
      } else env[name] = secret;
      continue;
    }
    const { parts, errors } = parseTemplate(value);
    for (const error of errors) {
      issues.push({
        path,
        code: 'placeholder_syntax',
        message: `占位符 "${error.source}" 无效 · invalid placeholder "${error.source}"`,
      });
    }
    let resolved = '';
    for (const part of parts) {
      if (part.kind === 'text') {
        resolved += part.text;
        continue;
      }
      const outputs = own(sources.outputs, part.resource);
      const output = outputs && own(outputs, part.key);
      if (output === undefined) {
        issues.push(
          outputs === undefined
            ? {
                path,
                code: 'unknown_resource',
                message: `${part.source}：没有资源 "${part.resource}" 的输出 · ${part.source}: no outputs for resource "${part.resource}"`,
              }
            : {
                path,
                code: 'unknown_output',
                message: `${part.source}：资源 "${part.resource}" 没有输出 "${part.key}" · ${part.source}: resource "${part.resource}" has no output "${part.key}"`,
              },
        );
        continue;
      }
      resolved += output;
    }
    env[name] = resolved;
  }
  if (issues.length > 0) throw new ManifestError(issues);
  return env;
}
