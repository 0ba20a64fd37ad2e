import { builtInCatalog } from '@zhengwu/catalog';
import type { Schemas } from '@zhengwu/openapi';
import type { BrokerPools } from './pools';

type Service = Schemas['Service'];

/** The catalog with each service's live availability. */
export interface LiveCatalog {
  services: Service[];
  /** Changes exactly when some service's availability does (keys cached pages). */
  signature: string;
}

const catalog = builtInCatalog();
/** The catalog's service ids (what `BrokerPools.refresh` checks). */
export const SERVICE_IDS = catalog.map((s) => s.id);
let last: LiveCatalog | undefined;

/** Brokers write reasons as `中文 · English`; the contract has them as `{ zh, en }`. */
function localized(reason: string): { zh: string; en: string } {
  const at = reason.indexOf(' · ');
  return at < 0
    ? { zh: reason, en: reason }
    : { zh: reason.slice(0, at), en: reason.slice(at + 3) };
}

/**
 * The catalog as this platform offers it: a service without a healthy engine pool is listed
 * `available: false` with the reason (never silently faked). Reads the pools' health
 * snapshot (refreshed in the background), so it costs a few map reads per request.
 */
export function liveCatalog(pools: BrokerPools): LiveCatalog {
  const health = catalog.map((s) => pools.snapshot(s.id));
  const signature = health.map((h) => (h.available ? '1' : `0${h.reason}`)).join('|');
  if (last?.signature === signature) return last;
  const services = catalog.map((service, i): Service => {
    const h = health[i]!;
    return {
      ...(service as Service),
      available: h.available,
      unavailableReason: h.available ? null : localized(h.reason),
    };
  });
  last = { signature, services };
  return last;
}
