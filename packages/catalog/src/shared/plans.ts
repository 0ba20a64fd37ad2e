/**
 * Plans are size tiers, the same four for every service: `dev` (free, shared, no SLA), `s`,
 * `m`, `l`. A tier fixes the plan's name and compliance marks; each service sets the limits
 * and the showback price. Compliance marks are commitments the engine pools serving a plan
 * must meet (等保 level, backups, 国密); the catalog states them, pool operators deliver them.
 */
import type { Schemas } from '@zhengwu/openapi';
import { limitsText } from './limits-text';

type LocalizedText = Schemas['LocalizedText'];

export type TierId = 'dev' | 's' | 'm' | 'l';

/** Every tier in ascending size: plans are listed in this order. */
export const TIER_ORDER: readonly TierId[] = ['dev', 's', 'm', 'l'];

interface Tier {
  displayName: LocalizedText;
  free: boolean;
  dengbaoLevel: 2 | 3;
  backupRetentionDays: number;
  gmCrypto: boolean;
}

/**
 * 等保 level 3 (the usual grade of a government system) comes with 国密 under the
 * Cryptography Law's 密评; `dev` and `s` are for level-2 systems and trials.
 */
const TIERS: Record<TierId, Tier> = {
  dev: {
    displayName: { zh: '开发', en: 'Development' },
    free: true,
    dengbaoLevel: 2,
    backupRetentionDays: 1,
    gmCrypto: false,
  },
  s: {
    displayName: { zh: '小型', en: 'Small' },
    free: false,
    dengbaoLevel: 2,
    backupRetentionDays: 7,
    gmCrypto: false,
  },
  m: {
    displayName: { zh: '中型', en: 'Medium' },
    free: false,
    dengbaoLevel: 3,
    backupRetentionDays: 14,
    gmCrypto: true,
  },
  l: {
    displayName: { zh: '大型', en: 'Large' },
    free: false,
    dengbaoLevel: 3,
    backupRetentionDays: 30,
    gmCrypto: true,
  },
};

/** A plan of a service definition: the contract's `Plan` without its service id and schemas. */
export interface PlanDefinition<Id extends string = string> {
  readonly id: Id;
  readonly displayName: Readonly<LocalizedText>;
  readonly description: Readonly<LocalizedText>;
  readonly free: boolean;
  readonly limits: Readonly<Schemas['PlanLimits']>;
  readonly price: Readonly<Schemas['ShowbackPrice']>;
  readonly compliance: Readonly<Schemas['PlanCompliance']>;
}

/** The limits a service's plans may set (`replicas` is not offered: pools are single nodes). */
export type PlanLimits = Omit<Schemas['PlanLimits'], 'replicas'>;

/**
 * One plan of a tier. `amount` is the showback price in yuan per `unit` (not billed).
 *
 * @example plan('s', { connections: 100, storageMb: 10240, memoryMb: 1024 }, 0.35)
 */
export function plan<const Id extends TierId>(
  id: Id,
  limits: PlanLimits,
  amount: number,
  unit: Schemas['ShowbackPrice']['unit'] = 'hour',
): PlanDefinition<Id> {
  const tier = TIERS[id];
  const size = limitsText(limits);
  return {
    id,
    displayName: tier.displayName,
    description: tier.free
      ? {
          zh: `${tier.displayName.zh}：${size.zh}。免费，共享资源，无 SLA，不用于生产数据。`,
          en: `${tier.displayName.en}: ${size.en}. Free, shared resources, no SLA, not for production data.`,
        }
      : {
          zh: `${tier.displayName.zh}：${size.zh}。适用于等保${tier.dengbaoLevel === 3 ? '三' : '二'}级系统。`,
          en: `${tier.displayName.en}: ${size.en}. For MLPS level ${tier.dengbaoLevel} systems.`,
        },
    free: tier.free,
    limits,
    price: { unit, amount, currency: 'CNY' },
    compliance: {
      dengbaoLevel: tier.dengbaoLevel,
      encryptedAtRest: true,
      backupRetentionDays: tier.backupRetentionDays,
      dataResidency: 'CN',
      gmCrypto: tier.gmCrypto,
      // The Cybersecurity Law's floor for network logs: six months.
      auditRetentionDays: 180,
    },
  };
}
