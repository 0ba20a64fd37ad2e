import { serviceSummary } from '@zhengwu/catalog';
import type { Handlers } from '../http/context';
import { paginate } from '../http/pagination';
import { type Precompressed, precompressed, sendPrecompressed } from '../http/precompressed';
import { notFound } from '../http/problems';
import { type LiveCatalog, liveCatalog } from '../services/availability';

/**
 * Serialised `listServices` pages by query, of the catalog as `pagesOf` is. The catalog is
 * the same for every caller and changes only with a release or when a pool's health does
 * (then `liveCatalog` returns another object and the pages are made again): keying by the
 * object rather than its signature keeps a long string out of every request's key.
 */
const pages = new Map<string, Precompressed>();
let pagesOf: LiveCatalog | undefined;

/** The marketplace: services and plans from `@zhengwu/catalog`, readable by every principal. */
export const catalogHandlers: Handlers = {
  listServices: (request, reply, ctx) => {
    const { category, available, limit, cursor, expand } = request.query;
    const live = liveCatalog(ctx.services.pools);
    if (live !== pagesOf) {
      pages.clear();
      pagesOf = live;
    }
    const { services } = live;
    // The same query always gets the same bytes: serialise (and compress) each page once.
    // Only `cursor` is free text, and it comes last: the key is unambiguous.
    const key = `${expand} ${category} ${available} ${limit} ${cursor}`;
    let page = pages.get(key);
    if (page === undefined) {
      const matching = services.filter(
        (s) =>
          (category === undefined || s.category === category) &&
          (available === undefined || s.available === available),
      );
      const items = expand === 'schemas' ? matching : matching.map(serviceSummary);
      page = precompressed(JSON.stringify(paginate(items, { limit, cursor }, 'services')));
      if (pages.size < 1000) pages.set(key, page);
    }
    return sendPrecompressed(request, reply, page);
  },

  getService: (request, _reply, ctx) => {
    const service = liveCatalog(ctx.services.pools).services.find(
      (s) => s.id === request.params.serviceId,
    );
    if (!service) throw notFound('Service', request.params.serviceId);
    return service;
  },

  listPlans: (request, _reply, ctx) => {
    const { services } = liveCatalog(ctx.services.pools);
    const service = services.find((s) => s.id === request.params.serviceId);
    if (!service) throw notFound('Service', request.params.serviceId);
    return paginate(service.plans, request.query, `plans:${service.id}`);
  },

  getPlan: (request, _reply, ctx) => {
    const { serviceId, planId } = request.params;
    const service = liveCatalog(ctx.services.pools).services.find((s) => s.id === serviceId);
    if (!service) throw notFound('Service', serviceId);
    const plan = service.plans.find((p) => p.id === planId);
    if (!plan) throw notFound('Plan', `${serviceId}/${planId}`);
    return plan;
  },
};
