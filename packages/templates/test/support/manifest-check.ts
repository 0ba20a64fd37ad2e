import { builtInCatalog } from '@zhengwu/catalog';
import { checkManifest, ManifestError, type ManifestIssue, parseManifest } from '@zhengwu/manifest';
import type { TemplateManifest } from './manifest-env';

/**
 * Template-specific manifest rules on top of `@zhengwu/manifest` (below): the `$schema`
 * header line, the name pattern, catalog service and plan ids, and every placeholder naming a
 * declared resource and a credential key of that service's `credentialsSchema`.
 */
export function structuralProblems(text: string, manifest: TemplateManifest): string[] {
  const problems: string[] = [];
  // Read loosely on purpose: the check reports what is missing instead of assuming a shape.
  // biome-ignore lint/suspicious/noExplicitAny: an unvalidated YAML document
  const m = manifest as TemplateManifest & Record<string, any>;
  if (!text.startsWith('# yaml-language-server: $schema='))
    problems.push('first line must be the $schema comment');
  if (m.apiVersion !== 'zhengwu.gov.cn/v1') problems.push('apiVersion');
  if (m.kind !== 'App') problems.push('kind');
  if (!/^[a-z][a-z0-9-]{0,61}[a-z0-9]$/.test(m.metadata?.name ?? ''))
    problems.push('metadata.name');
  if (!/^node@(20|22)$/.test(m.runtime ?? '')) problems.push('runtime');
  if (typeof m.processes?.web?.command !== 'string') problems.push('processes.web.command');
  const catalog = builtInCatalog();
  for (const [name, resource] of Object.entries(m.resources ?? {})) {
    const service = catalog.find((s) => s.id === resource.type);
    if (!service) {
      problems.push(`resources.${name}.type ${resource.type} is not in the catalog`);
      continue;
    }
    if (resource.class && !service.plans.some((p) => p.id === resource.class)) {
      problems.push(`resources.${name}.class ${resource.class} is not a plan of ${service.id}`);
    }
  }
  for (const [variable, value] of Object.entries(m.env ?? {})) {
    if (typeof value !== 'string') continue;
    for (const [, resource, key] of value.matchAll(/\$\{resources\.([^.}]+)\.([^}]+)\}/g)) {
      const declared = m.resources?.[resource as string];
      if (!declared) {
        problems.push(`env.${variable}: resource ${resource} is not declared`);
        continue;
      }
      const service = catalog.find((s) => s.id === declared.type);
      const keys = Object.keys(
        (service?.credentialsSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      if (!keys.includes(key as string))
        problems.push(`env.${variable}: ${declared.type} has no credential ${key}`);
    }
  }
  return problems;
}

/**
 * Problems `@zhengwu/manifest` finds: schema validation (`parseManifest` throws a
 * `ManifestError` with its issues) and the catalog checks (`checkManifest`), as text lines.
 */
export function manifestPackageProblems(text: string): string[] {
  try {
    const { manifest, document } = parseManifest(text);
    return checkManifest(manifest, { catalog: builtInCatalog(), document }).map(formatIssue);
  } catch (error) {
    if (error instanceof ManifestError) return error.issues.map(formatIssue);
    throw error;
  }
}

function formatIssue(issue: ManifestIssue): string {
  return `${issue.line ?? '-'} ${issue.path} ${issue.code}: ${issue.message}`;
}

/**
 * The same check in the shape the first version of this module promised (kept for the
 * hotline/oa suites): `{ ok, issues }`. Never null now that `@zhengwu/manifest` exists.
 */
export async function validateWithManifestPackage(
  text: string,
): Promise<{ ok: boolean; issues: string[] }> {
  const issues = manifestPackageProblems(text);
  return { ok: issues.length === 0, issues };
}
