import { findPlan, findService } from '@zhengwu/catalog';
import type { Schemas } from '@zhengwu/openapi';
import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { InstanceSpec } from '../brokers/broker';
import type { InstanceRow } from '../db/schema';
import { invalidField, ProblemError } from '../http/problems';
import { fieldErrors } from '../http/validation';

type Service = Schemas['Service'];
type Plan = Schemas['Plan'];
type SchemaKind = keyof Schemas['PlanSchemas'];

const ajv = new Ajv2020({ strict: false, allErrors: true, useDefaults: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
/** Compiled plan schemas, by `service/plan/kind` (the catalog is fixed for a release). */
const compiled = new Map<string, ValidateFunction>();

/**
 * The catalog service and plan an instance names: 422 `plan_not_found` (with the field) when
 * either is unknown.
 */
export function resolvePlan(serviceId: string, planId: string): { service: Service; plan: Plan } {
  const service = findService(serviceId);
  if (!service) {
    throw new ProblemError(
      'plan_not_found',
      `目录中没有服务 · No service "${serviceId}" in the catalog.`,
      [{ path: '/body/service', message: 'unknown service', code: 'plan_not_found' }],
    );
  }
  const plan = findPlan(serviceId, planId);
  if (!plan) {
    const known = service.plans.map((p) => p.id).join(', ');
    throw new ProblemError(
      'plan_not_found',
      `服务 ${serviceId} 没有规格 "${planId}" · Service ${serviceId} has no plan "${planId}" (plans: ${known}).`,
      [{ path: '/body/plan', message: 'unknown plan', code: 'plan_not_found' }],
    );
  }
  return { service, plan };
}

/**
 * Validates parameters against one of the plan's schemas (`instanceCreate`, `instanceUpdate`,
 * `bindingCreate`) and returns them with the schema's defaults filled in; 422
 * `validation_failed` naming each wrong field under `pointer` (e.g. `/body/parameters`).
 */
export function checkParameters(
  service: Service,
  plan: Plan,
  kind: SchemaKind,
  parameters: Record<string, unknown> | undefined,
  pointer: string,
): Record<string, unknown> {
  const schema = plan.schemas[kind];
  const value = structuredClone(parameters ?? {});
  if (!schema) {
    if (Object.keys(value).length === 0) return value;
    throw invalidField(
      pointer,
      `规格 ${plan.id} 不接受参数 · Plan ${plan.id} takes no ${kind} parameters`,
      'additionalProperties',
    );
  }
  const key = `${service.id}/${plan.id}/${kind}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema as object);
    compiled.set(key, validate);
  }
  if (!validate(value)) {
    const errors = fieldErrors(validate.errors ?? [], 'body').map((e) => ({
      ...e,
      path: e.path.replace(/^\/body/, pointer),
    }));
    throw new ProblemError(
      'validation_failed',
      `参数不符合规格 · ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      errors,
    );
  }
  return value;
}

/** What an instance of the plan takes from its tenant's quota. */
export function quotaOf(plan: Plan): { instances: number; storageMb: number } {
  return { instances: 1, storageMb: Math.max(0, Math.round(plan.limits.storageMb ?? 0)) };
}

/** What a broker is told about an instance (with `plan` / `parameters` about to apply). */
export function specOf(
  row: InstanceRow,
  plan = row.plan,
  parameters = row.parameters,
): InstanceSpec {
  const { plan: p } = resolvePlan(row.service, plan);
  return {
    id: row.id,
    tenantId: row.tenant_id,
    plan,
    limits: p.limits as InstanceSpec['limits'],
    parameters,
  };
}
