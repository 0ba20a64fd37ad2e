import { type Kysely, sql } from 'kysely';

/**
 * Envelope encryption of secrets at rest (`src/secrets`): one data key per tenant and
 * algorithm, stored only wrapped by a master key that lives outside the database.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('data_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Deleting a tenant deletes its keys: whatever they encrypted becomes unreadable.
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('algorithm', 'text', (c) =>
      c.notNull().check(sql`algorithm IN ('a256gcm', 'sm4ctr-hsm3')`),
    )
    // Which configured master key wraps it; rotation re-wraps and changes it.
    .addColumn('master_key_id', 'text', (c) => c.notNull())
    // nonce ‖ encrypted key ‖ tag, bound to tenant, id, algorithm and master key id.
    .addColumn('wrapped', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('rewrapped_at', 'timestamptz')
    .addUniqueConstraint('data_keys_tenant_algorithm', ['tenant_id', 'algorithm'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('data_keys').execute();
}
