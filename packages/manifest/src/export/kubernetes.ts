/** `toKubernetes` and `toYaml`: the manifest as plain Kubernetes objects, for an exit or a cluster. */
import { stringify } from 'yaml';
import { routableProcesses } from '../defaults';
import type { Manifest } from '../types';
import { envSecret } from './k8s-env';
import type { ExportContext, KubernetesObject, KubernetesOptions } from './k8s-meta';
import { ingress } from './k8s-routing';
import { horizontalPodAutoscaler, isAutoscaled, scaledObject } from './k8s-scaling';
import { deployment, service } from './k8s-workload';

/**
 * The manifest as Kubernetes objects, in apply order: the env Secret (when env has
 * placeholders or generated secrets; its values are `TODO(zhengwu):` markers the operator
 * replaces), then per process a Deployment, a Service when routed, and an autoscaling/v2
 * HorizontalPodAutoscaler when `max > min` or a KEDA ScaledObject (keda.sh/v1alpha1, `cron`
 * triggers) when it has schedules; last an Ingress for the routes.
 * Services themselves (databases …) are not exported: their instances live on the platform.
 */
export function toKubernetes(manifest: Manifest, options: KubernetesOptions): KubernetesObject[] {
  const ctx: ExportContext = { manifest, options, app: manifest.metadata.name };
  const routable = new Set(routableProcesses(manifest));
  const objects: KubernetesObject[] = [];
  const secret = envSecret(ctx);
  if (secret) objects.push(secret);
  for (const [name, process] of Object.entries(manifest.processes)) {
    const autoscaled = isAutoscaled(process);
    objects.push(deployment(ctx, name, process, { routable: routable.has(name), autoscaled }));
    if (routable.has(name)) objects.push(service(ctx, name));
    if (process.scaling?.schedules?.length) objects.push(scaledObject(ctx, name, process));
    else if (autoscaled) objects.push(horizontalPodAutoscaler(ctx, name, process));
  }
  const routes = ingress(ctx);
  if (routes) objects.push(routes);
  return objects;
}

/** Objects as one multi-document YAML stream (`---` between documents). */
export function toYaml(objects: readonly object[]): string {
  return objects
    .map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
}
