import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type SqlBool, sql } from 'kysely';
import { Counter, type Registry } from 'prom-client';
import type { Db } from '../db/database';
import { durable } from '../db/durability-schema';
import { canonicalJson } from './chain';
import { checkpointIsAuthentic } from './checkpoint';

/** The newest event a platform process saw committed: the head the table must reach. */
export interface AnchoredHead {
  sequence: number;
  hash: string;
  eventId: string;
}

/** What `verifyChain` compares the table against. */
export interface AnchorState {
  head: AnchoredHead | null;
  /** An anchor file failed its MAC check (kept as `audit-head.invalid` until removed). */
  rejected: boolean;
}

/** The anchor in the data dir, and where a rejected one is set aside as evidence. */
export const ANCHOR_FILE = 'audit-head';
export const REJECTED_ANCHOR_FILE = 'audit-head.invalid';
/** Appends since the last flush outside the anchor: at most about this long. */
export const ANCHOR_FLUSH_MS = 1000;
/** Appends remembered until confirmed committed (older ones are dropped first). */
const MAX_PENDING = 10_000;

interface Logger {
  error(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/**
 * HMAC-SM3 of the head anchor under the chain key: without the key nobody with write access
 * to the data dir can move the anchor back to match a truncated table. The `type` member
 * keeps it from ever equalling an event's hash or a checkpoint's MAC.
 */
export function anchorMac(key: Buffer, head: AnchoredHead): string {
  return createHmac('sm3', key)
    .update(
      canonicalJson({
        type: 'audit-head',
        sequence: head.sequence,
        hash: head.hash,
        eventId: head.eventId,
      }),
    )
    .digest('hex');
}

const HEX64 = /^[0-9a-f]{64}$/;

function parseAnchor(key: Buffer, text: string): AnchoredHead | string {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const { sequence, hash, eventId, mac } = value ?? {};
  if (
    !Number.isSafeInteger(sequence) ||
    (sequence as number) < 1 ||
    typeof hash !== 'string' ||
    !HEX64.test(hash) ||
    typeof eventId !== 'string' ||
    typeof mac !== 'string' ||
    !HEX64.test(mac)
  ) {
    return 'malformed';
  }
  const head = { sequence: sequence as number, hash, eventId };
  const expected = Buffer.from(anchorMac(key, head), 'hex');
  if (!timingSafeEqual(Buffer.from(mac, 'hex'), expected)) return 'MAC mismatch';
  return head;
}

/**
 * The audit chain's head anchor, kept outside the database (`<dataDir>/audit-head`, mode
 * 600, MACed with the chain key). The chain alone cannot show that its newest events were
 * deleted, or that the table was wiped and restarted from genesis; the anchor can: the
 * table must reach the anchored sequence, and hold the anchored hash there.
 *
 * It is a lower bound, so replicas sharing one database each keep their own. Appends are
 * noted in memory and confirmed against the table (a rolled-back transaction's event is
 * never anchored) at most once per `ANCHOR_FLUSH_MS`, and at stop. The anchor never
 * advances past a table that lost the anchored event: the evidence stays until an operator
 * removes the file.
 */
export class HeadAnchor {
  readonly #file: string;
  readonly #rejectedFile: string;
  #confirmed: AnchoredHead | null;
  #written: AnchoredHead | null;
  /** Appended events not yet confirmed committed, by hash. */
  readonly #pending = new Map<string, { sequence: number; eventId: string }>();
  #db: Db | undefined;
  #log: Logger | undefined;
  #alarms: Counter<'kind'> | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** No anchor file at load: a new data dir (a fresh platform, or a replica joining one). */
  #missing = false;
  #flushing: Promise<void> = Promise.resolve();
  /** Why the anchor file read at load was refused, if it was. */
  readonly rejection: string | null;

  private constructor(
    readonly key: Buffer,
    dataDir: string,
    head: AnchoredHead | null,
    rejection: string | null,
  ) {
    this.#file = join(dataDir, ANCHOR_FILE);
    this.#rejectedFile = join(dataDir, REJECTED_ANCHOR_FILE);
    this.#confirmed = head;
    this.#written = head;
    this.rejection = rejection;
  }

  /**
   * Reads and authenticates the anchor. A forged or damaged one is moved aside to
   * `audit-head.invalid` (evidence; verification reports it while that file exists) and
   * the process starts without an anchor.
   */
  static async load(dataDir: string, key: Buffer): Promise<HeadAnchor> {
    const file = join(dataDir, ANCHOR_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        const anchor = new HeadAnchor(key, dataDir, null, null);
        anchor.#missing = true;
        return anchor;
      }
      throw error;
    }
    const parsed = parseAnchor(key, text);
    if (typeof parsed !== 'string') return new HeadAnchor(key, dataDir, parsed, null);
    await rename(file, join(dataDir, REJECTED_ANCHOR_FILE));
    return new HeadAnchor(key, dataDir, null, parsed);
  }

  /** The newest head confirmed committed. */
  get head(): AnchoredHead | null {
    return this.#confirmed;
  }

  /** What verification checks the table against. */
  async state(): Promise<AnchorState> {
    const rejected = await stat(this.#rejectedFile).then(
      () => true,
      () => false,
    );
    return { head: this.#confirmed, rejected };
  }

  /** An event was just inserted (its transaction may still roll back). */
  noted(event: { sequence: number; hash: string; id: string }): void {
    this.#pending.set(event.hash, { sequence: event.sequence, eventId: event.id });
    if (this.#pending.size > MAX_PENDING) {
      this.#pending.delete(this.#pending.keys().next().value as string);
    }
  }

  /**
   * Called by an append with the table head it is about to chain from: below the anchor,
   * or a different event at the anchor, means the table lost events. Logged and counted,
   * not refused: the platform keeps recording (the new events themselves are evidence).
   */
  checkAppend(last: { sequence: number; hash: string } | undefined): void {
    const anchor = this.#confirmed;
    if (!anchor) return;
    const sequence = last?.sequence ?? 0;
    if (sequence > anchor.sequence) return;
    if (sequence === anchor.sequence && last?.hash === anchor.hash) return;
    this.#alarm(sequence < anchor.sequence ? 'behind' : 'replaced', {
      tableHead: sequence,
      anchor,
    });
  }

