import { type Kysely, sql } from 'kysely';

/**
 * Identity: indexes for the token and member lists, and the identity rules as constraints,
 * so that no code path (nor a hand-written SQL fix) can give a token an administrator role
 * or let one principal combine two of them (三权分立).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX tokens_listed ON tokens (created_at DESC, id DESC) WHERE NOT system`.execute(
    db,
  );
  await sql`CREATE INDEX tokens_tenant ON tokens (tenant_id, created_at DESC, id DESC) WHERE NOT system`.execute(
    db,
  );
  await sql`CREATE INDEX members_tenant ON members (tenant_id, created_at DESC, id DESC)`.execute(
    db,
  );

  await sql`ALTER TABLE tokens
    ADD CONSTRAINT tokens_role_known CHECK (role IN ('platform-admin','security-admin','audit-admin','tenant-admin','developer','auditor')),
    ADD CONSTRAINT tokens_no_admin_role CHECK (system OR role IN ('tenant-admin','developer','auditor'))`.execute(
    db,
  );
  await sql`ALTER TABLE members
    ADD CONSTRAINT members_role_known CHECK (role IN ('platform-admin','security-admin','audit-admin','tenant-admin','developer','auditor')),
    ADD CONSTRAINT members_principal_type_known CHECK (principal_type IN ('user','oidc'))`.execute(
    db,
  );

  // 三权分立 as a last line of defence; the handlers check first (with a per-principal
  // advisory lock, so concurrent grants can't both pass) and answer 403.
  await sql`CREATE FUNCTION members_separation_of_duties() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.role IN ('platform-admin','security-admin','audit-admin') AND EXISTS (
        SELECT 1 FROM members m
        WHERE m.principal_type = NEW.principal_type AND m.principal_id = NEW.principal_id
          AND m.id <> NEW.id
          AND m.role IN ('platform-admin','security-admin','audit-admin') AND m.role <> NEW.role
      ) THEN
        RAISE EXCEPTION 'separation of duties: % % would hold two administrator roles',
          NEW.principal_type, NEW.principal_id USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER members_separation_of_duties BEFORE INSERT OR UPDATE OF role, principal_type, principal_id ON members
    FOR EACH ROW EXECUTE FUNCTION members_separation_of_duties()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER members_separation_of_duties ON members`.execute(db);
  await sql`DROP FUNCTION members_separation_of_duties()`.execute(db);
  await sql`ALTER TABLE members DROP CONSTRAINT members_principal_type_known, DROP CONSTRAINT members_role_known`.execute(
    db,
  );
  await sql`ALTER TABLE tokens DROP CONSTRAINT tokens_no_admin_role, DROP CONSTRAINT tokens_role_known`.execute(
    db,
  );
  await sql`DROP INDEX members_tenant`.execute(db);
  await sql`DROP INDEX tokens_tenant`.execute(db);
  await sql`DROP INDEX tokens_listed`.execute(db);
  for (const table of ['tokens', 'members']) {
    await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN created_at SET DEFAULT now()`.execute(
      db,
    );
  }
}
