import type { IncomingMessage } from 'node:http';

/** Where a request for an app goes: which app, and the path the app sees. */
export interface RouteTarget {
  tenant: string;
  app: string;
  /** Path and query the app receives (the `/apps/<tenant>/<app>` prefix stripped). */
  path: string;
  /** `/apps/<tenant>/<app>` for path routing (`X-Forwarded-Prefix`); undefined for host routing. */
  prefix: string | undefined;
  /** Path routing without the trailing slash: answer with a redirect (relative URLs need it). */
  redirect?: string;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const PATH_PREFIX = '/apps/';

/** `a.b.localhost:7070` → `a.b.localhost` (lowercase); undefined for IPv6 literals. */
function hostname(host: string | undefined): string | undefined {
  if (!host || host.charCodeAt(0) === 91 /* [ */) return undefined;
  const colon = host.lastIndexOf(':');
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}

/** `<app>.<tenant>.<baseDomain>` → [app, tenant]. */
export function matchHost(host: string | undefined, suffix: string): [string, string] | undefined {
  const name = hostname(host);
  if (!name?.endsWith(suffix)) return undefined;
  const labels = name.slice(0, -suffix.length).split('.');
  if (labels.length !== 2 || !LABEL.test(labels[0]!) || !LABEL.test(labels[1]!)) return undefined;
  return [labels[0]!, labels[1]!];
}

/** Resolves a request to an app by host first, then by path; undefined when it is not for an app. */
export function matchRoute(req: IncomingMessage, suffix: string): RouteTarget | undefined {
  const url = req.url ?? '/';
  const byHost = matchHost(req.headers.host, suffix);
  if (byHost) return { app: byHost[0], tenant: byHost[1], path: url, prefix: undefined };
  if (!url.startsWith(PATH_PREFIX)) return undefined;
  // /apps/<tenant>/<app>[/rest][?query]
  const tenantEnd = url.indexOf('/', PATH_PREFIX.length);
  if (tenantEnd === -1) return undefined;
  const tenant = url.slice(PATH_PREFIX.length, tenantEnd);
  let appEnd = tenantEnd + 1;
  while (appEnd < url.length && url[appEnd] !== '/' && url[appEnd] !== '?') appEnd++;
  const app = url.slice(tenantEnd + 1, appEnd);
  if (!LABEL.test(tenant) || !LABEL.test(app)) return undefined;
  const prefix = url.slice(0, appEnd);
  const rest = url.slice(appEnd);
  if (!rest.startsWith('/'))
    return { tenant, app, path: '/', prefix, redirect: `${prefix}/${rest}` };
  return { tenant, app, path: rest, prefix };
}

/**
 * Fast test, before any routing work, of whether a raw request is for an app: a host
 * ending in `.<baseDomain>` or a path starting with `/apps/`.
 */
export function isAppRequest(req: IncomingMessage, suffix: string): boolean {
  if (req.url?.startsWith(PATH_PREFIX)) return true;
  const name = hostname(req.headers.host);
  return name !== undefined && name.length > suffix.length && name.endsWith(suffix);
}
