/** Resources against the catalog: service, plan, provisioning parameters; shared ids. */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { createAjv } from '../ajv';
import { instanceCreateSchema } from '../catalog';
import { isInstanceName, resourceInstanceName } from '../instance-name';
import { messageOf } from '../messages';
import { toPointer } from '../pointer';
import type { CheckContext } from './context';

const paramsAjv = createAjv({ strict: false });
const compiledParams = new WeakMap<object, ValidateFunction>();

/** Each catalog schema compiled once; `$id` dropped so equal ids of different objects cannot clash. */
function paramsValidator(schema: Record<string, unknown>): ValidateFunction {
  let validate = compiledParams.get(schema);
  if (!validate) {
    const { $id: _ignored, ...rest } = schema;
    validate = paramsAjv.compile(rest);
    compiledParams.set(schema, validate);
  }
  return validate;
}

function paramsIssuePath(base: string, error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  if (error.keyword === 'required')
    return `${base}${error.instancePath}${toPointer([String(p.missingProperty)])}`;
  if (error.keyword === 'additionalProperties')
    return `${base}${error.instancePath}${toPointer([String(p.additionalProperty)])}`;
  return `${base}${error.instancePath}`;
}

export function checkResources({ manifest, services, report }: CheckContext): void {
  const sharedIds = new Map<string, { name: string; type: string; class: string }>();
  for (const [name, resource] of Object.entries(manifest.resources ?? {})) {
    const base = toPointer(['resources', name]);

    const instanceName = resourceInstanceName(manifest.metadata.name, name, resource.id);
    if (resource.id === undefined && !isInstanceName(instanceName)) {
      report({
        path: base,
        code: 'instance_name_too_long',
        message: `资源 ${name} 对应的实例名 ${instanceName} 超过 63 个字符，请用 id 给出较短的实例名 · resource ${name} would be instance ${instanceName}, longer than 63 characters: give it a shorter name with id`,
        at: 'key',
      });
    }

    if (resource.id !== undefined) {
      const first = sharedIds.get(resource.id);
      if (!first) sharedIds.set(resource.id, { name, type: resource.type, class: resource.class });
      else if (first.type !== resource.type || first.class !== resource.class) {
        report({
          path: `${base}/id`,
          code: 'shared_id_conflict',
          message: `共享实例 "${resource.id}" 已被资源 ${first.name} 用作 ${first.type}/${first.class} · shared instance "${resource.id}" is already ${first.type}/${first.class} (resource ${first.name})`,
        });
      }
    }

    if (!services) continue;
    const service = services.get(resource.type);
    if (!service) {
      const known = [...services.keys()];
      report({
        path: `${base}/type`,
        code: 'unknown_service',
        message: `目录中没有服务 "${resource.type}"，可用：${known.join('、')} · no service "${resource.type}" in the catalog; available: ${known.join(', ')}`,
      });
      continue;
    }
    if (service.available === false) {
      const why = service.unavailableReason;
      report({
        path: `${base}/type`,
        code: 'service_unavailable',
        message: `服务 ${service.id} 当前不可开通${why ? `：${why.zh}` : ''} · service ${service.id} cannot be provisioned now${why ? `: ${why.en}` : ''}`,
      });
    }
    const plan = service.plans.find((p) => p.id === resource.class);
    if (!plan) {
      const known = service.plans.map((p) => p.id);
      report({
        path: `${base}/class`,
        code: 'plan_not_found',
        message: `服务 ${service.id} 没有规格 "${resource.class}"，可用：${known.join('、')} · service ${service.id} has no plan "${resource.class}"; available: ${known.join(', ')}`,
      });
      continue;
    }
    const schema = instanceCreateSchema(service, plan);
    if (!schema) continue;
    const validate = paramsValidator(schema);
    if (validate(resource.params ?? {})) continue;
    for (const error of validate.errors ?? []) {
      if (error.keyword === 'if' || error.keyword === 'propertyNames') continue;
      report({
        path: paramsIssuePath(`${base}/params`, error),
        code: 'invalid_params',
        message: `开通参数无效：${messageOf(error)}`.replace(' · ', ' · invalid parameter: '),
        ...(error.keyword === 'additionalProperties' ? { at: 'key' as const } : {}),
      });
    }
  }
}
