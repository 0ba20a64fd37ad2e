/**
 * The code a service page shows: provisioning with the SDK and declaring the service in
 * `zhengwu.yaml`. The manifest snippet is checked with @zhengwu/manifest against the
 * catalog while generating, so the page never shows one the platform would refuse.
 */
import { builtInCatalog, type ServiceDefinition } from '@zhengwu/catalog';
import { stringify } from 'yaml';
import { checkManifest, parseManifest } from '../../../packages/manifest/src/index';
import { fence, type Locale, t } from './markdown';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A value as a TypeScript literal in the repo's style (single quotes, bare keys). */
export function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, v]) => `${IDENTIFIER.test(key) ? key : literal(key)}: ${literal(v)}`,
    );
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return String(value);
}

/** The richest example of the provisioning parameters (the one with most keys), if any. */
export function exampleParameters(service: ServiceDefinition): Record<string, unknown> | undefined {
  const examples = (service.schemas.instanceCreate.examples ?? []) as Record<string, unknown>[];
  const richest = [...examples].sort((a, b) => Object.keys(b).length - Object.keys(a).length)[0];
  return richest && Object.keys(richest).length > 0 ? richest : undefined;
}

/** The credential key apps usually read first: the URI, or the S3 endpoint. */
function mainCredential(service: ServiceDefinition): string {
  const keys = Object.keys(service.schemas.credentials.properties ?? {});
  const key = keys.find((k) => k === 'uri') ?? keys[0];
  if (!key) throw new Error(`${service.id} has no credential keys`);
  return key;
}

const envName = (service: ServiceDefinition, key: string) =>
  `${service.id}_${key}`.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();

export function sdkSnippet(service: ServiceDefinition, locale: Locale): string {
  const plan = service.plans[0]!.id;
  const parameters = exampleParameters(service);
  const key = mainCredential(service);
  const lines = [
    "import { Zhengwu } from '@zhengwu/sdk';",
    '',
    `const zw = new Zhengwu(); // ${t(locale, '读取 ZHENGWU_URL 和 ZHENGWU_TOKEN', 'reads ZHENGWU_URL and ZHENGWU_TOKEN')}`,
    '',
    'const instance = await zw.instances.create({',
    `  name: 'my-${service.id}',`,
    `  service: '${service.id}',`,
    `  plan: '${plan}',`,
    ...(parameters ? [`  parameters: ${literal(parameters)},`] : []),
    '});',
    'await zw.instances.waitUntilReady(instance.id);',
    '',
    `const binding = await zw.bindings.create<'${service.id}'>({ instanceId: instance.id, name: 'web' });`,
    'await zw.bindings.waitUntilReady(binding.id);',
    `const { credentials } = await zw.bindings.credentials<'${service.id}'>(binding.id);`,
    `console.log(credentials.${key});`,
  ];
  return fence('ts', lines.join('\n'));
}

/** The `resources` and `env` of a manifest that uses the service. */
function manifestPart(service: ServiceDefinition) {
  const parameters = exampleParameters(service);
  const key = mainCredential(service);
  return {
    resources: {
      [service.id]: {
        type: service.id,
        class: service.plans[0]!.id,
        ...(parameters && { params: parameters }),
      },
    },
    env: { [envName(service, key)]: `\${resources.${service.id}.${key}}` },
  };
}

/** Fails the generation when the snippet is not a manifest the catalog accepts. */
function checkSnippet(service: ServiceDefinition, part: object): void {
  const manifest = {
    apiVersion: 'zhengwu.gov.cn/v1',
    kind: 'App',
    metadata: { name: 'example' },
    runtime: 'node@20',
    processes: { web: { command: 'node server.js' } },
    ...part,
  };
  const parsed = parseManifest(stringify(manifest));
  const issues = checkManifest(parsed.manifest, { catalog: builtInCatalog() });
  if (issues.length > 0) {
    throw new Error(
      `the zhengwu.yaml snippet of ${service.id} is invalid: ${JSON.stringify(issues)}`,
    );
  }
}

export function manifestSnippet(service: ServiceDefinition): string {
  const part = manifestPart(service);
  checkSnippet(service, part);
  return fence('yaml', stringify(part, { flowCollectionPadding: true }));
}

/** Provisioning, binding and reading the credentials with `zw`. */
export function cliSnippet(service: ServiceDefinition): string {
  const parameters = exampleParameters(service);
  const params = parameters ? ` --params '${JSON.stringify(parameters)}'` : '';
  return fence(
    'sh',
    [
      `zw marketplace ${service.id}`,
      `zw services create ${service.id} ${service.plans[0]!.id} my-${service.id}${params} --wait`,
      `zw services bind my-${service.id} --as web --wait`,
      `zw services keys my-${service.id}/web`,
    ].join('\n'),
  );
}
