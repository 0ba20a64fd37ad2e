import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { builtInCatalog, findPlan, findService } from '../src/index';

const contract = parse(
  readFileSync(join(import.meta.dirname, '../../openapi/openapi.yaml'), 'utf8'),
);
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema({ $id: 'contract', components: contract.components });
const validService = ajv.getSchema('contract#/components/schemas/Service')!;
const services = builtInCatalog();

describe('the catalog', () => {
  it('has the six services of the first release, sorted by id', () => {
    expect(services.map((s) => s.id)).toEqual([
      'mqtt',
      'mysql',
      'object-storage',
      'postgresql',
      'rabbitmq',
      'redis',
    ]);
  });

  it.each(services.map((s) => [s.id, s] as const))(
    '%s matches the contract’s Service schema',
    (_, service) => {
      const ok = validService(service);
      expect(validService.errors ?? [], JSON.stringify(validService.errors)).toEqual([]);
      expect(ok).toBe(true);
    },
  );

  it.each(services.map((s) => [s.id, s] as const))(
    '%s: plans are complete and their schemas compile',
    (_, service) => {
      const ids = service.plans.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(service.plans.length).toBeGreaterThanOrEqual(2);
      for (const plan of service.plans) {
        expect(plan.serviceId).toBe(service.id);
        expect(plan.displayName.zh).toMatch(/\p{Script=Han}/u);
        expect(plan.displayName.en).toMatch(/[A-Za-z]/);
        expect(plan.compliance.auditRetentionDays).toBeGreaterThanOrEqual(180);
        expect(plan.compliance.encryptedAtRest).toBe(true);
        expect(plan.compliance.dataResidency).toBe('CN');
        for (const schema of Object.values(plan.schemas))
          expect(() => ajv.compile(schema)).not.toThrow();
      }
      expect(() => ajv.compile(service.credentialsSchema)).not.toThrow();
    },
  );

  it('finds services and plans, returning copies that callers cannot use to change the catalog', () => {
    const pg = findService('postgresql')!;
    expect(pg.category).toBe('database');
    expect(findPlan('postgresql', 's')?.serviceId).toBe('postgresql');
    expect(findService('oracle')).toBeUndefined();
    expect(findPlan('postgresql', 'xxl')).toBeUndefined();
    pg.plans.length = 0;
    expect(findService('postgresql')!.plans.length).toBeGreaterThan(0);
  });
});