  /** Starts the periodic flush; reports a rejected anchor or a table already behind. */
  async start(db: Db, log: Logger, registry?: Registry): Promise<void> {
    this.#db = db;
    this.#log = log;
    if (registry) {
      this.#alarms = new Counter({
        name: 'zhengwu_audit_anchor_alarms_total',
        help: 'Audit head anchor alarms: table behind the anchor, event replaced, anchor file invalid',
        labelNames: ['kind'] as const,
        registers: [registry],
      });
    }
    if (this.rejection) {
      this.#alarm('invalid', { reason: this.rejection, file: this.#rejectedFile });
    }
    if (this.#missing) {
      // A data dir without an anchor next to a chain with events: a replica joining, or the
      // file was deleted (which would hide a truncation). Only the operator can tell: say it.
      const recorded = await db.selectFrom('audit_events').select('sequence').limit(1).execute();
      if (recorded.length > 0) this.#alarm('missing', { file: this.#file });
    }
    if (this.#confirmed) {
      const found = await this.#stillThere(db, this.#confirmed);
      if (found !== 'ok') this.#alarm(found, { anchor: this.#confirmed });
    }
    this.#timer = setInterval(() => {
      this.flush().catch((error: unknown) =>
        log.warn({ err: error }, '审计链头锚点写入失败 · writing the audit head anchor failed'),
      );
    }, ANCHOR_FLUSH_MS);
    this.#timer.unref();
  }

  /** Confirms noted appends against the table and writes the newest to the file. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.catch(() => {}).then(() => this.#flushOnce());
    return this.#flushing;
  }

  /** Final flush (after the last append), then no more timer. */
  async stop(): Promise<void> {
    this.halt();
    await this.flush();
  }

  /** Stops the timer without flushing (a start that failed). */
  halt(): void {
    clearInterval(this.#timer);
  }

  async #flushOnce(): Promise<void> {
    const db = this.#db;
    if (!db) return;
    const floor = this.#confirmed?.sequence ?? 0;
    for (const [hash, p] of this.#pending) if (p.sequence <= floor) this.#pending.delete(hash);
    if (this.#pending.size > 0) {
      const sequences = [...new Set([...this.#pending.values()].map((p) => p.sequence))];
      const rows = await db
        .selectFrom('audit_events')
        .select(['sequence', 'hash'])
        .where(sql<SqlBool>`sequence = ANY(${sql.val(sequences)}::bigint[])`)
        .execute();
      let newest: AnchoredHead | null = null;
      for (const row of rows) {
        const p = this.#pending.get(row.hash);
        if (p?.sequence === row.sequence && row.sequence > (newest?.sequence ?? floor)) {
          newest = { sequence: row.sequence, hash: row.hash, eventId: p.eventId };
        }
      }
      if (newest) {
        // Never advance over a table that lost the anchored event: that would launder it.
        const found = this.#confirmed ? await this.#stillThere(db, this.#confirmed) : 'ok';
        if (found === 'ok') {
          this.#confirmed = newest;
          for (const [hash, p] of this.#pending) {
            if (p.sequence <= newest.sequence) this.#pending.delete(hash);
          }
        } else {
          this.#alarm(found, { anchor: this.#confirmed });
          this.#pending.clear();
        }
      }
    }
    const head = this.#confirmed;
    if (head && head !== this.#written) {
      await this.#write(head);
      this.#written = head;
    }
  }

  /** Whether the table still holds the anchored event (or retention pruned it). */
  async #stillThere(db: Db, head: AnchoredHead): Promise<'ok' | 'behind' | 'replaced'> {
    const row = await db
      .selectFrom('audit_events')
      .select('hash')
      .where('sequence', '=', head.sequence)
      .executeTakeFirst();
    if (row) return row.hash === head.hash ? 'ok' : 'replaced';
    // Pruned by retention: an authentic checkpoint at or after it covers it.
    const checkpoint = await durable(db)
      .selectFrom('audit_checkpoints')
      .selectAll()
      .where('sequence', '>=', head.sequence)
      .orderBy('sequence')
      .limit(1)
      .executeTakeFirst();
    if (!checkpoint || !checkpointIsAuthentic(this.key, checkpoint)) return 'behind';
    if (checkpoint.sequence === head.sequence && checkpoint.hash !== head.hash) return 'replaced';
    return 'ok';
  }

  /** Temporary file, then rename: a crash leaves the old anchor or the new one. */
  async #write(head: AnchoredHead): Promise<void> {
    const temporary = `${this.#file}.${randomBytes(6).toString('hex')}.tmp`;
    const body = `${JSON.stringify({ ...head, mac: anchorMac(this.key, head) })}\n`;
    await writeFile(temporary, body, { mode: 0o600, flag: 'wx', flush: true });
    try {
      await rename(temporary, this.#file);
    } catch (error) {
      await unlink(temporary).catch(() => {});
      throw error;
    }
  }

  #alarm(kind: 'behind' | 'replaced' | 'invalid' | 'missing', details: object): void {
    this.#alarms?.inc({ kind });
    const message = {
      invalid:
        '审计链头锚点文件未通过 MAC 校验，已移至 audit-head.invalid · the audit head anchor file failed its MAC check and was moved to audit-head.invalid',
      missing:
        '数据目录中没有审计链头锚点，而审计表已有事件：新加入的副本，或锚点文件被删除 · no audit head anchor in the data dir while the audit table has events: a replica joining, or the anchor file was deleted',
      behind:
        '审计表落后于链头锚点：审计事件可能被删除 · the audit table is behind the head anchor: audit events may have been deleted',
      replaced:
        '审计表中锚定的事件已被替换：审计事件可能被删除 · the anchored audit event was replaced: audit events may have been deleted',
    }[kind];
    if (kind === 'missing') this.#log?.warn({ ...details, kind }, message);
    else this.#log?.error({ ...details, kind }, message);
  }
}
