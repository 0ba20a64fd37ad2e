/** `zw audit`: the tamper-evident audit log, and `--verify` of its HMAC-SM3 chain. */
import type { Schemas } from '@zhengwu/sdk';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { fields, shortTime, state } from '../output/format';
import type { Handler } from '../program';
import { parseTime } from '../time';

interface AuditOptions {
  since?: string;
  until?: string;
  action?: string;
  outcome?: Schemas['AuditOutcome'];
  principal?: string;
  target?: string;
  limit: number;
  verify?: boolean;
}

export const audit: Handler = async (ctx, _args, opts: AuditOptions) => {
  const since = opts.since ? parseTime(opts.since, '--since') : undefined;
  const until = opts.until ? parseTime(opts.until, '--until') : undefined;
  const client = await ctx.client();
  if (opts.verify) {
    const result = await client.auditEvents.verify();
    ctx.result(result, () => {
      ctx.out(
        result.valid
          ? ctx.style.green(`✔ 哈希链完整 · The audit chain is intact (${result.checked} events)`)
          : ctx.style.red('✘ 哈希链已断开 · The audit chain is BROKEN'),
      );
      ctx.out(
        fields([
          ['范围 Span', `#${result.firstSequence} – #${result.lastSequence}`],
          ['算法 Algorithm', result.algorithm],
          ['链头 Head hash', result.headHash],
          [
            '首个断点 First break',
            result.firstBroken
              ? `#${result.firstBroken.sequence} ${result.firstBroken.eventId} (${result.firstBroken.reason})`
              : null,
          ],
          ['校验时间 Verified', result.verifiedAt],
        ]),
      );
    });
    if (!result.valid) {
      throw new CliError(
        `审计链在 #${result.firstBroken?.sequence} 处断开 · The audit chain breaks at #${result.firstBroken?.sequence}`,
        EXIT.failure,
        '立即通知安全管理员与审计管理员 · tell your security and audit administrators now',
      );
    }
    return;
  }
  const events = await client.auditEvents
    .list({
      ...(since && { since }),
      ...(until && { until }),
      ...(opts.action && { action: opts.action }),
      ...(opts.outcome && { outcome: opts.outcome }),
      ...(opts.principal && { principalId: opts.principal }),
      ...(opts.target && { targetId: opts.target }),
      limit: Math.min(opts.limit, 100),
    })
    .toArray({ max: opts.limit });
  ctx.result(events, () =>
    ctx.table(
      [
        { header: '序号 SEQ', align: 'right' },
        { header: '时间 TIME' },
        { header: '主体 PRINCIPAL', shrink: true },
        { header: '动作 ACTION' },
        { header: '对象 TARGET' },
        { header: '结果 OUTCOME' },
      ],
      events.map((e) => [
        String(e.sequence),
        shortTime(e.occurredAt),
        e.principal.name ?? e.principal.id ?? e.principal.type,
        e.action,
        e.target ? e.target.id : '—',
        state(ctx.style, e.outcome) + (e.reason ? ` (${e.reason})` : ''),
      ]),
    ),
  );
};
