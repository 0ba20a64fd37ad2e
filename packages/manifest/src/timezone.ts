/** IANA time zones, checked with the runtime's own tz database (Intl, no extra data). */

/**
 * The IANA name as the runtime spells it, or `undefined` when the zone is unknown. Intl
 * accepts any letter case; Kubernetes (Go's `time.LoadLocation`) does not, so callers
 * compare the result with what was written.
 */
export function canonicalTimeZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Why a time zone cannot be used (bilingual), or `undefined` when it can. */
export function timeZoneProblem(name: string): string | undefined {
  const canonical = canonicalTimeZone(name);
  if (canonical === undefined) {
    return `未知的 IANA 时区 "${name}"，如 Asia/Shanghai · unknown IANA time zone "${name}"; e.g. Asia/Shanghai`;
  }
  if (canonical !== name && canonical.toLowerCase() === name.toLowerCase()) {
    return `时区名区分大小写，应为 "${canonical}" · time zone names are case-sensitive: use "${canonical}"`;
  }
  return undefined;
}
