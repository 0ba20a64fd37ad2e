/**
 * 发文字号 and 收文编号: `<机关代字>〔<年份>〕<序号>号`, e.g. `X府办发〔2026〕12号`, numbered from
 * 1 per prefix and year. The counter row is incremented inside the transaction that also
 * writes the number onto the document: concurrent allocations queue on its row lock, and a
 * rolled-back transaction rolls the counter back too — no gaps, no duplicates. A unique index
 * on the document numbers guards the rule once more.
 */

/**
 * @param {import('pg').ClientBase} client  inside the caller's transaction
 * @param {string} prefix
 * @param {number} year
 * @returns {Promise<number>}
 */
export async function allocateSequence(client, prefix, year) {
  const { rows } = await client.query(
    `INSERT INTO number_counters (prefix, year, last_seq) VALUES ($1, $2, 1)
     ON CONFLICT (prefix, year) DO UPDATE SET last_seq = number_counters.last_seq + 1
     RETURNING last_seq`,
    [prefix, year],
  );
  return rows[0].last_seq;
}

/** @param {string} prefix @param {number} year @param {number} seq */
export const formatNumber = (prefix, year, seq) => `${prefix}〔${year}〕${seq}号`;

/** The year in China Standard Time (a number taken on 31 December 23:30 UTC is next year's). @param {Date} at */
export const cstYear = (at) => new Date(at.getTime() + 8 * 60 * 60 * 1000).getUTCFullYear();

/** The prefix of 收文编号. */
export const INCOMING_PREFIX = '收文';
