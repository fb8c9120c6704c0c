import type { ResultTable } from './lab-types.js';

/** A result table as lines of text: each column as wide as its widest cell, the first left-aligned, the rest right. */
export function tableText(table: ResultTable): string[] {
  const cells = [table.columns, ...table.rows.map((row) => row.map(String))];
  const widths = table.columns.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells.map((row) =>
    row
      .map((value, column) => (column === 0 ? value.padEnd(widths[column] ?? 0) : value.padStart(widths[column] ?? 0)))
      .join('  '),
  );
}
