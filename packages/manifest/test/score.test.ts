// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${resources.…}` placeholders are what these tests are about.
import { describe, expect, it } from 'vitest';
import { createAjv } from '../src/ajv';
import { GENERATED_SECRETS_TYPE, parseManifest, type ScoreWorkload, toScore } from '../src/index';
import { FIXTURES, fixture } from './helpers';
import { SCORE_V1B1_STRUCTURE } from './score-structure';

const validateScore = createAjv({ strict: true }).compile(SCORE_V1B1_STRUCTURE);
const load = (name: string) => parseManifest(fixture(name)).manifest;

describe('toScore', () => {
  it.each(FIXTURES)('%s: every workload has the Score v1b1 structure', (name) => {
    const workloads = toScore(load(name));
    expect(workloads.length).toBe(Object.keys(load(name).processes).length);
    for (const workload of workloads) {
      validateScore(workload);
      expect(validateScore.errors ?? [], JSON.stringify(validateScore.errors)).toEqual([]);
    }
  });

  it('the structural check is real: what Score forbids fails it', () => {
    const [workload] = toScore(load('approval.yaml'));
    const bad = structuredClone(workload) as ScoreWorkload & Record<string, unknown>;
    bad.scaling = { min: 1 };
    (bad.resources!.db as { class?: string }).class = 's';
    expect(validateScore(bad)).toBe(false);
    expect(validateScore.errors?.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(['', '/resources/db/class']),
    );
  });

  it('approval: a workload per process, same placeholders, probes with ports, route and port for web', () => {
    const [web, worker] = toScore(load('approval.yaml'), { image: 'registry.local/approval:1' });
    expect(web).toEqual({
      apiVersion: 'score.dev/v1b1',
      metadata: {
        name: 'approval-web',
        annotations: { 'zhengwu.gov.cn/app': 'approval', 'zhengwu.gov.cn/process': 'web' },
      },
      service: { ports: { http: { port: 8080, targetPort: 8080 } } },
      containers: {
        main: {
          image: 'registry.local/approval:1',
          command: ['node'],
          args: ['server.js'],
          variables: {
            PORT: '8080',
            LOG_LEVEL: 'info',
            DATABASE_URL: '${resources.db.uri}',
            SESSION_SECRET: '${resources.generated-secrets.SESSION_SECRET}',
          },
          resources: { limits: { memory: '256Mi' }, requests: { memory: '256Mi' } },
          readinessProbe: { httpGet: { path: '/readyz', port: 8080 } },
          livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
        },
      },
      resources: {
        db: { type: 'postgresql', class: 'dev', id: 'approval.db' },
        files: { type: 'object-storage', class: 'dev', id: 'approval.files' },
        'generated-secrets': {
          type: GENERATED_SECRETS_TYPE,
          id: 'approval.generated-secrets',
          params: { names: ['SESSION_SECRET'] },
        },
        route: { type: 'route', params: { path: '/', port: 8080 } },
      },
    });
    // The worker shares the resources (same ids), has no service port and no route.
    expect(worker!.metadata.name).toBe('approval-worker');
    expect(worker!.service).toBeUndefined();
    expect(worker!.resources).toEqual(
      Object.fromEntries(Object.entries(web!.resources!).filter(([name]) => name !== 'route')),
    );
  });

  it('shared ids are kept; a one-letter plan goes to an annotation (Score class needs 2+ characters)', () => {
    const [api] = toScore(load('back-office.yaml'));
    expect(api!.resources).toMatchObject({
      queue: {
        type: 'rabbitmq',
        id: 'records-archive.queue',
        metadata: { annotations: { 'zhengwu.gov.cn/plan': 's' } },
      },
      scans: {
        type: 'object-storage',
        id: 'shared-scans',
        metadata: { annotations: { 'zhengwu.gov.cn/plan': 'm' } },
      },
      cache: { type: 'redis', class: 'dev', id: 'shared-cache' },
      db: { type: 'postgresql', class: 'dev', params: { extensions: ['pg_trgm'] } },
      route: { type: 'route', params: { host: 'archive.example.gov.cn', path: '/', port: 3000 } },
      'route-2': {
        type: 'route',
        params: { host: 'archive.example.gov.cn', path: '/internal', port: 3000 },
      },
      'route-3': { type: 'route', params: { path: '/api', port: 3000 } },
    });
    expect(api!.resources!.queue).not.toHaveProperty('class');
    // Escapes pass through unchanged: Score uses the same `$${` rule.
    expect(api!.containers.main.variables.GREETING).toBe('cost is $${price} per $(unit)');
    expect(api!.containers.main.image).toBe('.');
  });
});
