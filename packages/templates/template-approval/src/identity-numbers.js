/**
 * Applicant identifiers: the 18-digit resident ID number (GB 11643, ISO 7064 MOD 11-2 check
 * character) and the 统一社会信用代码 (GB 32100, MOD 31 check character). Checking the check
 * character catches most typing errors at the counter.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** @param {string} value */
export function isValidIdCard(value) {
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  const sum = ID_WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(value[i]), 0);
  return ID_CHECK[sum % 11] === value[17];
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character of the first 17 characters of a 统一社会信用代码. @param {string} body */
export function usccCheckChar(body) {
  const sum = USCC_WEIGHTS.reduce(
    (acc, weight, i) => acc + weight * USCC_CHARS.indexOf(body[i] ?? ''),
    0,
  );
  return USCC_CHARS[(31 - (sum % 31)) % 31];
}

/** @param {string} value */
export function isValidUscc(value) {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(value)) return false;
  return usccCheckChar(value.slice(0, 17)) === value[17];
}

/** Keeps the first 6 and last 4 characters: enough to tell applicants apart in a list. @param {string} value */
export function maskIdNumber(value) {
  return value.length <= 10
    ? '*'.repeat(value.length)
    : `${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}`;
}

/** 138****1234 @param {string} value */
export function maskPhone(value) {
  return value.length < 7 ? '*'.repeat(value.length) : `${value.slice(0, 3)}****${value.slice(-4)}`;
}
