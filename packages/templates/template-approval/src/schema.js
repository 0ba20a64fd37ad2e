/**
 * The database schema and the seed of the matter catalog. Every statement is idempotent
 * (`IF NOT EXISTS`, `ON CONFLICT DO NOTHING`) so `migrate.js` can run before every release.
 * Change the schema by adding statements (expand/contract), never by editing old ones.
 */

export const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS matters (
     id               text PRIMARY KEY,
     code             text NOT NULL UNIQUE,
     name             text NOT NULL,
     kind             text NOT NULL,
     agency           text NOT NULL,
     legal_basis      text NOT NULL,
     time_limit_days  integer NOT NULL CHECK (time_limit_days > 0),
     promised_days    integer NOT NULL CHECK (promised_days > 0),
     fee              text NOT NULL DEFAULT '不收费 · Free',
     materials        jsonb NOT NULL DEFAULT '[]',
     active           boolean NOT NULL DEFAULT true
   )`,
  `CREATE SEQUENCE IF NOT EXISTS application_no_seq`,
  `CREATE TABLE IF NOT EXISTS applications (
     id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     no               text NOT NULL UNIQUE,
     matter_id        text NOT NULL REFERENCES matters(id),
     applicant_type   text NOT NULL CHECK (applicant_type IN ('person', 'organization')),
     applicant_name   text NOT NULL,
     applicant_id_no  text NOT NULL,
     contact_phone    text NOT NULL,
     form             jsonb NOT NULL DEFAULT '{}',
     status           text NOT NULL,
     correction_note  text,
     due_date         date,
     decision         text CHECK (decision IN ('approved', 'rejected')),
     decision_reason  text,
     delivery_method  text,
     created_at       timestamptz NOT NULL DEFAULT now(),
     updated_at       timestamptz NOT NULL DEFAULT now(),
     submitted_at     timestamptz,
     accepted_at      timestamptz,
     decided_at       timestamptz,
     delivered_at     timestamptz
   )`,
  `CREATE INDEX IF NOT EXISTS applications_status_idx ON applications (status, created_at DESC)`,
  `CREATE TABLE IF NOT EXISTS attachments (
     id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     application_id   uuid NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
     material_key     text NOT NULL,
     file_name        text NOT NULL,
     content_type     text NOT NULL,
     size_bytes       bigint NOT NULL,
     sha256           text NOT NULL,
     object_key       text NOT NULL UNIQUE,
     uploaded_at      timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX IF NOT EXISTS attachments_application_idx ON attachments (application_id)`,
  `CREATE TABLE IF NOT EXISTS application_history (
     id               bigserial PRIMARY KEY,
     application_id   uuid NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
     action           text NOT NULL,
     from_status      text,
     to_status        text NOT NULL,
     actor            text NOT NULL,
     comment          text,
     at               timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX IF NOT EXISTS application_history_idx ON application_history (application_id, id)`,
];

/** Material lists: `key` is what uploads name, `required` decides whether submit may proceed. */
const m = (key, name, required = true) => ({ key, name, required });

/** A small sample of a county's implementation list (实施清单); replace with your own. */
export const SEED_MATTERS = [
  {
    id: 'food-business-licence',
    code: '11330000MB0000001X-XK-001',
    name: '食品经营许可 · Food business licence',
    kind: '行政许可 · Administrative licence',
    agency: '市场监督管理局 · Market Regulation Bureau',
    legal_basis: '《中华人民共和国食品安全法》第三十五条 · Food Safety Law art. 35',
    time_limit_days: 20,
    promised_days: 10,
    materials: [
      m('application-form', '食品经营许可申请书 · Application form'),
      m('business-licence', '营业执照复印件 · Business licence copy'),
      m('floor-plan', '经营场所平面图 · Floor plan of the premises'),
      m('food-safety-rules', '食品安全管理制度 · Food-safety rules', false),
    ],
  },
  {
    id: 'public-place-hygiene',
    code: '11330000MB0000002X-XK-002',
    name: '公共场所卫生许可 · Public-place hygiene licence',
    kind: '行政许可 · Administrative licence',
    agency: '卫生健康局 · Health Commission',
    legal_basis: '《公共场所卫生管理条例》第八条 · Public Places Hygiene Regulation art. 8',
    time_limit_days: 20,
    promised_days: 7,
    materials: [
      m('application-form', '卫生许可申请书 · Application form'),
      m('hygiene-inspection', '卫生检测报告 · Hygiene inspection report'),
    ],
  },
  {
    id: 'outdoor-advertising',
    code: '11330000MB0000003X-XK-003',
    name: '户外广告设施设置审批 · Outdoor advertising permit',
    kind: '行政许可 · Administrative licence',
    agency: '综合行政执法局 · Urban Management Bureau',
    legal_basis: '《城市市容和环境卫生管理条例》第十一条 · City Appearance Regulation art. 11',
    time_limit_days: 20,
    promised_days: 5,
    materials: [
      m('application-form', '设置申请表 · Application form'),
      m('design-drawing', '设计效果图 · Design drawing'),
      m('site-consent', '场地使用权证明 · Proof of right to use the site'),
    ],
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
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('zhengwu-approval-migrate'))`);
    for (const statement of SCHEMA) await client.query(statement);
    for (const matter of SEED_MATTERS) {
      await client.query(
        `INSERT INTO matters (id, code, name, kind, agency, legal_basis, time_limit_days, promised_days, materials)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO NOTHING`,
        [
          matter.id,
          matter.code,
          matter.name,
          matter.kind,
          matter.agency,
          matter.legal_basis,
          matter.time_limit_days,
          matter.promised_days,
          JSON.stringify(matter.materials),
        ],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
