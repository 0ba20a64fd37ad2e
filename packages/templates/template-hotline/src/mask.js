/**
 * Personal information is shown only where it is needed (个人信息最小化): lists show a masked
 * phone number, the detail view (needed for the callback) shows it in full, events carry none.
 * @param {string} phone
 */
export function maskPhone(phone) {
  const digits = phone.replace(/\s+/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** Keeps the family name only: 张三 → 张*. @param {string | null} name */
export function maskName(name) {
  if (!name) return name;
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
}
