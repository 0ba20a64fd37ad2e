import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '../src/resources');

/** Public methods of the resource classes: indented `name(`, `async name(` or `async *name(`. */
const METHOD = /^ {2}(?:async \*?)?([a-z]\w*)\(/;

describe('every resource method is documented with an @example', () => {
  for (const file of readdirSync(dir)) {
    it(file, () => {
      const lines = readFileSync(join(dir, file), 'utf8').split('\n');
      const methods: string[] = [];
      lines.forEach((line, i) => {
        const name = METHOD.exec(line)?.[1];
        if (!name || name === 'constructor') return;
        // An overload's later signatures share the first one's doc comment.
        if (name === methods.at(-1) && !lines[i - 1]!.trim().startsWith('*/')) return;
        methods.push(name);
        // Walk back over the doc comment right above the method.
        let j = i - 1;
        const doc: string[] = [];
        while (j >= 0 && /^\s*(\/\*\*|\*)/.test(lines[j]!)) doc.unshift(lines[j--]!);
        expect(doc.join('\n'), `${file}: ${name}() needs a doc comment with @example`).toMatch(
          /@example/,
        );
      });
      expect(methods.length, `${file} declares methods`).toBeGreaterThan(0);
    });
  }
});
