/** JSON Pointers (RFC 6901): the `path` of every issue. */

/** `['processes', 'web', 'port']` → `/processes/web/port` */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** `/processes/web/port` → `['processes', 'web', 'port']`; `''` → `[]`. */
export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}
