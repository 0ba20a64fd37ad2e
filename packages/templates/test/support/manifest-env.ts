import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Credentials } from '../../../platform/src/brokers/broker';
import type { ServiceType } from './bindings';

/** The parts of a template's zhengwu.yaml the test runner needs. */
export interface TemplateManifest {
  metadata: { name: string };
  env?: Record<string, string | number | boolean | { generate: string }>;
  resources?: Record<string, { type: ServiceType; class?: string }>;
}

export async function readTemplateManifest(dir: string): Promise<{
  text: string;
  manifest: TemplateManifest;
}> {
  const text = await readFile(join(dir, 'zhengwu.yaml'), 'utf8');
  return { text, manifest: parse(text) as TemplateManifest };
}

/** `{ db: 'postgresql', files: 'object-storage' }` from the manifest's resources. */
export function resourceTypes(manifest: TemplateManifest): Record<string, ServiceType> {
  return Object.fromEntries(
    Object.entries(manifest.resources ?? {}).map(([name, resource]) => [name, resource.type]),
  );
}

const PLACEHOLDER = /\$\{resources\.([a-z0-9-]+)\.([A-Za-z0-9]+)\}/g;

/**
 * The app's environment as the platform builds it: the manifest's `env`, with
 * `${resources.<name>.<key>}` replaced from the bindings' credentials and
 * `{ generate: secret }` replaced by a fresh random secret. An unknown resource or
 * credential key throws, so a wrong mapping in a template's manifest fails its test.
 */
export function resolveEnv(
  manifest: TemplateManifest,
  credentials: Record<string, Credentials>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(manifest.env ?? {})) {
    if (typeof value === 'object') {
      if (value.generate !== 'secret') throw new Error(`${name}: unknown generator`);
      env[name] = randomBytes(32).toString('base64url');
      continue;
    }
    env[name] = String(value).replace(PLACEHOLDER, (_match, resource: string, key: string) => {
      const bound = credentials[resource];
      if (!bound) throw new Error(`${name}: no resource "${resource}" in the manifest`);
      if (!(key in bound)) throw new Error(`${name}: resource "${resource}" has no key "${key}"`);
      const credential = bound[key];
      return typeof credential === 'object' ? JSON.stringify(credential) : String(credential);
    });
  }
  return env;
}
