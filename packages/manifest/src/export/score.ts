/**
 * `toScore`: one Score workload (score.dev/v1b1) per process, so an app can leave the
 * platform with its description intact. Resources keep Score semantics: every process's
 * workload lists the same resources with the same `id`, which Score reads as one resource.
 */
import { effectiveRoutes, memoryOf, portOf, routableProcesses } from '../defaults';
import { generatedSecretNames } from '../env';
import type { HttpProbe, Manifest, Process } from '../types';
import { commandArgv } from './command';
import { freeName, workloadName } from './names';

/** An HTTP probe in Score's shape. */
export interface ScoreProbe {
  httpGet: { path: string; port: number };
}

/** A Score resource (`resources.<name>`). */
export interface ScoreResource {
  type: string;
  class?: string;
  id?: string;
  metadata?: { annotations: Record<string, string> };
  params?: Record<string, unknown>;
}

/** A Score workload (score.dev/v1b1), as far as this export fills it. */
export interface ScoreWorkload {
  apiVersion: 'score.dev/v1b1';
  metadata: { name: string; annotations: Record<string, string> };
  service?: { ports: Record<string, { port: number; targetPort: number }> };
  containers: {
    main: {
      image: string;
      command: string[];
      args: string[];
      variables: Record<string, string>;
      resources: { limits: { memory: string }; requests: { memory: string } };
      readinessProbe?: ScoreProbe;
      livenessProbe?: ScoreProbe;
    };
  };
  resources?: Record<string, ScoreResource>;
}

/** Options of `toScore`. */
export interface ScoreOptions {
  /** Container image; `.` (Score for "build from this directory") by default. */
  image?: string;
}

/** Score's `class` is 2–63 characters; a one-letter plan id (`s`, `m`) goes to an annotation instead. */
const SCORE_CLASS = /^[A-Za-z0-9][A-Za-z0-9-]{0,61}[A-Za-z0-9]$/;

/** Annotation keys this export writes. */
export const ANNOTATIONS = {
  app: 'zhengwu.gov.cn/app',
  process: 'zhengwu.gov.cn/process',
  plan: 'zhengwu.gov.cn/plan',
  generated: 'zhengwu.gov.cn/generated',
} as const;

/** Type of the resource that stands for the manifest's `{ generate: secret }` values. */
export const GENERATED_SECRETS_TYPE = 'zhengwu-generated-secrets';

const probe = (p: HttpProbe | undefined, port: number): ScoreProbe | undefined =>
  p && { httpGet: { path: p.httpGet.path, port: p.httpGet.port ?? port } };

/** The resources every workload shares, and the name of the generated-secrets resource. */
function sharedResources(manifest: Manifest, secretNames: string[]) {
  const app = manifest.metadata.name;
  const resources: Record<string, ScoreResource> = {};
  for (const [name, r] of Object.entries(manifest.resources ?? {})) {
    const classFits = SCORE_CLASS.test(r.class);
    resources[name] = {
      type: r.type,
      ...(classFits ? { class: r.class } : {}),
      // Score shares a resource between workloads by id. Resources of this app alone get
      // `<app>.<name>`: the dot marks them, as manifest ids cannot contain one.
      id: r.id ?? `${app}.${name}`,
      ...(classFits ? {} : { metadata: { annotations: { [ANNOTATIONS.plan]: r.class } } }),
      ...(r.params ? { params: structuredClone(r.params) } : {}),
    };
  }
  const secrets = freeName('generated-secrets', new Set(Object.keys(resources)));
  if (secretNames.length > 0) {
    resources[secrets] = {
      type: GENERATED_SECRETS_TYPE,
      id: `${app}.${secrets}`,
      params: { names: secretNames },
    };
  }
  return { resources, secrets };
}

function workload(
  manifest: Manifest,
  name: string,
  process: Process,
  routable: boolean,
  shared: ReturnType<typeof sharedResources>,
  image: string,
): ScoreWorkload {
  const port = portOf(process);
  const variables: Record<string, string> = { PORT: String(port) };
  for (const [key, value] of Object.entries(manifest.env ?? {})) {
    // Score has the same placeholder syntax and `$${` escape: literals pass through as written.
    variables[key] = typeof value === 'string' ? value : `\${resources.${shared.secrets}.${key}}`;
  }
  const resources = structuredClone(shared.resources);
  if (routable) {
    for (const route of effectiveRoutes(manifest).filter((r) => r.process === name)) {
      resources[freeName('route', new Set(Object.keys(resources)))] = {
        type: 'route',
        params: { ...(route.host ? { host: route.host } : {}), path: route.path, port },
      };
    }
  }
  const memory = `${memoryOf(process)}Mi`;
  const readinessProbe = probe(process.health?.readiness, port);
  const livenessProbe = probe(process.health?.liveness, port);
  return {
    apiVersion: 'score.dev/v1b1',
    metadata: {
      name: workloadName(manifest.metadata.name, name),
      annotations: { [ANNOTATIONS.app]: manifest.metadata.name, [ANNOTATIONS.process]: name },
    },
    ...(routable ? { service: { ports: { http: { port, targetPort: port } } } } : {}),
    containers: {
      main: {
        image,
        ...commandArgv(process.command),
        variables,
        resources: { limits: { memory }, requests: { memory } },
        ...(readinessProbe ? { readinessProbe } : {}),
        ...(livenessProbe ? { livenessProbe } : {}),
      },
    },
    ...(Object.keys(resources).length > 0 ? { resources } : {}),
  };
}

/**
 * The manifest as Score workloads, one per process (`<app>-<process>`), in manifest order.
 * Not in Score and so not exported: scaling, build, release command, deploy strategy.
 * `{ generate: secret }` values become outputs of one resource of type
 * `zhengwu-generated-secrets`; routes become Score `route` resources of the routed workload.
 */
export function toScore(manifest: Manifest, options: ScoreOptions = {}): ScoreWorkload[] {
  const shared = sharedResources(manifest, generatedSecretNames(manifest));
  const routable = new Set(routableProcesses(manifest));
  return Object.entries(manifest.processes).map(([name, process]) =>
    workload(manifest, name, process, routable.has(name), shared, options.image ?? '.'),
  );
}
