/**
 * The database schema. Every statement is idempotent (`IF NOT EXISTS`) so `migrate.js` can
 * run before every release. Change the schema by adding statements (expand/contract), never
 * by editing old ones.
 */

export const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS documents (
     id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     direction               text NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
     title                   text NOT NULL,
     doc_type                text NOT NULL,
     classification          text NOT NULL CHECK (classification IN ('public', 'internal')),
     urgency                 text NOT NULL CHECK (urgency IN ('extra_urgent', 'urgent', 'normal')),
     status                  text NOT NULL,
     created_by              text NOT NULL,
     created_at              timestamptz NOT NULL,
     updated_at              timestamptz NOT NULL,
     -- 收文 incoming
     source_org              text,
     source_number           text,
     received_on             date,
     due_on                  date,
     registration_no         text UNIQUE,
     undertaker              text,
     -- 发文 outgoing
     issuing_org             text,
     number_prefix           text,
     main_recipients         text[] NOT NULL DEFAULT '{}',
     cc_recipients           text[] NOT NULL DEFAULT '{}',
     countersign_departments text[] NOT NULL DEFAULT '{}',
     doc_year                integer,
     doc_seq                 integer,
     doc_number              text UNIQUE,
     signer                  text,
     signed_at               timestamptz,
     numbered_at             timestamptz,
     sealed_at               timestamptz,
     archived_at             timestamptz,
     UNIQUE (number_prefix, doc_year, doc_seq)
   )`,
  `CREATE INDEX IF NOT EXISTS documents_list_idx ON documents (direction, status, created_at DESC)`,
  `CREATE TABLE IF NOT EXISTS number_counters (
     prefix    text NOT NULL,
     year      integer NOT NULL,
     last_seq  integer NOT NULL CHECK (last_seq > 0),
     PRIMARY KEY (prefix, year)
   )`,
  // The approval record: who did which step, with which opinion, when. Append-only.
  `CREATE TABLE IF NOT EXISTS document_steps (
     id            bigserial PRIMARY KEY,
     document_id   uuid NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     action        text NOT NULL,
     from_status   text,
     to_status     text NOT NULL,
     actor         text NOT NULL,
     department    text,
     opinion       text,
     at            timestamptz NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS document_steps_idx ON document_steps (document_id, id)`,
  // 会签 of the current draft; emptied when the draft is returned for revision.
  `CREATE TABLE IF NOT EXISTS countersigns (
     document_id   uuid NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     department    text NOT NULL,
     actor         text NOT NULL,
     opinion       text NOT NULL,
     at            timestamptz NOT NULL,
     PRIMARY KEY (document_id, department)
   )`,
  `CREATE TABLE IF NOT EXISTS attachments (
     id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     document_id   uuid NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     kind          text NOT NULL CHECK (kind IN ('body', 'attachment')),
     file_name     text NOT NULL,
     content_type  text NOT NULL,
     size_bytes    bigint NOT NULL,
     sha256        text NOT NULL,
     object_key    text NOT NULL UNIQUE,
     uploaded_by   text NOT NULL,
     uploaded_at   timestamptz NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS attachments_document_idx ON attachments (document_id)`,
  // One 正文 per document.
  `CREATE UNIQUE INDEX IF NOT EXISTS attachments_one_body ON attachments (document_id) WHERE kind = 'body'`,
];

/**
 * Applies the schema in one transaction, holding an advisory lock so two releases starting
 * at once do not race.
 * @param {import('pg').ClientBase} client  one connection (the transaction needs it)
 */
export async function migrate(client) {
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('zhengwu-oa-migrate'))`);
    for (const statement of SCHEMA) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
