import { usccCheckChar } from '../src/identity-numbers.js';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A resident ID number with a correct check character, from its first 17 digits. @param {string} body */
export function idCard(body) {
  const sum = ID_WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}

/** @param {string} body 17 characters */
export const uscc = (body) => body + usccCheckChar(body);
