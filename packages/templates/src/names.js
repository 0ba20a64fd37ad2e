/**
 * Names the platform accepts. A project name becomes the app's `metadata.name` (a
 * ResourceName) and its package.json name, so it must satisfy both.
 */

export const RESOURCE_NAME = /^[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** Tenant id (`ten_…`) or name, as `zw deploy --tenant` takes it. */
export const TENANT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** @param {string} name */
export const isValidProjectName = (name) => RESOURCE_NAME.test(name);

/** @param {string} tenant */
export const isValidTenant = (tenant) => TENANT.test(tenant);

/**
 * A valid project name close to `input` (`My App!` → `my-app`), offered as the prompt's
 * default; '' when nothing usable is left.
 * @param {string} input
 */
export function suggestProjectName(input) {
  const cleaned = input
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+/g, '-')
    .slice(0, 63)
    .replace(/-+$/, '');
  return isValidProjectName(cleaned) ? cleaned : '';
}

/** The bilingual explanation shown for an invalid project name. @param {string} name */
export const projectNameRule = (name) =>
  `项目名 “${name}” 无效：须以小写字母开头，仅含小写字母、数字和连字符，2–63 个字符，不以连字符结尾 · ` +
  `Invalid project name "${name}": 2–63 characters, lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen`;
