/** Names of exported objects: `<app>-<process>`, kept a DNS label (≤ 63 characters). */

const MAX_LABEL = 63;

/** `approval` + `web` → `approval-web`; the app part is shortened when the whole is too long. */
export function workloadName(app: string, process: string): string {
  const suffix = `-${process}`;
  return `${app.slice(0, MAX_LABEL - suffix.length).replace(/-+$/, '')}${suffix}`;
}

/** `base`, or `base-2`, `base-3`… whichever is not in `taken`. */
export function freeName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
