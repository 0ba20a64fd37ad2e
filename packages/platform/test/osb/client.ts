/** A bare OSB client over `fetch`, as a platform (Cloud Foundry, Kubernetes) would call `/v2`. */

export const OSB_USER = 'cf-broker';
export const OSB_PASSWORD = 'osb-test-password-0123456789';

export interface OsbResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
  body: any;
}

export interface OsbRequest {
  version?: string | null;
  body?: unknown;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Basic credentials; `null` sends none. */
  auth?: { user: string; password: string } | null;
  /** `<platform> <base64 JSON>` value of X-Broker-API-Originating-Identity. */
  identity?: string;
}

export const originatingIdentity = (platform: string, value: object) =>
  `${platform} ${Buffer.from(JSON.stringify(value)).toString('base64')}`;

export function osbClient(baseUrl: string) {
  return async (method: string, path: string, options: OsbRequest = {}): Promise<OsbResponse> => {
    const {
      version = '2.17',
      body,
      query,
      auth = { user: OSB_USER, password: OSB_PASSWORD },
    } = options;
    const headers: Record<string, string> = { ...options.headers };
    if (version !== null) headers['x-broker-api-version'] = version;
    if (auth) {
      headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
    }
    if (options.identity) headers['x-broker-api-originating-identity'] = options.identity;
    if (body !== undefined && typeof body !== 'string')
      headers['content-type'] = 'application/json';
    const qs = query ? `?${new URLSearchParams(query)}` : '';
    const res = await fetch(`${baseUrl}/v2${path}${qs}`, {
      method,
      headers,
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
}

export type Osb = ReturnType<typeof osbClient>;

/** Polls a `last_operation` until it is no longer `in progress` (or answers 410). */
export async function pollLastOperation(
  osb: Osb,
  path: string,
  query: Record<string, string>,
  version = '2.17',
  timeoutMs = 30_000,
): Promise<OsbResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await osb('GET', `${path}/last_operation`, { query, version });
    if (res.status !== 200 || res.body.state !== 'in progress') return res;
    if (Date.now() > deadline) throw new Error(`still in progress: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type JsonObject = Record<string, unknown>;

/** The catalog objects the tests read (unknown fields are kept for "absent" checks). */
export interface CatalogPlan extends JsonObject {
  id: string;
  name: string;
  description: string;
  free: boolean;
  metadata: JsonObject;
  schemas: {
    service_instance: { create: { parameters: JsonObject }; update: { parameters: JsonObject } };
    service_binding?: { create: { parameters: JsonObject } };
  };
}

export interface CatalogService extends JsonObject {
  id: string;
  name: string;
  description: string;
  bindable: boolean;
  metadata: JsonObject;
  plans: CatalogPlan[];
}

/** `GET /v2/catalog` at a version, its services typed. */
export async function fetchCatalog(osb: Osb, version = '2.17'): Promise<CatalogService[]> {
  const res = await osb('GET', '/catalog', { version });
  if (res.status !== 200) throw new Error(`catalog: ${res.status}`);
  return res.body.services as CatalogService[];
}

/** One service and one of its plans by name (throws when absent). */
export function pick(services: CatalogService[], service: string, plan?: string) {
  const s = services.find((x) => x.name === service);
  if (!s) throw new Error(`no service ${service}`);
  const p = plan === undefined ? s.plans[0] : s.plans.find((x) => x.name === plan);
  if (!p) throw new Error(`no plan ${plan} of ${service}`);
  return { service: s, plan: p };
}
