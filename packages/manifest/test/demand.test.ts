import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMORY_MB, demandOf, parseManifest } from '../src/index';
import { fixture } from './helpers';

describe('demandOf', () => {
  it('approval: two new instances, replicas × memory at min and at max scale', () => {
    const demand = demandOf(parseManifest(fixture('approval.yaml')).manifest);
    expect(demand.newInstances).toEqual({ postgresql: 1, 'object-storage': 1 });
    expect(demand.newInstanceCount).toBe(2);
    expect(demand.sharedInstances).toEqual([]);
    // web: 256 MiB, 1..4, the may-filing-peak schedule asks up to 8; worker: default memory, 1..2.
    expect(demand.processes).toEqual([
      { process: 'web', memoryMb: 256, minReplicas: 1, maxReplicas: 8 },
      { process: 'worker', memoryMb: DEFAULT_MEMORY_MB, minReplicas: 1, maxReplicas: 2 },
    ]);
    expect(demand.replicas).toEqual({ min: 2, max: 10 });
    expect(demand.memoryMb).toEqual({
      min: 256 + DEFAULT_MEMORY_MB,
      max: 8 * 256 + 2 * DEFAULT_MEMORY_MB,
    });
  });

  it('shared instances are listed apart, not counted as new', () => {
    const { manifest } = parseManifest(fixture('back-office.yaml'));
    const demand = demandOf({
      ...manifest,
      resources: {
        ...manifest.resources,
        scans2: { type: 'object-storage', class: 'm', id: 'shared-scans' },
      },
    });
    expect(demand.newInstances).toEqual({ rabbitmq: 1, postgresql: 1 });
    expect(demand.newInstanceCount).toBe(2);
    expect(demand.sharedInstances).toEqual([
      { type: 'object-storage', class: 'm', id: 'shared-scans', resources: ['scans', 'scans2'] },
      { type: 'redis', class: 'dev', id: 'shared-cache', resources: ['cache'] },
    ]);
    // api 1024 × 0..3; indexer 2048 × 2..6; mailer 512 × 1..1
    expect(demand.replicas).toEqual({ min: 0 + 2 + 1, max: 3 + 6 + 1 });
    expect(demand.memoryMb).toEqual({
      min: 2 * 2048 + DEFAULT_MEMORY_MB,
      max: 3 * 1024 + 6 * 2048 + DEFAULT_MEMORY_MB,
    });
  });

  it('a minimal manifest asks for one replica of the default size and no instances', () => {
    const demand = demandOf(parseManifest(fixture('minimal.yaml')).manifest);
    expect(demand).toMatchObject({
      newInstances: {},
      newInstanceCount: 0,
      replicas: { min: 1, max: 1 },
      memoryMb: { min: DEFAULT_MEMORY_MB, max: DEFAULT_MEMORY_MB },
    });
  });
});
