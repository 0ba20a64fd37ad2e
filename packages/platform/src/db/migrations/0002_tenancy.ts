import { type Kysely, sql } from 'kysely';

/**
 * Tenancy: indexes for the tenant lists and child look-ups, and the tree's invariants as
 * constraints, so that no code path (nor a hand-written SQL fix) can leave a tenant whose
 * `path`, `parent_id` and `level` disagree.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // `listTenants` pages newest first; `parentId` filters and the `not_empty` check of
  // `deleteTenant` look up children.
  await sql`CREATE INDEX tenants_created ON tenants (created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX tenants_parent ON tenants (parent_id, created_at DESC, id DESC)`.execute(
    db,
  );
  // `path` is the ancestors root first, then the tenant itself; its length is the level.
  await sql`ALTER TABLE tenants
    ADD CONSTRAINT tenants_path_ends_with_self CHECK (path[cardinality(path)] = id),
    ADD CONSTRAINT tenants_root_has_no_parent CHECK ((parent_id IS NULL) = (cardinality(path) = 1)),
    ADD CONSTRAINT tenants_parent_in_path CHECK (parent_id IS NULL OR path[cardinality(path) - 1] = parent_id),
    ADD CONSTRAINT tenants_level_is_depth CHECK (
      cardinality(path) = array_position(ARRAY['province','city','district','township']::text[], level)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE tenants
    DROP CONSTRAINT tenants_level_is_depth,
    DROP CONSTRAINT tenants_parent_in_path,
    DROP CONSTRAINT tenants_root_has_no_parent,
    DROP CONSTRAINT tenants_path_ends_with_self`.execute(db);
  await sql`DROP INDEX tenants_parent`.execute(db);
  await sql`DROP INDEX tenants_created`.execute(db);
}
