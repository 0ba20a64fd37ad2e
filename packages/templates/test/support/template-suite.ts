import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { servicesAvailable, TestBindings } from './bindings';
import { manifestPackageProblems, structuralProblems } from './manifest-check';
import { readTemplateManifest, resolveEnv, resourceTypes } from './manifest-env';
import { runNodeTests } from './run-template';

export const TEMPLATES_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The in-repo suite of one template (CONVENTIONS.md §7): its manifest validates, its
 * package follows the conventions, and its own `node --test` passes against real bindings
 * provisioned from its manifest's resources by the platform's brokers.
 */
export function describeTemplate(name: string, options: { minTests: number }): void {
  const dir = join(TEMPLATES_ROOT, `template-${name}`);

  describe(`template-${name}`, () => {
    it('has a zhengwu.yaml that validates', async () => {
      const { text, manifest } = await readTemplateManifest(dir);
      expect(manifest.metadata.name).toBe(name);
      expect(text).toMatch(new RegExp(`^metadata:\\n(?:  .*\\n)*?  name: ${name}$`, 'm'));
      expect(structuralProblems(text, manifest)).toEqual([]);
      expect(manifestPackageProblems(text)).toEqual([]);
    });

    it('follows the package conventions', () => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      expect(pkg.name).toBe(`zhengwu-template-${name}`);
      expect(pkg.private).toBe(true);
      expect(pkg.type).toBe('module');
      expect(pkg.scripts.test).toBe('node --test');
      for (const [dep, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
        expect(range, dep).toMatch(/^\^?\d+\.\d+\.\d+/);
      }
      for (const file of [
        'server.js',
        'migrate.js',
        '_gitignore',
        'README.md',
        'public/index.html',
      ]) {
        expect(existsSync(join(dir, file)), file).toBe(true);
      }
      const html = readFileSync(join(dir, 'public/index.html'), 'utf8');
      expect(html, 'web pages use relative URLs').not.toMatch(/(?:src|href)="\/(?!\/)/);
    });

    it('passes its own tests against real bindings', { timeout: 240_000 }, async (ctx) => {
      const { manifest } = await readTemplateManifest(dir);
      const types = resourceTypes(manifest);
      if (!(await servicesAvailable(Object.values(types)))) return ctx.skip();
      const bindings = await TestBindings.open(types);
      try {
        const env = resolveEnv(manifest, bindings.credentials);
        const run = await runNodeTests(dir, env, 200_000);
        expect(run.code, run.output).toBe(0);
        expect(run.fail, run.output).toBe(0);
        expect(run.skipped, run.output).toBe(0);
        expect(run.pass, run.output).toBeGreaterThanOrEqual(options.minTests);
      } finally {
        await bindings.close();
      }
    });
  });
}
