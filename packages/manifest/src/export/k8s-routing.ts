/** One Ingress for the app: a rule per host, a Prefix path per route. */
import { effectiveRoutes } from '../defaults';
import { deploymentName, type ExportContext, type KubernetesObject, metadataOf } from './k8s-meta';

export function ingress(ctx: ExportContext): KubernetesObject | undefined {
  const routes = effectiveRoutes(ctx.manifest);
  if (routes.length === 0) return undefined;
  const byHost = new Map<string | undefined, typeof routes>();
  for (const route of routes) {
    const host = route.host ?? ctx.options.host;
    byHost.set(host, [...(byHost.get(host) ?? []), route]);
  }
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: metadataOf(ctx, ctx.app),
    spec: {
      rules: [...byHost].map(([host, hostRoutes]) => ({
        ...(host ? { host } : {}),
        http: {
          paths: hostRoutes.map((route) => ({
            path: route.path,
            pathType: 'Prefix',
            backend: {
              service: { name: deploymentName(ctx, route.process), port: { name: 'http' } },
            },
          })),
        },
      })),
    },
  };
}
