import { Problem } from './problem.js';

/** The dispatch catalog (派单目录): categories with their time limits, and departments. */

/** @param {any} row */
const categoryView = (row) => ({
  code: row.code,
  name: row.name,
  dispatchHours: Number(row.dispatch_hours),
  handleDays: row.handle_days,
});

/** @param {import('pg').Pool | import('pg').ClientBase} db */
export async function listCategories(db) {
  const { rows } = await db.query('SELECT * FROM categories WHERE active ORDER BY code');
  return rows.map(categoryView);
}

/** @param {import('pg').Pool | import('pg').ClientBase} db @param {string} code */
export async function getCategory(db, code) {
  const { rows } = await db.query('SELECT * FROM categories WHERE code = $1 AND active', [code]);
  if (!rows[0]) {
    throw new Problem('validation_failed', `诉求分类不存在 · Unknown category ${code}`, {
      errors: [{ path: 'body/category', message: 'unknown category' }],
    });
  }
  return categoryView(rows[0]);
}

/** @param {import('pg').Pool | import('pg').ClientBase} db */
export async function listDepartments(db) {
  const { rows } = await db.query('SELECT code, name FROM departments WHERE active ORDER BY code');
  return rows;
}

/** @param {import('pg').Pool | import('pg').ClientBase} db @param {string} code */
export async function requireDepartment(db, code) {
  const { rows } = await db.query('SELECT code, name FROM departments WHERE code = $1 AND active', [
    code,
  ]);
  if (!rows[0]) {
    throw new Problem('validation_failed', `承办单位不存在 · Unknown department ${code}`, {
      errors: [{ path: 'body/department', message: 'unknown department' }],
    });
  }
  return rows[0];
}
