/** The content codings the platform sends, best first. */
export type Encoding = 'br' | 'gzip' | 'identity';

const OFFERED = ['br', 'gzip'] as const;

/** Decisions by `Accept-Encoding` value: clients send the same few values again and again. */
const decisions = new Map<string, Encoding>();

/**
 * The coding to answer with for an `Accept-Encoding` header (RFC 9110 §12.5.3): the offered
 * coding with the highest q-value above 0 (`*` stands for any coding not named), br first
 * on a tie; identity when none is acceptable.
 */
export function preferredEncoding(header: string | undefined): Encoding {
  if (!header) return 'identity';
  let decision = decisions.get(header);
  if (decision === undefined) {
    const weights = new Map<string, number>();
    for (const part of header.split(',')) {
      const [name = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
      weights.set(name.trim(), q ? Number(q[1]) : 1);
    }
    let best: Encoding = 'identity';
    let bestQ = 0;
    for (const coding of OFFERED) {
      const q = weights.get(coding) ?? weights.get('*') ?? 0;
      if (q > bestQ) {
        best = coding;
        bestQ = q;
      }
    }
    decision = best;
    if (decisions.size >= 1000) decisions.clear();
    decisions.set(header, decision);
  }
  return decision;
}
