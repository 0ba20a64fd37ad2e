/**
 * Checks responses against the contract itself (`packages/openapi/openapi.yaml`, parsed
 * here, not the mock's generated copy): the operation must declare the status, required
 * headers must be there and valid, the media type must match and a JSON body must validate
 * against the response schema.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

type Json = Record<string, unknown>;

const specUrl = new URL('../../openapi/openapi.yaml', import.meta.url);
const document = parse(readFileSync(fileURLToPath(specUrl), 'utf8')) as Json;
const ID = 'https://zhengwu.gov.cn/openapi.yaml';

const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
addFormats(ajv);
ajv.addFormat('binary', true);
ajv.addSchema({ ...document, $id: ID } as Json);

const escapePointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');
const pointerFor = (parts: string[]) => `/${parts.map(escapePointer).join('/')}`;
const get = (pointer: string): unknown =>
  pointer
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (at, p) => (at as Json)?.[p.replaceAll('~1', '/').replaceAll('~0', '~')],
      document,
    );

/** Follows `$ref`s, returning the target and its JSON pointer. */
function deref(pointer: string): [Json, string] {
  let node = get(pointer) as Json;
  let at = pointer;
  while (typeof node?.$ref === 'string') {
    at = (node.$ref as string).slice(1);
    node = get(at) as Json;
  }
  return [node, at];
}

const validators = new Map<string, ValidateFunction>();
function validatorAt(pointer: string): ValidateFunction {
  let fn = validators.get(pointer);
  if (!fn) {
    fn = ajv.compile({
      $ref: `${ID}#${pointer
        .split('/')
        .map((s) => encodeURIComponent(s).replaceAll('%7E', '~'))
        .join('/')}`,
    });
    validators.set(pointer, fn);
  }
  return fn;
}

interface Route {
  operationId: string;
  method: string;
  pattern: RegExp;
  pointer: string;
}

const routes: Route[] = [];
for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
  for (const method of ['get', 'put', 'post', 'patch', 'delete']) {
    const op = item[method] as Json | undefined;
    if (!op) continue;
    routes.push({
      operationId: op.operationId as string,
      method: method.toUpperCase(),
      pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`),
      pointer: pointerFor(['paths', path, method]),
    });
  }
}

/** The operationId for a request path, if the contract has the route. */
export function operationFor(method: string, pathname: string): string | undefined {
  return routes.find((r) => r.method === method && r.pattern.test(pathname))?.operationId;
}

/** Counts responses checked in this test file. */
export const stats = { checked: 0 };

/** Problems with one response, as readable strings (empty when it matches the contract). */
export async function checkResponse(
  method: string,
  url: string,
  response: Response,
): Promise<string[]> {
  stats.checked += 1;
  const { pathname } = new URL(url);
  const route = routes.find((r) => r.method === method && r.pattern.test(pathname));
  const where = `${method} ${pathname} → ${response.status}`;
  const problems: string[] = [];
  if (!response.headers.get('x-request-id')) problems.push(`${where}: no X-Request-Id`);
  if (!route) {
    // Unknown routes answer a 404 problem.
    const body = await response.clone().json();
    const ok = response.status === 404 && validatorAt('/components/schemas/Problem')(body);
    return ok ? problems : [...problems, `${where}: unknown route must answer a 404 problem`];
  }
  const responses = get(`${route.pointer}/responses`) as Json;
  const status = String(response.status);
  if (!(status in responses)) {
    return [
      ...problems,
      `${where}: ${route.operationId} doesn't declare ${status} (declares ${Object.keys(responses).join(', ')})`,
    ];
  }
  const [spec, specPointer] = deref(`${route.pointer}/responses/${escapePointer(status)}`);
  for (const [name, raw] of Object.entries((spec.headers ?? {}) as Record<string, Json>)) {
    const [header, headerPointer] = deref(
      typeof raw.$ref === 'string'
        ? (raw.$ref as string).slice(1)
        : `${specPointer}/headers/${escapePointer(name)}`,
    );
    const value = response.headers.get(name);
    if (value === null) {
      if (header.required === true) problems.push(`${where}: missing required header ${name}`);
      continue;
    }
    const schema = header.schema as Json;
    const typed = schema.type === 'integer' ? Number(value) : value;
    if (!validatorAt(`${headerPointer}/schema`)(typed))
      problems.push(`${where}: header ${name}: ${value} is invalid`);
  }
  const content = spec.content as Json | undefined;
  if (!content) {
    const text = await response.clone().text();
    if (text) problems.push(`${where}: expected no body, got ${text.slice(0, 80)}`);
    return problems;
  }
  const mediaType = Object.keys(content)[0]!;
  const actual = response.headers.get('content-type') ?? '';
  if (actual.split(';')[0]!.trim() !== mediaType.split(';')[0]!.trim()) {
    problems.push(`${where}: content-type ${actual}, expected ${mediaType}`);
  }
  if (!mediaType.includes('json')) return problems;
  const body = await response.clone().json();
  const validate = validatorAt(`${specPointer}/content/${escapePointer(mediaType)}/schema`);
  if (!validate(body)) {
    problems.push(
      `${where}: body fails the schema: ${ajv.errorsText(validate.errors)} — ${JSON.stringify(body).slice(0, 300)}`,
    );
  }
  return problems;
}

/** Validates a value against a component schema, e.g. `LogEntry`. */
export function validateSchema(name: string, value: unknown): string | null {
  const validate = validatorAt(`/components/schemas/${name}`);
  return validate(value) ? null : ajv.errorsText(validate.errors);
}
