/** What a manifest asks of the tenant's quota (instances, replicas, memory). */
import { memoryOf, replicaBounds } from './defaults';
import type { Manifest } from './types';

/** One process's share of the demand. */
export interface ProcessDemand {
  process: string;
  memoryMb: number;
  /** Replicas at the bottom of the range (`scaling.min`, 1 by default). */
  minReplicas: number;
  /** Replicas at the top: the highest of `scaling.max` and what any schedule asks for. */
  maxReplicas: number;
}

/** The result of `demandOf`. */
export interface ManifestDemand {
  /** New instances the release creates: resources without a shared `id`, per service type. */
  newInstances: Record<string, number>;
  /** Total of `newInstances`. */
  newInstanceCount: number;
  /**
   * Resources naming a shared instance (`id`), one entry per distinct type/class/id. The
   * platform counts those that do not exist yet as new instances too.
   */
  sharedInstances: { type: string; class: string; id: string; resources: string[] }[];
  processes: ProcessDemand[];
  /** Sum of replicas over processes, at min and at max scale. */
  replicas: { min: number; max: number };
  /** Sum of replicas × memoryMb over processes (MiB), at min and at max scale. */
  memoryMb: { min: number; max: number };
}

/**
 * What the manifest asks of quotas. Instance memory and storage come from the plans
 * (`limits`) and are the platform's to add; this counts only what the manifest itself fixes.
 */
export function demandOf(manifest: Manifest): ManifestDemand {
  const newInstances: Record<string, number> = {};
  const shared = new Map<string, ManifestDemand['sharedInstances'][number]>();
  for (const [name, r] of Object.entries(manifest.resources ?? {})) {
    if (r.id === undefined) {
      newInstances[r.type] = (newInstances[r.type] ?? 0) + 1;
      continue;
    }
    const key = `${r.type}\u0000${r.class}\u0000${r.id}`;
    const entry = shared.get(key) ?? { type: r.type, class: r.class, id: r.id, resources: [] };
    entry.resources.push(name);
    shared.set(key, entry);
  }
  const processes = Object.entries(manifest.processes).map(([process, spec]): ProcessDemand => {
    const { min, peak } = replicaBounds(spec);
    return { process, memoryMb: memoryOf(spec), minReplicas: min, maxReplicas: peak };
  });
  const sum = (pick: (p: ProcessDemand) => number) => processes.reduce((t, p) => t + pick(p), 0);
  return {
    newInstances,
    newInstanceCount: Object.values(newInstances).reduce((t, n) => t + n, 0),
    sharedInstances: [...shared.values()],
    processes,
    replicas: { min: sum((p) => p.minReplicas), max: sum((p) => p.maxReplicas) },
    memoryMb: {
      min: sum((p) => p.minReplicas * p.memoryMb),
      max: sum((p) => p.maxReplicas * p.memoryMb),
    },
  };
}
