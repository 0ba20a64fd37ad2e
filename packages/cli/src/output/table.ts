/** A plain text table: padded columns, bilingual headers, shrunk to the terminal's width. */
import { displayWidth, padEnd, padStart, truncate } from './width';

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** This column gives up width first when the table is too wide. */
  shrink?: boolean;
}

const GAP = '  ';

export function renderTable(columns: Column[], rows: string[][], maxWidth?: number): string {
  const widths = columns.map((c, i) =>
    Math.max(displayWidth(c.header), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  if (maxWidth) {
    let excess = widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1) - maxWidth;
    // Shrink the widest shrinkable columns first, never below 8 columns of text.
    while (excess > 0) {
      let widest = -1;
      for (let i = 0; i < columns.length; i++) {
        if (columns[i]!.shrink && widths[i]! > 8 && (widest < 0 || widths[i]! > widths[widest]!))
          widest = i;
      }
      if (widest < 0) break;
      widths[widest]!--;
      excess--;
    }
  }
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const text = truncate(cell, widths[i]!);
        return columns[i]!.align === 'right'
          ? padStart(text, widths[i]!)
          : padEnd(text, widths[i]!);
      })
      .join(GAP)
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join('\n');
}
