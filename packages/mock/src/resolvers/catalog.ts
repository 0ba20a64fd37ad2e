/** The service catalog: services in ascending `id` order, plans in catalog order. */

import { serviceSummary } from '@zhengwu/catalog';
import { json } from '../context';
import { paginate } from '../pagination';
import { notFound } from '../problems';
import { findService, type Resolvers } from './lookup';

export const catalogResolvers: Resolvers<'listServices' | 'getService' | 'listPlans' | 'getPlan'> =
  {
    listServices: (ctx) => {
      const { category, available, expand } = ctx.query;
      const services = ctx.state.services
        .filter(
          (s) =>
            (category === undefined || s.category === category) &&
            (available === undefined || s.available === available),
        )
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        // Lists leave the JSON Schemas out unless asked, as the platform does.
        .map((s) => (expand === 'schemas' ? s : serviceSummary(s)));
      return json(paginate(services, (s) => s.id, ctx.query, 'listServices'));
    },

    getService: (ctx) => {
      const service = findService(ctx, ctx.path.serviceId!);
      if (!service) throw notFound('Service', ctx.path.serviceId!);
      return json(service);
    },

    listPlans: (ctx) => {
      const service = findService(ctx, ctx.path.serviceId!);
      if (!service) throw notFound('Service', ctx.path.serviceId!);
      return json(paginate(service.plans, (p) => p.id, ctx.query, `listPlans ${service.id}`));
    },

    getPlan: (ctx) => {
      const service = findService(ctx, ctx.path.serviceId!);
      const plan = service?.plans.find((p) => p.id === ctx.path.planId);
      if (!plan) throw notFound('Plan', `${ctx.path.serviceId}/${ctx.path.planId}`);
      return json(plan);
    },
  };
