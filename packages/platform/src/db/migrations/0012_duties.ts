import { type Kysely, sql } from 'kysely';

/**
 * 三权分立 by duty: tenant-admin (the system duty delegated to a subtree, which now issues
 * operational tokens) joins platform-admin in the system duty, kept apart from security
 * (security-admin) and audit (audit-admin). The trigger of 0003_identity now compares duties
 * through `member_duty`; `down` maps tenant-admin to no duty again, which is 0003's rule
 * (each of the three administrator roles its own duty).
 */
function dutyFunction(tenantAdmin: 'system' | null) {
  const tenantAdminDuty = tenantAdmin ? `'${tenantAdmin}'` : 'NULL';
  return sql`CREATE OR REPLACE FUNCTION member_duty(r text) RETURNS text LANGUAGE sql IMMUTABLE
    AS ${sql.raw(`$$ SELECT CASE r WHEN 'platform-admin' THEN 'system'
      WHEN 'tenant-admin' THEN ${tenantAdminDuty} WHEN 'security-admin' THEN 'security'
      WHEN 'audit-admin' THEN 'audit' END $$`)}`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await dutyFunction('system').execute(db);
  await sql`CREATE OR REPLACE FUNCTION members_separation_of_duties() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF member_duty(NEW.role) IS NOT NULL AND EXISTS (
        SELECT 1 FROM members m
        WHERE m.principal_type = NEW.principal_type AND m.principal_id = NEW.principal_id
          AND m.id <> NEW.id
          AND member_duty(m.role) IS NOT NULL AND member_duty(m.role) <> member_duty(NEW.role)
      ) THEN
        RAISE EXCEPTION 'separation of duties: % % would hold roles of two duties',
          NEW.principal_type, NEW.principal_id USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dutyFunction(null).execute(db);
}
