// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${resources.…}` placeholders are what these tests are about.
/**
 * The Kubernetes export, validated with kubernetes-models: its `.validate()` checks each
 * object against the upstream OpenAPI schema of its kind (and KEDA's CRD schema).
 */
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  FILL_IN,
  type KubernetesObject,
  type Manifest,
  parseManifest,
  toKubernetes,
  toYaml,
} from '../src/index';
import { FIXTURES, fixture } from './helpers';

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/Secret': Secret,
  'networking.k8s.io/v1/Ingress': Ingress,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
};

function validate(object: KubernetesObject): void {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new Model(structuredClone(object) as never).validate();
}

/** Exported objects are plain JSON: the tests walk them freely. */
// biome-ignore lint/suspicious/noExplicitAny: see above.
type Loose = any;

const options = { namespace: 'tax-bureau', image: 'registry.local/approval:1.4.2' };
const load = (name: string) => parseManifest(fixture(name)).manifest;
const kinds = (objects: KubernetesObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
const find = (objects: KubernetesObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} not exported; have ${kinds(objects).join(', ')}`);
  return found as KubernetesObject & { spec: Record<string, Loose> };
};

describe('toKubernetes', () => {
  it.each(FIXTURES)('%s: every object validates against its Kubernetes schema', (name) => {
    const objects = toKubernetes(load(name), { ...options, host: 'app.example.gov.cn' });
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) {
      expect(() => validate(object), `${object.kind}/${object.metadata.name}`).not.toThrow();
      expect(object.metadata.namespace).toBe('tax-bureau');
    }
  });

  it('the validation is real: a broken object fails it', () => {
    const [deployment] = toKubernetes(load('minimal.yaml'), options).filter(
      (o) => o.kind === 'Deployment',
    );
    const broken = structuredClone(deployment!) as Loose;
    broken.spec.template.spec.containers[0].ports[0].containerPort = '8080';
    expect(() => validate(broken)).toThrow(/containerPort/);
    const keda = find(toKubernetes(load('approval.yaml'), options), 'ScaledObject', 'approval-web');
    const brokenKeda = structuredClone(keda) as Loose;
    brokenKeda.spec.triggers[1].metadata.desiredReplicas = 2;
    expect(() => validate(brokenKeda)).toThrow(/desiredReplicas/);
  });

  it('approval: objects in apply order; schedules make a ScaledObject instead of an HPA', () => {
    const objects = toKubernetes(load('approval.yaml'), options);
    expect(kinds(objects)).toEqual([
      'Secret/approval-env',
      'Deployment/approval-web',
      'Service/approval-web',
      'ScaledObject/approval-web',
      'Deployment/approval-worker',
      'HorizontalPodAutoscaler/approval-worker',
      'Ingress/approval',
    ]);
  });

  it('ScaledObject: cron triggers per schedule (KEDA fields), metric trigger, bounds, cooldown', () => {
    const keda = find(toKubernetes(load('approval.yaml'), options), 'ScaledObject', 'approval-web');
    expect(keda.spec.scaleTargetRef).toEqual({ name: 'approval-web' });
    expect(keda.spec.minReplicaCount).toBe(1);
    expect(keda.spec.maxReplicaCount).toBe(8);
    expect(keda.spec.triggers).toEqual([
      { type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } },
      {
        type: 'cron',
        name: 'office-hours',
        metadata: {
          timezone: 'Asia/Shanghai',
          start: '0 8 * * 1-5',
          end: '0 18 * * 1-5',
          desiredReplicas: '2',
        },
      },
      {
        type: 'cron',
        name: 'may-filing-peak',
        metadata: {
          timezone: 'Asia/Shanghai',
          start: '0 0 1 5 *',
          end: '0 0 1 6 *',
          desiredReplicas: '4',
        },
      },
    ]);
    expect(keda.spec.advanced.horizontalPodAutoscalerConfig.behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 30 },
      scaleDown: { stabilizationWindowSeconds: 120 },
    });
    expect(keda.metadata.annotations?.['zhengwu.gov.cn/one-off-windows']).toContain(
      'may-filing-peak',
    );
  });

  it('a one-off window is converted in its time zone', () => {
    const manifest = load('approval.yaml');
    const web = manifest.processes.web!;
    const shifted: Manifest = {
      ...manifest,
      processes: {
        web: {
          ...web,
          scaling: {
            min: 1,
            schedules: [
              {
                name: 'peak',
                timezone: 'Europe/Paris',
                startAt: '2027-05-01T06:30:00Z',
                endAt: '2027-05-02T00:00:00+08:00',
                min: 3,
              },
              {
                name: 'utc',
                startAt: '2027-12-31T23:59:00Z',
                endAt: '2028-01-01T01:00:00Z',
                min: 2,
              },
            ],
          },
        },
      },
    };
    const keda = find(toKubernetes(shifted, options), 'ScaledObject', 'approval-web');
    expect(keda.spec.triggers.map((t: Loose) => t.metadata)).toEqual([
      // 06:30Z is 08:30 in Paris (CEST); 2027-05-02 00:00 +08:00 is 2027-05-01 18:00 in Paris.
      { timezone: 'Europe/Paris', start: '30 8 1 5 *', end: '0 18 1 5 *', desiredReplicas: '3' },
      { timezone: 'Etc/UTC', start: '59 23 31 12 *', end: '0 1 1 1 *', desiredReplicas: '2' },
    ]);
    // No metric trigger: min = max, only the schedules scale.
    expect(keda.spec.triggers).toHaveLength(2);
  });

  it('HPA (autoscaling/v2) when max > min without schedules; none for a fixed process', () => {
    const objects = toKubernetes(load('back-office.yaml'), options);
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'records-archive-indexer');
    expect(hpa.spec).toEqual({
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'records-archive-indexer',
      },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
        },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    });
    expect(kinds(objects).filter((k) => k.endsWith('-mailer'))).toEqual([
      'Deployment/records-archive-mailer',
    ]);
    expect(find(objects, 'Deployment', 'records-archive-mailer').spec.replicas).toBe(1);
    // An autoscaled Deployment leaves `replicas` to its autoscaler.
    expect(find(objects, 'Deployment', 'records-archive-indexer').spec).not.toHaveProperty(
      'replicas',
    );
  });

  it('requestsPerSecond: a Prometheus trigger with a fill-in server address', () => {
    const keda = find(
      toKubernetes(load('back-office.yaml'), options),
      'ScaledObject',
      'records-archive-api',
    );
    expect(keda.spec.minReplicaCount).toBe(0);
    expect(keda.spec.triggers[0]).toMatchObject({
      type: 'prometheus',
      metadata: { threshold: '12500m', serverAddress: expect.stringContaining(FILL_IN) },
    });
  });

  it('env: literals as values, placeholders and generated secrets from the Secret via secretKeyRef', () => {
    const objects = toKubernetes(load('back-office.yaml'), options);
    const secret = find(objects, 'Secret', 'records-archive-env') as Loose;
    expect(Object.keys(secret.stringData)).toEqual([
      'QUEUE_URL',
      'BUCKET',
      'S3_ENDPOINT',
      'API_TOKEN',
      'COOKIE_KEY',
    ]);
    for (const value of Object.values(secret.stringData))
      expect(value).toMatch(new RegExp(`^${FILL_IN.replace(/[()]/g, '\\$&')}`));
    expect(secret.stringData.QUEUE_URL).toContain('${resources.queue.uri}');
    const container = find(objects, 'Deployment', 'records-archive-api').spec.template.spec
      .containers[0];
    expect(container.env).toEqual([
      { name: 'PORT', value: '3000' },
      {
        name: 'QUEUE_URL',
        valueFrom: { secretKeyRef: { name: 'records-archive-env', key: 'QUEUE_URL' } },
      },
      {
        name: 'BUCKET',
        valueFrom: { secretKeyRef: { name: 'records-archive-env', key: 'BUCKET' } },
      },
      {
        name: 'S3_ENDPOINT',
        valueFrom: { secretKeyRef: { name: 'records-archive-env', key: 'S3_ENDPOINT' } },
      },
      // `$${` unescaped; `$(` escaped, as Kubernetes would otherwise expand it.
      { name: 'GREETING', value: 'cost is ${price} per $$(unit)' },
      {
        name: 'API_TOKEN',
        valueFrom: { secretKeyRef: { name: 'records-archive-env', key: 'API_TOKEN' } },
      },
      {
        name: 'COOKIE_KEY',
        valueFrom: { secretKeyRef: { name: 'records-archive-env', key: 'COOKIE_KEY' } },
      },
    ]);
    expect(toKubernetes(load('minimal.yaml'), options).map((o) => o.kind)).not.toContain('Secret');
  });

  it('container: argv, port, memory, probes and a startup probe from startupTimeout', () => {
    const objects = toKubernetes(load('approval.yaml'), options);
    const web = find(objects, 'Deployment', 'approval-web').spec;
    const container = web.template.spec.containers[0];
    expect(container).toMatchObject({
      name: 'main',
      image: options.image,
      command: ['node'],
      args: ['server.js'],
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      resources: { requests: { memory: '256Mi', cpu: '64m' }, limits: { memory: '256Mi' } },
      readinessProbe: { httpGet: { path: '/readyz', port: 8080 } },
      livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
      startupProbe: {
        httpGet: { path: '/healthz', port: 8080 },
        periodSeconds: 5,
        failureThreshold: 12,
      },
    });
    expect(web.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    expect(web.selector.matchLabels).toEqual(web.template.metadata.labels);
    // A command a shell must read runs under sh -c.
    const api = find(
      toKubernetes(load('back-office.yaml'), options),
      'Deployment',
      'records-archive-api',
    );
    expect(api.spec.template.spec.containers[0]).toMatchObject({
      command: ['/bin/sh', '-c'],
      args: ['npm start -- --port "$PORT"'],
    });
    expect(api.spec.progressDeadlineSeconds).toBe(600);
  });

  it('Ingress: a rule per host, the default host for routes without one; Service by port name', () => {
    const objects = toKubernetes(load('back-office.yaml'), {
      ...options,
      host: 'records.tax.localhost',
    });
    const ingress = find(objects, 'Ingress', 'records-archive');
    const backend = { service: { name: 'records-archive-api', port: { name: 'http' } } };
    expect(ingress.spec.rules).toEqual([
      {
        host: 'archive.example.gov.cn',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend },
            { path: '/internal', pathType: 'Prefix', backend },
          ],
        },
      },
      {
        host: 'records.tax.localhost',
        http: { paths: [{ path: '/api', pathType: 'Prefix', backend }] },
      },
    ]);
    expect(find(objects, 'Service', 'records-archive-api').spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
    ]);
    // Only routed processes get a Service.
    expect(objects.filter((o) => o.kind === 'Service')).toHaveLength(1);
  });

  it('default route / → web when routes are left out', () => {
    const ingress = find(toKubernetes(load('minimal.yaml'), options), 'Ingress', 'hello');
    expect(ingress.spec.rules).toEqual([
      {
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: 'hello-web', port: { name: 'http' } } },
            },
          ],
        },
      },
    ]);
  });

  it('labels: the manifest’s valid labels are Kubernetes labels, all of them an annotation', () => {
    const [first] = toKubernetes(load('back-office.yaml'), options);
    expect(first!.metadata.labels).toMatchObject({
      'zhengwu.gov.cn/classification': 'sensitive',
      'app.kubernetes.io/part-of': 'records-archive',
    });
    expect(JSON.parse(first!.metadata.annotations!['zhengwu.gov.cn/labels']!)).toEqual({
      classification: 'sensitive',
      'owner/team': 'archives',
    });
  });

  it('long names stay DNS labels', () => {
    const manifest = load('minimal.yaml');
    const long = {
      ...manifest,
      metadata: { name: `a${'b'.repeat(61)}c` },
      processes: { 'queue-consumer-of-records': manifest.processes.web! },
    };
    for (const object of toKubernetes(long, options)) {
      expect(object.metadata.name.length).toBeLessThanOrEqual(63);
      expect(() => validate(object)).not.toThrow();
    }
  });
});

describe('toYaml', () => {
  it('writes one YAML document per object that reads back the same', () => {
    const objects = toKubernetes(load('back-office.yaml'), options);
    const text = toYaml(objects);
    const docs = parseAllDocuments(text);
    expect(docs.map((d) => (Array.isArray(d) ? null : d.toJS()))).toEqual(objects);
    expect(text).not.toMatch(/[&*]a\d/); // no YAML anchors or aliases
  });
});
