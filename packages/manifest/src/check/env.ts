/** Env values: reserved names, placeholder syntax, references to resources and their credentials. */
import { credentialKeys } from '../catalog';
import { parseTemplate } from '../placeholders';
import { toPointer } from '../pointer';
import type { CheckContext } from './context';

/** Names the platform sets itself. */
export const RESERVED_ENV = ['PORT', 'SERVICE_BINDING_ROOT'] as const;

export function checkEnv({ manifest, services, report }: CheckContext): void {
  const resources = manifest.resources ?? {};
  for (const [name, value] of Object.entries(manifest.env ?? {})) {
    const path = toPointer(['env', name]);
    if ((RESERVED_ENV as readonly string[]).includes(name)) {
      report({
        path,
        code: 'reserved_env',
        message: `${name} 由平台设置，不能在清单中定义 · ${name} is set by the platform and cannot be defined in the manifest`,
        at: 'key',
      });
    }
    if (typeof value !== 'string') continue;
    const { parts, errors } = parseTemplate(value);
    for (const error of errors) {
      report({
        path,
        code: 'placeholder_syntax',
        message: `占位符 "${error.source}" 无效，应为 \${resources.<资源名>.<凭据键>}（字面的 \${ 写作 $\${）· invalid placeholder "${error.source}": use \${resources.<name>.<key>} (write a literal \${ as $\${)`,
      });
    }
    for (const part of parts) {
      if (part.kind !== 'ref') continue;
      const resource = Object.hasOwn(resources, part.resource)
        ? resources[part.resource]
        : undefined;
      if (!resource) {
        const known = Object.keys(resources);
        report({
          path,
          code: 'unknown_resource',
          message: `${part.source} 引用的资源 "${part.resource}" 不在 resources 中${known.length ? `（有：${known.join('、')}）` : ''} · ${part.source} names resource "${part.resource}", which is not in resources${known.length ? ` (have: ${known.join(', ')})` : ''}`,
        });
        continue;
      }
      const service = services?.get(resource.type);
      const keys = service && credentialKeys(service);
      if (keys && !keys.includes(part.key)) {
        report({
          path,
          code: 'unknown_credential',
          message: `${resource.type} 的凭据中没有 "${part.key}"，可用：${keys.join('、')} · ${resource.type} credentials have no "${part.key}"; available: ${keys.join(', ')}`,
        });
      }
    }
  }
}
