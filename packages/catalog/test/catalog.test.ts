import { describe, expect, it } from 'vitest';
import { engineOf } from '../src/catalog';
import { builtInCatalog, findPlan, findService, SERVICE_DEFINITIONS } from '../src/index';
import { limitsText, sizeText } from '../src/shared/limits-text';
import { TIER_ORDER } from '../src/shared/plans';
import { contractSchema, strictAjv } from './ajv';

const services = builtInCatalog();
const byService = services.map((s) => [s.id, s] as const);
const validService = contractSchema('Service');
const validPlan = contractSchema('Plan');

const HAN = /\p{Script=Han}/u;

describe('the catalog', () => {
  it('has the six services, sorted by id, each id once', () => {
    expect(services.map((s) => s.id)).toEqual([
      'mqtt',
      'mysql',
      'object-storage',
      'postgresql',
      'rabbitmq',
      'redis',
    ]);
    expect(SERVICE_DEFINITIONS.map((d) => d.id)).toEqual(services.map((s) => s.id));
  });

  it.each(byService)('%s matches the contract’s Service schema, plans included', (_, service) => {
    const ok = validService(service);
    expect(validService.errors ?? [], JSON.stringify(validService.errors)).toEqual([]);
    expect(ok).toBe(true);
    for (const plan of service.plans) expect(validPlan(plan), plan.id).toBe(true);
  });

  it('names the engines we really run', () => {
    expect(Object.fromEntries(services.map((s) => [s.id, s.engine]))).toEqual({
      mqtt: { name: 'Aedes / Mosquitto', version: '1 / 2' },
      mysql: { name: 'MariaDB', version: '10.11' },
      'object-storage': { name: 'Zhengwu S3 / MinIO', version: '1 / 2024' },
      postgresql: { name: 'PostgreSQL', version: '18 / 15' },
      rabbitmq: { name: 'RabbitMQ', version: '3.10' },
      redis: { name: 'Redis', version: '7' },
    });
    expect(engineOf({ external: { name: 'X', version: '1' } })).toEqual({
      name: 'X',
      version: '1',
    });
    expect(
      engineOf({ embedded: { name: 'X', version: '1' }, external: { name: 'X', version: '1' } }),
    ).toEqual({ name: 'X', version: '1' });
  });

  it.each(byService)('%s: categories, texts in Chinese and English', (_, service) => {
    expect(['database', 'middleware', 'storage']).toContain(service.category);
    const texts = [
      service.displayName,
      service.description,
      ...service.plans.flatMap((p) => [p.displayName, p.description]),
    ];
    for (const { zh, en } of texts) {
      expect(zh, en).toMatch(HAN);
      expect(en, zh).toMatch(/[A-Za-z]{3}/);
      expect(en, en).not.toMatch(HAN);
      expect(zh).not.toBe(en);
    }
  });

  it.each(byService)('%s: plans are the size tiers, smallest first, with unique ids', (_, s) => {
    const ids = s.plans.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(TIER_ORDER.filter((t) => ids.includes(t)));
    expect(ids[0]).toBe('dev');
    expect(s.plans.filter((p) => p.free).map((p) => p.id)).toEqual(['dev']);
    for (const plan of s.plans) expect(plan.serviceId).toBe(s.id);
  });

  it.each(byService)('%s: limits, price and compliance never shrink from tier to tier', (_, s) => {
    const keys = Object.keys(s.plans[0]!.limits).sort();
    expect(keys.length).toBeGreaterThan(0);
    for (const [previous, next] of s.plans.slice(1).map((p, i) => [s.plans[i]!, p] as const)) {
      const where = `${previous.id} → ${next.id}`;
      expect(Object.keys(next.limits).sort(), where).toEqual(keys);
      for (const key of keys) {
        const before = previous.limits[key as keyof typeof previous.limits]!;
        const after = next.limits[key as keyof typeof next.limits]!;
        expect(after, `${where} ${key}`).toBeGreaterThan(before);
      }
      expect(next.price.amount, where).toBeGreaterThan(previous.price.amount);
      expect(next.price.unit).toBe(previous.price.unit);
      expect(next.compliance.dengbaoLevel).toBeGreaterThanOrEqual(previous.compliance.dengbaoLevel);
      expect(next.compliance.backupRetentionDays).toBeGreaterThan(
        previous.compliance.backupRetentionDays,
      );
      if (previous.compliance.gmCrypto) expect(next.compliance.gmCrypto, where).toBe(true);
    }
  });

  it.each(byService)('%s: every plan carries its compliance marks', (_, service) => {
    for (const { id, compliance, price } of service.plans) {
      expect(Object.keys(compliance).sort(), id).toEqual([
        'auditRetentionDays',
        'backupRetentionDays',
        'dataResidency',
        'dengbaoLevel',
        'encryptedAtRest',
        'gmCrypto',
      ]);
      expect(compliance.auditRetentionDays).toBeGreaterThanOrEqual(180);
      expect(compliance.encryptedAtRest).toBe(true);
      expect(compliance.dataResidency).toBe('CN');
      expect(compliance.backupRetentionDays).toBeGreaterThan(0);
      // 密评: a level-3 system uses the national algorithms.
      if (compliance.dengbaoLevel === 3) expect(compliance.gmCrypto, id).toBe(true);
      expect(price.currency).toBe('CNY');
      expect(Number(price.amount.toFixed(2)), `${id} price in fen`).toBe(price.amount);
    }
  });

  it.each(byService)('%s: every schema compiles with Ajv 2020 in strict mode', (_, service) => {
    const ajv = strictAjv();
    const schemas = [
      service.credentialsSchema,
      ...service.plans.flatMap((p) => Object.values(p.schemas)),
    ];
    for (const schema of schemas) {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.type).toBe('object');
      expect(schema.additionalProperties).toBe(false);
      expect(() => ajv.compile(schema)).not.toThrow();
    }
    expect(Object.keys(service.plans[0]!.schemas).sort()).toEqual([
      'bindingCreate',
      'instanceCreate',
      'instanceUpdate',
    ]);
  });

  it.each(byService)('%s: credentials list every field as required', (_, service) => {
    const schema = service.credentialsSchema as { properties: object; required: string[] };
    expect([...schema.required].sort()).toEqual(Object.keys(schema.properties).sort());
    expect(schema.required).toContain('tls');
  });

  it('finds services and plans, returning copies that callers cannot use to change the catalog', () => {
    const pg = findService('postgresql')!;
    expect(pg.category).toBe('database');
    expect(findPlan('postgresql', 's')?.serviceId).toBe('postgresql');
    expect(findService('oracle')).toBeUndefined();
    expect(findPlan('postgresql', 'xxl')).toBeUndefined();
    expect(findPlan('oracle', 's')).toBeUndefined();
    pg.plans.length = 0;
    (findPlan('redis', 'dev')!.limits as { memoryMb: number }).memoryMb = 1;
    builtInCatalog()[0]!.tags.push('changed');
    expect(findService('postgresql')!.plans.length).toBeGreaterThan(0);
    expect(findPlan('redis', 'dev')!.limits.memoryMb).toBe(256);
    expect(builtInCatalog()[0]!.tags).not.toContain('changed');
  });

  it('freezes the definitions, so no importer can change the catalog for everyone', () => {
    const pg = SERVICE_DEFINITIONS.find((d) => d.id === 'postgresql')!;
    expect(() => {
      (pg.plans[0]!.limits as { connections: number }).connections = 1;
    }).toThrow(TypeError);
    expect(Object.isFrozen(pg.schemas.credentials.properties.tls.properties.mode.enum)).toBe(true);
  });

  it('describes limits in both languages', () => {
    expect([sizeText(512), sizeText(1024), sizeText(1536), sizeText(2097152)]).toEqual([
      '512 MiB',
      '1 GiB',
      '1,536 MiB',
      '2 TiB',
    ]);
    expect(limitsText({ connections: 1000, memoryMb: 4096, messagesPerSecond: 50 })).toEqual({
      zh: '1,000 个连接，每秒 50 条消息，4 GiB 内存',
      en: '1,000 connections, 50 messages/s, 4 GiB memory',
    });
    expect(findPlan('postgresql', 's')!.description).toEqual({
      zh: '小型：100 个连接，1 GiB 内存，10 GiB 存储。适用于等保二级系统。',
      en: 'Small: 100 connections, 1 GiB memory, 10 GiB storage. For MLPS level 2 systems.',
    });
  });
});
