import { randomBytes } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashSecret, newTokenSecret, prefixOf } from './auth/secrets';
import type { Db } from './db/database';
import { newId } from './ids';
import { keptValue } from './kept-file';

/** How long the bootstrap token lives: long, since it is how an operator gets in. */
const BOOTSTRAP_TOKEN_DAYS = 3650;

/**
 * On first start, creates the platform-admin token, writes it to `<dataDir>/admin-token`
 * (mode 600) and returns it so it can be printed once. Later starts return `undefined`.
 */
export async function ensureAdminToken(db: Db, dataDir: string): Promise<string | undefined> {
  const existing = await db
    .selectFrom('tokens')
    .select('id')
    .where('system', '=', true)
    .executeTakeFirst();
  if (existing) return undefined;
  const secret = newTokenSecret();
  await db
    .insertInto('tokens')
    .values({
      id: newId('tok'),
      name: 'bootstrap platform-admin',
      tenant_id: null,
      role: 'platform-admin',
      prefix: prefixOf(secret),
      secret_hash: hashSecret(secret),
      system: true,
      expires_at: new Date(Date.now() + BOOTSTRAP_TOKEN_DAYS * 86_400_000),
      created_by: 'system',
    })
    .execute();
  const file = join(dataDir, 'admin-token');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created: a leftover file keeps its own otherwise.
  await chmod(file, 0o600);
  return secret;
}

/**
 * The audit chain's HMAC-SM3 key: `ZW_AUDIT_KEY` when set (hex, or text), else one
 * generated on first start into `<dataDir>/audit-key` (mode 600). In production, set it
 * from the key service so the data dir alone cannot re-sign a forged chain.
 */
export async function auditKey(configured: string | undefined, dataDir: string): Promise<Buffer> {
  if (configured)
    return /^[0-9a-f]{64,}$/i.test(configured)
      ? Buffer.from(configured, 'hex')
      : Buffer.from(configured);
  const hex = await keptValue(join(dataDir, 'audit-key'), () => randomBytes(32).toString('hex'));
  return Buffer.from(hex, 'hex');
}
