/** Metadata every exported Kubernetes object shares: namespace, labels, annotations. */
import type { Manifest } from '../types';
import { workloadName } from './names';

/** A Kubernetes object as plain data (`apiVersion`, `kind`, `metadata`, the rest by kind). */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** Options of `toKubernetes`. */
export interface KubernetesOptions {
  /** Namespace of every object. */
  namespace: string;
  /** Image of every container (built from the app, e.g. by a CI job or kpack). */
  image: string;
  /** Host for routes that name none; rules without a host match any host when left out. */
  host?: string;
}

/** What the object builders share. */
export interface ExportContext {
  manifest: Manifest;
  options: KubernetesOptions;
  app: string;
}

const LABEL_NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** The manifest's labels that are valid Kubernetes labels, under the `zhengwu.gov.cn/` prefix. */
function manifestLabels(manifest: Manifest): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(manifest.metadata.labels ?? {})) {
    if (LABEL_NAME.test(key) && LABEL_VALUE.test(value)) labels[`zhengwu.gov.cn/${key}`] = value;
  }
  return labels;
}

/** Labels that select one process's pods. */
export function selectorLabels(app: string, process: string): Record<string, string> {
  return { 'app.kubernetes.io/name': app, 'app.kubernetes.io/component': process };
}

/** Metadata of an object: its name, the namespace, the app's labels (and the process's). */
export function metadataOf(
  ctx: ExportContext,
  name: string,
  process?: string,
  annotations?: Record<string, string>,
): KubernetesObject['metadata'] {
  const labels = {
    ...manifestLabels(ctx.manifest),
    'app.kubernetes.io/part-of': ctx.app,
    'app.kubernetes.io/managed-by': 'zhengwu',
    ...(process ? selectorLabels(ctx.app, process) : { 'app.kubernetes.io/name': ctx.app }),
  };
  const all = {
    ...(ctx.manifest.metadata.labels
      ? { 'zhengwu.gov.cn/labels': JSON.stringify(ctx.manifest.metadata.labels) }
      : {}),
    ...annotations,
  };
  return {
    name,
    namespace: ctx.options.namespace,
    labels,
    ...(Object.keys(all).length > 0 ? { annotations: all } : {}),
  };
}

export const deploymentName = (ctx: ExportContext, process: string) =>
  workloadName(ctx.app, process);
