/**
 * The database schema and the seed of the dispatch catalog (派单目录: categories with their
 * time limits, departments). Every statement is idempotent (`IF NOT EXISTS`,
 * `ON CONFLICT DO NOTHING`) so `migrate.js` can run before every release. Change the schema
 * by adding statements (expand/contract), never by editing old ones.
 */

export const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS categories (
     code            text PRIMARY KEY,
     name            text NOT NULL,
     dispatch_hours  numeric NOT NULL CHECK (dispatch_hours > 0),
     handle_days     integer NOT NULL CHECK (handle_days > 0),
     active          boolean NOT NULL DEFAULT true
   )`,
  `CREATE TABLE IF NOT EXISTS departments (
     code            text PRIMARY KEY,
     name            text NOT NULL,
     active          boolean NOT NULL DEFAULT true
   )`,
  `CREATE SEQUENCE IF NOT EXISTS work_order_no_seq`,
  `CREATE TABLE IF NOT EXISTS work_orders (
     id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     no                   text NOT NULL UNIQUE,
     channel              text NOT NULL CHECK (channel IN ('phone', 'web', 'app')),
     citizen_name         text,
     citizen_phone        text NOT NULL,
     category             text NOT NULL REFERENCES categories(code),
     location             text NOT NULL,
     content              text NOT NULL,
     urgent               boolean NOT NULL DEFAULT false,
     status               text NOT NULL,
     department           text REFERENCES departments(code),
     accepted_at          timestamptz NOT NULL,
     dispatch_started_at  timestamptz NOT NULL,
     dispatch_due_at      timestamptz NOT NULL,
     handle_due_at        timestamptz NOT NULL,
     dispatched_at        timestamptz,
     signed_at            timestamptz,
     replied_at           timestamptz,
     closed_at            timestamptz,
     rated_at             timestamptz,
     reply                text,
     return_reason        text,
     rating               smallint CHECK (rating BETWEEN 1 AND 5),
     rating_comment       text,
     supervision_count    integer NOT NULL DEFAULT 0,
     updated_at           timestamptz NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS work_orders_status_idx ON work_orders (status, accepted_at DESC)`,
  `CREATE TABLE IF NOT EXISTS work_order_history (
     id              bigserial PRIMARY KEY,
     work_order_id   uuid NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,
     action          text NOT NULL,
     from_status     text,
     to_status       text NOT NULL,
     actor           text NOT NULL,
     department      text,
     note            text,
     at              timestamptz NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS work_order_history_idx ON work_order_history (work_order_id, id)`,
  `CREATE TABLE IF NOT EXISTS supervisions (
     id              bigserial PRIMARY KEY,
     work_order_id   uuid NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,
     kind            text NOT NULL CHECK (kind IN ('auto', 'manual')),
     level           text NOT NULL CHECK (level IN ('reminder', 'supervision')),
     stage           text NOT NULL CHECK (stage IN ('dispatch', 'handle')),
     due_at          timestamptz NOT NULL,
     actor           text NOT NULL,
     note            text,
     created_at      timestamptz NOT NULL
   )`,
  // One automatic reminder and one automatic supervision per deadline, however many workers scan.
  `CREATE UNIQUE INDEX IF NOT EXISTS supervisions_auto_once
     ON supervisions (work_order_id, stage, level, due_at) WHERE kind = 'auto'`,
  // Transactional outbox: events are written with the state change and published after commit.
  `CREATE TABLE IF NOT EXISTS outbox (
     id              bigserial PRIMARY KEY,
     event_id        uuid NOT NULL UNIQUE,
     routing_key     text NOT NULL,
     payload         jsonb NOT NULL,
     created_at      timestamptz NOT NULL DEFAULT now(),
     published_at    timestamptz
   )`,
  `CREATE INDEX IF NOT EXISTS outbox_pending_idx ON outbox (id) WHERE published_at IS NULL`,
  // What the worker received from the broker (notifications it would send), once per event id:
  // the primary key makes a redelivered or fanned-out event a no-op.
  `CREATE TABLE IF NOT EXISTS event_log (
     event_id        uuid PRIMARY KEY,
     routing_key     text NOT NULL,
     work_order_id   uuid,
     work_order_no   text,
     recipient       text NOT NULL,
     notice          text NOT NULL,
     payload         jsonb NOT NULL,
     received_at     timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX IF NOT EXISTS event_log_order_idx ON event_log (work_order_id, received_at)`,
];

/**
 * A sample dispatch catalog with typical limits of provincial 12345 rules (enquiries within
 * 3 working days, complaints within 13); replace with your own.
 */
export const SEED_CATEGORIES = [
  { code: 'enquiry', name: '咨询 · Enquiry', dispatchHours: 2, handleDays: 3 },
  { code: 'help', name: '求助 · Request for help', dispatchHours: 2, handleDays: 5 },
  { code: 'complaint', name: '投诉 · Complaint', dispatchHours: 2, handleDays: 13 },
  { code: 'report', name: '举报 · Report of wrongdoing', dispatchHours: 2, handleDays: 13 },
  { code: 'suggestion', name: '建议 · Suggestion', dispatchHours: 4, handleDays: 15 },
];

export const SEED_DEPARTMENTS = [
  { code: 'urban-management', name: '城市管理局 · Urban Management Bureau' },
  { code: 'housing', name: '住房和城乡建设局 · Housing and Construction Bureau' },
  { code: 'market-regulation', name: '市场监督管理局 · Market Regulation Bureau' },
  { code: 'environment', name: '生态环境局 · Ecology and Environment Bureau' },
  { code: 'transport', name: '交通运输局 · Transport Bureau' },
  {
    code: 'human-resources',
    name: '人力资源和社会保障局 · Human Resources and Social Security Bureau',
  },
];

/**
 * Applies the schema and the seed in one transaction, holding an advisory lock so two
 * releases starting at once do not race.
 * @param {import('pg').ClientBase} client  one connection (the transaction needs it)
 */
export async function migrate(client) {
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('zhengwu-hotline-migrate'))`);
    for (const statement of SCHEMA) await client.query(statement);
    for (const c of SEED_CATEGORIES) {
      await client.query(
        `INSERT INTO categories (code, name, dispatch_hours, handle_days) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO NOTHING`,
        [c.code, c.name, c.dispatchHours, c.handleDays],
      );
    }
    for (const d of SEED_DEPARTMENTS) {
      await client.query(
        'INSERT INTO departments (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING',
        [d.code, d.name],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
