import { builtInCatalog } from '@zhengwu/catalog';
import type { Schemas } from '@zhengwu/openapi';
import type { BrokerPools } from '../services/pools';
import { text } from './errors';
import { planGuid, serviceGuid } from './ids';

type Service = Schemas['Service'];
type Plan = Schemas['Plan'];

/**
 * The maintenance level of every plan (2.15+ `maintenance_info`): bumped when an operator
 * change to the pools needs instances to be upgraded; platforms then offer "upgrade".
 */
export const MAINTENANCE_INFO = {
  version: '1.0.0',
  description: text('政务云服务目录 1.0', 'Zhengwu catalog 1.0'),
} as const;

/** How long a platform should poll an operation before it counts it as failed (2.15+). */
const MAXIMUM_POLLING_SECONDS = 3600;

const SERVICES = builtInCatalog();
const byGuid = new Map<string, Service>(SERVICES.map((s) => [serviceGuid(s.id), s]));
const planByGuid = new Map<string, { service: Service; plan: Plan }>(
  SERVICES.flatMap((service) =>
    service.plans.map((plan) => [planGuid(service.id, plan.id), { service, plan }] as const),
  ),
);

/** The catalog service an OSB `service_id` names. */
export const serviceOfGuid = (guid: string) => byGuid.get(guid);

/** The service and plan an OSB `service_id` / `plan_id` pair names (the plan must be the service's). */
export function planOfGuids(service: string, plan: string) {
  const found = planByGuid.get(plan);
  return found && serviceGuid(found.service.id) === service ? found : undefined;
}

const UNITS: Record<string, string> = { hour: 'HOURLY', month: 'MONTHLY', day: 'DAILY' };

/** The plan's limits as catalog bullets (`20 connections`…), in both languages. */
function bullets(plan: Plan): string[] {
  const l = plan.limits as Record<string, number | undefined>;
  const out: string[] = [];
  const add = (value: number | undefined, zh: string, en: string) => {
    if (value !== undefined) out.push(text(`${zh} ${value}`, `${value} ${en}`));
  };
  add(l.connections, '连接数', 'connections');
  add(l.memoryMb, '内存 MB', 'MB memory');
  add(l.storageMb, '存储 MB', 'MB storage');
  add(l.messagesPerSecond, '消息/秒', 'messages per second');
  add(l.bandwidthMbps, '带宽 Mbps', 'Mbps bandwidth');
  return out;
}

/** `schemas` in the OSB shape: the catalog's JSON Schemas (each has `$schema`, no external `$ref`). */
function schemasOf(service: Service, plan: Plan) {
  return {
    service_instance: {
      create: { parameters: plan.schemas.instanceCreate },
      update: { parameters: plan.schemas.instanceUpdate },
    },
    ...(service.bindable && {
      service_binding: { create: { parameters: plan.schemas.bindingCreate } },
    }),
  };
}

function toOsbPlan(service: Service, plan: Plan, minor: number) {
  return {
    id: planGuid(service.id, plan.id),
    name: plan.id,
    description: text(plan.description.zh, plan.description.en),
    free: plan.free,
    metadata: {
      displayName: text(plan.displayName.zh, plan.displayName.en),
      bullets: bullets(plan),
      costs: [
        {
          amount: { [plan.price.currency.toLowerCase()]: plan.price.amount },
          unit: UNITS[plan.price.unit] ?? plan.price.unit.toUpperCase(),
        },
      ],
      limits: plan.limits,
      compliance: plan.compliance,
    },
    schemas: schemasOf(service, plan),
    ...(minor >= 15 && {
      plan_updateable: service.planUpdateable,
      maintenance_info: MAINTENANCE_INFO,
      maximum_polling_duration: MAXIMUM_POLLING_SECONDS,
    }),
    // Rotation makes a new binding with the predecessor's parameters; both stay valid.
    ...(minor >= 17 && service.bindable && { binding_rotatable: true }),
  };
}

/**
 * `GET /v2/catalog` for API version 2.`minor`: every service of `@zhengwu/catalog`, also
 * those no engine pool serves here — ids must stay stable and platforms keep plans they
 * once saw, so availability is told in `metadata` and enforced at provisioning (422).
 */
export async function osbCatalog(pools: BrokerPools, minor: number) {
  const health = await Promise.all(SERVICES.map((s) => pools.serviceHealth(s.id)));
  return {
    services: SERVICES.map((service, i) => {
      const h = health[i]!;
      return {
        id: serviceGuid(service.id),
        name: service.id,
        description: text(service.description.zh, service.description.en),
        tags: service.tags,
        bindable: service.bindable,
        plan_updateable: service.planUpdateable,
        ...(minor >= 14 && { instances_retrievable: true, bindings_retrievable: true }),
        metadata: {
          displayName: text(service.displayName.zh, service.displayName.en),
          longDescription: text(service.description.zh, service.description.en),
          providerDisplayName: text('政务云', 'Zhengwu government cloud'),
          documentationUrl: service.documentationUrl,
          shareable: false,
          category: service.category,
          engine: service.engine,
          available: h.available,
          ...(!h.available && { unavailableReason: h.reason }),
        },
        plans: service.plans.map((plan) => toOsbPlan(service, plan, minor)),
      };
    }),
  };
}
