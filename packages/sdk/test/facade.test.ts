import { type OperationId, operations } from '@zhengwu/openapi';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { Zhengwu } from '../src/index';
import { BASE, server } from './setup';

const client = new Zhengwu({ baseUrl: BASE, token: 'zw_test', maxRetries: 0 });
const id = (prefix: string) => `${prefix}_0123456789abcdefABCD`;
const app = id('app');
const tenant = id('ten');
const manifest = { name: 'approval' };
const schedule = {
  name: 'office-hours',
  kind: 'recurring' as const,
  start: '0 8 * * 1-5',
  end: '0 18 * * 1-5',
  minReplicas: 2,
  maxReplicas: 6,
};

/**
 * One facade call per contract operation. Typed as a Record over every OperationId, so an
 * operation added to the contract without a facade method fails the typecheck, and the
 * test below fails if a method calls the wrong method or path.
 */
const calls: Record<OperationId, (c: Zhengwu) => Promise<unknown>> = {
  getHealth: (c) => c.health.check(),
  getReadiness: (c) => c.health.ready(),
  getMetrics: (c) => c.health.metrics(),
  getCurrentPrincipal: (c) => c.tokens.whoami(),
  listServices: (c) => c.catalog.services.list({ category: 'database' }).then((p) => p),
  getService: (c) => c.catalog.services.retrieve('postgresql'),
  listPlans: (c) => c.catalog.plans.list('postgresql').then((p) => p),
  getPlan: (c) => c.catalog.plans.retrieve('postgresql', 's'),
  listTenants: (c) => c.tenants.list().then((p) => p),
  createTenant: (c) =>
    c.tenants.create({
      name: 'hangzhou',
      displayName: { zh: '杭州市', en: 'Hangzhou' },
      parentId: tenant,
      level: 'city',
    }),
  getTenant: (c) => c.tenants.retrieve(tenant),
  updateTenant: (c) => c.tenants.update(tenant, { labels: { budget: 'b-1' } }),
  deleteTenant: (c) => c.tenants.delete(tenant),
  getTenantQuota: (c) => c.tenants.getQuota(tenant),
  setTenantQuota: (c) =>
    c.tenants.setQuota(tenant, {
      instances: 10,
      apps: 5,
      memoryMb: 4096,
      storageMb: 10240,
      replicas: 20,
    }),
  getTenantUsage: (c) => c.tenants.getUsage(tenant),
  listMembers: (c) => c.tenants.members.list(tenant).then((p) => p),
  addMember: (c) =>
    c.tenants.members.add(tenant, {
      principal: { type: 'user', id: 'li.lei@hz.gov.cn' },
      role: 'developer',
    }),
  getMember: (c) => c.tenants.members.retrieve(tenant, id('mem')),
  updateMember: (c) => c.tenants.members.update(tenant, id('mem'), { role: 'auditor' }),
  removeMember: (c) => c.tenants.members.remove(tenant, id('mem')),
  listTokens: (c) => c.tokens.list().then((p) => p),
  createToken: (c) =>
    c.tokens.create({ name: 'ci', tenantId: tenant, role: 'developer', expiresInDays: 30 }),
  getToken: (c) => c.tokens.retrieve(id('tok')),
  revokeToken: (c) => c.tokens.revoke(id('tok')),
  listInstances: (c) => c.instances.list().then((p) => p),
  createInstance: (c) => c.instances.create({ name: 'db', service: 'postgresql', plan: 's' }),
  getInstance: (c) => c.instances.retrieve(id('ins')),
  updateInstance: (c) => c.instances.update(id('ins'), { plan: 'm' }),
  deleteInstance: (c) => c.instances.delete(id('ins')),
  getInstanceUsage: (c) => c.instances.usage(id('ins')),
  listBindings: (c) => c.bindings.list().then((p) => p),
  createBinding: (c) => c.bindings.create({ instanceId: id('ins'), name: 'web' }),
  getBinding: (c) => c.bindings.retrieve(id('bnd')),
  deleteBinding: (c) => c.bindings.delete(id('bnd')),
  getBindingCredentials: (c) => c.bindings.credentials(id('bnd')),
  rotateBinding: (c) => c.bindings.rotate(id('bnd'), { gracePeriodSeconds: 60 }),
  listOperations: (c) => c.operations.list().then((p) => p),
  getOperation: (c) => c.operations.retrieve(id('op')),
  cancelOperation: (c) => c.operations.cancel(id('op')),
  listApps: (c) => c.apps.list().then((p) => p),
  createApp: (c) => c.apps.create({ name: 'approval' }),
  getApp: (c) => c.apps.retrieve(app),
  updateApp: (c) => c.apps.update(app, { env: { LOG_LEVEL: 'debug' } }),
  deleteApp: (c) => c.apps.delete(app),
  restartApp: (c) => c.apps.restart(app),
  uploadSource: (c) => c.apps.releases.uploadSource(app, new Uint8Array([0x1f, 0x8b])),
  listReleases: (c) => c.apps.releases.list(app).then((p) => p),
  createRelease: (c) => c.apps.releases.create(app, { sourceId: id('src'), manifest }),
  getRelease: (c) => c.apps.releases.retrieve(app, id('rel')),
  rollbackApp: (c) => c.apps.rollback(app, { releaseId: id('rel') }),
  getAppScale: (c) => c.apps.scaling.retrieve(app),
  scaleApp: (c) => c.apps.scaling.scale(app, { processes: [{ type: 'web', replicas: 3 }] }),
  getAutoscalingPolicy: (c) => c.apps.scaling.getPolicy(app),
  setAutoscalingPolicy: (c) =>
    c.apps.scaling.setPolicy(app, {
      minReplicas: 2,
      maxReplicas: 8,
      target: { metric: 'cpu', value: 70 },
    }),
  deleteAutoscalingPolicy: (c) => c.apps.scaling.deletePolicy(app),
  listSchedules: (c) => c.apps.schedules.list(app).then((p) => p),
  createSchedule: (c) => c.apps.schedules.create(app, schedule),
  getSchedule: (c) => c.apps.schedules.retrieve(app, id('sch')),
  updateSchedule: (c) => c.apps.schedules.update(app, id('sch'), schedule),
  deleteSchedule: (c) => c.apps.schedules.delete(app, id('sch')),
  listScalingEvents: (c) => c.apps.scaling.events(app).then((p) => p),
  streamAppLogs: async (c) => {
    for await (const _ of c.apps.logs.stream(app, { tail: 10 })) break;
  },
  listAuditEvents: (c) => c.auditEvents.list().then((p) => p),
  getAuditEvent: (c) => c.auditEvents.retrieve(id('evt')),
  verifyAuditChain: (c) => c.auditEvents.verify(),
};

describe('the resource facade covers the contract', () => {
  it.each(Object.values(operations).map((op) => [op.operationId, op] as const))(
    '%s',
    async (operationId, op) => {
      const seen: { method: string; path: string; body: string }[] = [];
      server.use(
        http.all(`${BASE}/*`, async ({ request }) => {
          seen.push({
            method: request.method,
            path: new URL(request.url).pathname,
            body: await request.text(),
          });
          if (request.headers.get('accept') === 'text/event-stream') {
            return new HttpResponse('event: log\ndata: {}\n\n', {
              headers: { 'content-type': 'text/event-stream' },
            });
          }
          if (
            request.method === 'DELETE' &&
            /autoscaling|members|schedules|tenants\/[^/]+$/.test(request.url)
          ) {
            return new HttpResponse(null, { status: 204 });
          }
          return HttpResponse.json({ data: [], nextCursor: null, status: 'ready', checks: [] });
        }),
      );
      await calls[operationId as OperationId](client);
      expect(seen).toHaveLength(1);
      const pattern = new RegExp(`^${op.path.replace(/\{\w+\}/g, '[^/]+')}$`);
      expect(seen[0]!.method).toBe(op.method);
      expect(seen[0]!.path).toMatch(pattern);
    },
  );
});
