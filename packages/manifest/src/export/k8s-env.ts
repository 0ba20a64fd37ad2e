/**
 * Env in Kubernetes: literals as `value`, and everything that is not known until the
 * platform provisions (placeholders, generated secrets) from one Secret the operator fills.
 */
import { parseTemplate } from '../placeholders';
import type { EnvValue } from '../types';
import { type ExportContext, type KubernetesObject, metadataOf } from './k8s-meta';

/** The marker every value the operator must fill in starts with. */
export const FILL_IN = 'TODO(zhengwu):';

export type EnvVar =
  | { name: string; value: string }
  | { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } };

const needsSecret = (value: EnvValue) =>
  typeof value !== 'string' || parseTemplate(value).parts.some((p) => p.kind === 'ref');

/** The literal as the container should see it: `$${` unescaped, `$(` escaped for Kubernetes. */
function literal(value: string): string {
  return parseTemplate(value)
    .parts.map((p) => (p.kind === 'text' ? p.text : p.source))
    .join('')
    .replaceAll('$(', () => '$$(');
}

export const envSecretName = (ctx: ExportContext) =>
  `${ctx.app.slice(0, 59).replace(/-+$/, '')}-env`;

/** The Secret holding placeholder and generated values, or `undefined` when there are none. */
export function envSecret(ctx: ExportContext): KubernetesObject | undefined {
  const stringData: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.manifest.env ?? {})) {
    if (!needsSecret(value)) continue;
    stringData[name] =
      typeof value === 'string'
        ? `${FILL_IN} 填入 ${value} 的实际值 · fill in the actual value of ${value}`
        : `${FILL_IN} 填入随机密钥（如 openssl rand -base64 32），发布之间保持不变 · fill in a random secret (e.g. openssl rand -base64 32) and keep it across releases`;
  }
  if (Object.keys(stringData).length === 0) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadataOf(ctx, envSecretName(ctx), undefined, {
      'zhengwu.gov.cn/fill-in': `每个以 ${FILL_IN} 开头的值都须由运维填写 · every value starting with ${FILL_IN} must be filled in by the operator`,
    }),
    type: 'Opaque',
    stringData,
  };
}

/** The container env of every process: `PORT` first, then the manifest's env in order. */
export function containerEnv(ctx: ExportContext, port: number): EnvVar[] {
  const env: EnvVar[] = [{ name: 'PORT', value: String(port) }];
  for (const [name, value] of Object.entries(ctx.manifest.env ?? {})) {
    env.push(
      needsSecret(value)
        ? { name, valueFrom: { secretKeyRef: { name: envSecretName(ctx), key: name } } }
        : { name, value: literal(value as string) },
    );
  }
  return env;
}
