import { builtInCatalog, findPlan, findService } from '@zhengwu/catalog';
import type { Handlers } from '../http/context';
import { paginate } from '../http/pagination';
import { notFound } from '../http/problems';

/** The catalog is the same for every caller and changes only with a release: build it once. */
const services = builtInCatalog();

/** The marketplace: services and plans from `@zhengwu/catalog`, readable by every principal. */
export const catalogHandlers: Handlers = {
  listServices: (request) => {
    const { category, available, limit, cursor } = request.query;
    const matching = services.filter(
      (s) =>
        (category === undefined || s.category === category) &&
        (available === undefined || s.available === available),
    );
    return paginate(matching, { limit, cursor }, 'services');
  },

  getService: (request) => {
    const service = findService(request.params.serviceId);
    if (!service) throw notFound('Service', request.params.serviceId);
    return service;
  },

  listPlans: (request) => {
    const service = services.find((s) => s.id === request.params.serviceId);
    if (!service) throw notFound('Service', request.params.serviceId);
    return paginate(service.plans, request.query, `plans:${service.id}`);
  },

  getPlan: (request) => {
    const { serviceId, planId } = request.params;
    if (!services.some((s) => s.id === serviceId)) throw notFound('Service', serviceId);
    const plan = findPlan(serviceId, planId);
    if (!plan) throw notFound('Plan', `${serviceId}/${planId}`);
    return plan;
  },
};
