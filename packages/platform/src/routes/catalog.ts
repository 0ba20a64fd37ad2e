import { builtInCatalog, findPlan, findService } from '@zhengwu/catalog';
import type { Handlers } from '../http/context';
import { paginate } from '../http/pagination';
import { type Precompressed, precompressed, sendPrecompressed } from '../http/precompressed';
import { notFound } from '../http/problems';

/** The catalog is the same for every caller and changes only with a release: build it once. */
const services = builtInCatalog();
/** Serialised `listServices` pages by query (a few dozen distinct queries at most). */
const pages = new Map<string, Precompressed>();

/** The marketplace: services and plans from `@zhengwu/catalog`, readable by every principal. */
export const catalogHandlers: Handlers = {
  listServices: (request, reply) => {
    const { category, available, limit, cursor } = request.query;
    // The same query always gets the same bytes: serialise (and compress) each page once.
    const key = JSON.stringify([category, available, limit, cursor]);
    let page = pages.get(key);
    if (page === undefined) {
      const matching = services.filter(
        (s) =>
          (category === undefined || s.category === category) &&
          (available === undefined || s.available === available),
      );
      page = precompressed(JSON.stringify(paginate(matching, { limit, cursor }, 'services')));
      if (pages.size < 1000) pages.set(key, page);
    }
    return sendPrecompressed(request, reply, page);
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
