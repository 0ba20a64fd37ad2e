import { sql } from 'kysely';
import { type Handlers, principalOf } from '../http/context';
import { ProblemError } from '../http/problems';

/** Liveness, readiness (state database reachable, not draining) and Prometheus metrics. */
export const healthHandlers: Handlers = {
  getHealth: (_request, _reply, ctx) => ({
    status: 'ok',
    version: ctx.version,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  }),

  getReadiness: async (_request, reply, ctx) => {
    const checks: { name: string; status: 'pass' | 'fail'; detail?: string }[] = [];
    try {
      await sql`SELECT 1`.execute(ctx.db);
      checks.push({ name: 'state-database', status: 'pass' });
    } catch (error) {
      checks.push({ name: 'state-database', status: 'fail', detail: (error as Error).message });
    }
    checks.push(
      ctx.draining
        ? { name: 'accepting-requests', status: 'fail', detail: 'shutting down' }
        : { name: 'accepting-requests', status: 'pass' },
    );
    const ready = checks.every((c) => c.status === 'pass');
    reply.code(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not_ready', checks };
  },

  getMetrics: async (request, reply, ctx) => {
    const roles = principalOf(request).roles.map((b) => b.role);
    if (!roles.includes('platform-admin') && !roles.includes('auditor')) {
      throw new ProblemError('forbidden', 'Metrics need the platform-admin or auditor role.');
    }
    reply.type(ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  },
};
