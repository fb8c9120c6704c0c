import type { ResultTable, RunResult } from '../model/lab-types.js';
import type { Theme } from './theme.js';
import { cell, displayWidth, escapeTags, wrapText } from './text-fit.js';

/** A result table as text: columns as wide as their widest cell, the first left-aligned, the rest right. */
export function tableLines(table: ResultTable, width: number): string[] {
  const cells = [table.columns, ...table.rows.map((row) => row.map(String))];
  const widths = table.columns.map((_, column) => Math.max(...cells.map((row) => displayWidth(row[column] ?? ''))));
  return cells.map((row) =>
    cell(
      row.map((value, column) => (column === 0 ? value.padEnd(widths[column] ?? 0) : value.padStart(widths[column] ?? 0))).join('  '),
      width,
    ),
  );
}

/** The text half of the results view: what was run, what it found, and its table. */
export function resultLines(result: RunResult, width: number, theme: Theme): string[] {
  const lines = [theme.paint(cell(`${result.title}: results · v or Esc back`, width), 'table-header')];
  for (const text of [result.summary, ...(result.lines ?? [])]) lines.push(...wrapText(text, width).map(escapeTags));
  if (result.table) {
    lines.push('');
    const [header, ...rows] = tableLines(result.table, width);
    if (header) lines.push(theme.paint(header, 'label'));
    lines.push(...rows);
  }
  return lines;
}
