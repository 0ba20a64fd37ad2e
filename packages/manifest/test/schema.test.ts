import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SCHEMA_FILE, schemaJson } from '../scripts/schema-json';
import { createAjv } from '../src/ajv';
import { MANIFEST_SCHEMA, MANIFEST_SCHEMA_ID } from '../src/index';
import { FIXTURES, fixture } from './helpers';

const published = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

type Node = Record<string, unknown>;

/** Every schema node that describes a property or a map entry, with its JSON Pointer. */
function describedNodes(node: Node, path = ''): [string, Node][] {
  const found: [string, Node][] = [];
  const visit = (child: unknown, at: string, described: boolean) => {
    if (!child || typeof child !== 'object') return;
    if (described) found.push([at, child as Node]);
    found.push(...describedNodes(child as Node, at));
  };
  for (const [name, child] of Object.entries((node.properties as Node | undefined) ?? {})) {
    visit(child, `${path}/properties/${name}`, true);
  }
  visit(node.additionalProperties, `${path}/additionalProperties`, true);
  visit(node.items, `${path}/items`, true);
  visit(node.then, `${path}/then`, true);
  visit(node.else, `${path}/else`, true);
  return found;
}

describe('the manifest JSON Schema', () => {
  it('schema/zhengwu.v1.json is up to date (else run: pnpm --filter @zhengwu/manifest run generate)', () => {
    expect(published).toEqual(JSON.parse(schemaJson()));
  });

  it('is draft 2020-12 with the published $id, exported as ./schema.json', () => {
    expect(published.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(published.$id).toBe('https://zhengwu.gov.cn/schemas/zhengwu.v1.json');
    expect(MANIFEST_SCHEMA_ID).toBe(published.$id);
    expect(packageJson.exports['./schema.json']).toBe('./schema/zhengwu.v1.json');
    expect(fileURLToPath(SCHEMA_FILE)).toMatch(/schema\/zhengwu\.v1\.json$/);
  });

  it('describes every property in Chinese and English, for editors', () => {
    const nodes = describedNodes(MANIFEST_SCHEMA as unknown as Node);
    expect(nodes.length).toBeGreaterThan(60);
    const missing = nodes
      .filter(([, n]) => !/\p{Script=Han}.*·\s.*[A-Za-z]/u.test(String(n.description ?? '')))
      .map(([at]) => at);
    expect(missing).toEqual([]);
  });

  it('closes every object: additionalProperties is false or a schema', () => {
    const open = describedNodes(MANIFEST_SCHEMA as unknown as Node)
      .filter(([, n]) => n.type === 'object' && n.additionalProperties === undefined)
      // A node that picks one of two shapes is as closed as its shapes.
      .filter(
        ([, n]) =>
          !(
            n.if &&
            (n.then as Node).additionalProperties === false &&
            (n.else as Node).additionalProperties === false
          ),
      )
      .map(([at]) => at);
    // `params` is checked against the plan's own schema by checkManifest.
    expect(open).toEqual(['/properties/resources/additionalProperties/properties/params']);
  });

  it('standing alone (as editors load it), accepts the examples and rejects a typo', () => {
    const validate = createAjv({ strict: false }).compile(published);
    for (const name of FIXTURES) expect(validate(parse(fixture(name))), name).toBe(true);
    const typo = parse(fixture('approval.yaml'));
    typo.processes.web.helth = typo.processes.web.health;
    expect(validate(typo)).toBe(false);
  });
});
