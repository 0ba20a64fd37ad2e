/**
 * Env placeholders, Score syntax: `${resources.<name>.<key>}` stands for a credential of a
 * bound resource; `$${` is a literal `${`. Nothing else inside `${…}` is accepted.
 */

/** One piece of an env value: literal text or a reference to a resource output. */
export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'ref'; resource: string; key: string; source: string };

/** A `${…}` that is not a valid placeholder, with its offset in the value. */
export interface TemplateSyntaxError {
  offset: number;
  source: string;
}

const REFERENCE = /^resources\.([a-z][a-z0-9-]{0,61}[a-z0-9])\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** Splits an env value into text and references; `errors` lists invalid `${…}`. */
export function parseTemplate(value: string): {
  parts: TemplatePart[];
  errors: TemplateSyntaxError[];
} {
  const parts: TemplatePart[] = [];
  const errors: TemplateSyntaxError[] = [];
  let text = '';
  let i = 0;
  while (i < value.length) {
    if (value.startsWith('$${', i)) {
      text += '${';
      i += 3;
      continue;
    }
    if (!value.startsWith('${', i)) {
      text += value[i];
      i += 1;
      continue;
    }
    const close = value.indexOf('}', i + 2);
    const source = close < 0 ? value.slice(i) : value.slice(i, close + 1);
    const match = close < 0 ? null : REFERENCE.exec(value.slice(i + 2, close));
    if (!match) {
      errors.push({ offset: i, source });
      text += source;
      i += source.length;
      continue;
    }
    if (text) parts.push({ kind: 'text', text });
    text = '';
    parts.push({ kind: 'ref', resource: match[1]!, key: match[2]!, source });
    i = close + 1;
  }
  if (text) parts.push({ kind: 'text', text });
  return { parts, errors };
}

/** The references an env value makes (invalid `${…}` ignored). */
export function referencesOf(value: string): { resource: string; key: string }[] {
  return parseTemplate(value).parts.flatMap((p) =>
    p.kind === 'ref' ? [{ resource: p.resource, key: p.key }] : [],
  );
}
