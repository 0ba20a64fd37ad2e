/** A Deployment per process, and a Service for each process that routes point to. */
import { memoryOf, portOf } from '../defaults';
import { durationSeconds } from '../duration';
import type { HttpProbe, Process } from '../types';
import { commandArgv } from './command';
import { containerEnv } from './k8s-env';
import {
  deploymentName,
  type ExportContext,
  type KubernetesObject,
  metadataOf,
  selectorLabels,
} from './k8s-meta';

/** Seconds between startup probes; `startupTimeout` becomes a failure threshold of these. */
const STARTUP_PERIOD_SECONDS = 5;

const httpGet = (probe: HttpProbe, port: number) => ({
  httpGet: { path: probe.httpGet.path, port: probe.httpGet.port ?? port },
});

/**
 * CPU request: utilisation targets need one, and the manifest sizes replicas by memory
 * only, so a replica asks for a quarter of a CPU per GiB (at least 50m).
 */
export const cpuRequestOf = (process: Process) =>
  `${Math.max(50, Math.round(memoryOf(process) / 4))}m`;

function probes(process: Process, port: number) {
  const { readiness, liveness, startupTimeout } = process.health ?? {};
  const startupSeconds = startupTimeout === undefined ? undefined : durationSeconds(startupTimeout);
  const first = liveness ?? readiness;
  return {
    ...(readiness ? { readinessProbe: httpGet(readiness, port) } : {}),
    ...(liveness ? { livenessProbe: httpGet(liveness, port) } : {}),
    ...(startupSeconds
      ? {
          startupProbe: {
            ...(first ? httpGet(first, port) : { tcpSocket: { port } }),
            periodSeconds: STARTUP_PERIOD_SECONDS,
            failureThreshold: Math.max(1, Math.ceil(startupSeconds / STARTUP_PERIOD_SECONDS)),
          },
        }
      : {}),
  };
}

export function deployment(
  ctx: ExportContext,
  name: string,
  process: Process,
  { routable, autoscaled }: { routable: boolean; autoscaled: boolean },
): KubernetesObject {
  const port = portOf(process);
  const memory = `${memoryOf(process)}Mi`;
  const deploy = ctx.manifest.deploy ?? {};
  const deadline =
    deploy.healthTimeout === undefined ? undefined : durationSeconds(deploy.healthTimeout);
  const release = ctx.manifest.release?.command;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadataOf(
      ctx,
      deploymentName(ctx, name),
      name,
      release ? { 'zhengwu.gov.cn/release-command': release } : undefined,
    ),
    spec: {
      // An autoscaler owns `replicas`; setting it here would undo its work on every apply.
      ...(autoscaled ? {} : { replicas: process.scaling?.min ?? 1 }),
      selector: { matchLabels: selectorLabels(ctx.app, name) },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: deploy.maxInFlight ?? 1, maxUnavailable: 0 },
      },
      ...(deadline ? { progressDeadlineSeconds: deadline } : {}),
      template: {
        metadata: { labels: selectorLabels(ctx.app, name) },
        spec: {
          containers: [
            {
              name: 'main',
              image: ctx.options.image,
              ...commandArgv(process.command),
              ...(routable || process.port !== undefined
                ? { ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }] }
                : {}),
              env: containerEnv(ctx, port),
              resources: {
                requests: { cpu: cpuRequestOf(process), memory },
                limits: { memory },
              },
              ...probes(process, port),
            },
          ],
        },
      },
    },
  };
}

export function service(ctx: ExportContext, name: string): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadataOf(ctx, deploymentName(ctx, name), name),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(ctx.app, name),
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}
