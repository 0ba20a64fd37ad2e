/** The text of `schema/zhengwu.v1.json`, rendered from the TypeScript source of truth. */
import { MANIFEST_SCHEMA } from '../src/schema/manifest';

export const SCHEMA_FILE = new URL('../schema/zhengwu.v1.json', import.meta.url);

export function schemaJson(): string {
  return `${JSON.stringify(MANIFEST_SCHEMA, null, 2)}\n`;
}
