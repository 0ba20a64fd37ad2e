/** `/healthz`, `/readyz` and `/metrics`. */
import { json } from '../context';
import { contract } from '../generated/contract';
import { usageOf } from '../quota';
import { nowIso } from '../time';
import type { Resolvers } from './lookup';

export const healthResolvers: Resolvers<'getHealth' | 'getReadiness' | 'getMetrics'> = {
  getHealth: () => json({ status: 'ok', version: contract.version, time: nowIso() }),

  getReadiness: (ctx) =>
    json({
      status: 'ready',
      checks: [
        { name: 'state-store', status: 'pass' },
        { name: 'audit-pipeline', status: 'pass' },
        { name: 'key-service', status: 'pass' },
        ...ctx.state.services.map((s) => ({ name: `pool/${s.id}-mock`, status: 'pass' })),
      ],
    }),

  getMetrics: (ctx) => {
    const lines = [
      '# HELP zhengwu_http_requests_total HTTP requests handled.',
      '# TYPE zhengwu_http_requests_total counter',
    ];
    for (const [key, count] of ctx.rt.requestCounts) {
      const [operation, status] = key.split('\u241f');
      lines.push(
        `zhengwu_http_requests_total{operation="${operation}",status="${status}"} ${count}`,
      );
    }
    lines.push(
      '# HELP zhengwu_tenant_quota_used Resources used by a tenant subtree.',
      '# TYPE zhengwu_tenant_quota_used gauge',
    );
    for (const tenant of ctx.state.tenants.values()) {
      for (const [resource, used] of Object.entries(usageOf(ctx.rt, tenant.id))) {
        lines.push(
          `zhengwu_tenant_quota_used{tenant="${tenant.id}",resource="${resource}"} ${used}`,
        );
      }
    }
    lines.push(
      '# HELP zhengwu_operations_in_progress Asynchronous operations not finished yet.',
      '# TYPE zhengwu_operations_in_progress gauge',
      `zhengwu_operations_in_progress ${ctx.rt.work.size}`,
    );
    return new Response(`${lines.join('\n')}\n`, {
      headers: { 'content-type': 'text/plain; version=0.0.4' },
    });
  },
};
