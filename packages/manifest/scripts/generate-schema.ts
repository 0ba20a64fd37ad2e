/** Writes `schema/zhengwu.v1.json` from `src/schema` (`pnpm --filter @zhengwu/manifest run generate`). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCHEMA_FILE, schemaJson } from './schema-json';

writeFileSync(SCHEMA_FILE, schemaJson());
console.log(`已写入 · wrote ${fileURLToPath(SCHEMA_FILE)}`);
