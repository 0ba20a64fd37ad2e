import pg from 'pg';

// DATE columns stay 'YYYY-MM-DD' strings: as JS Dates they would shift by the time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

/** @param {string} url @param {number} [max] */
export function createPool(url, max = 10) {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', (error) =>
    console.error('数据库连接错误 · Database pool error:', error.message),
  );
  return pool;
}
