import type { RunResult } from '../model/lab-types.js';
import { tableText } from '../model/result-table.js';
import type { Theme } from './theme.js';
import { cell, escapeTags, wrapText } from './text-fit.js';

/** The text half of the results view: what was run, what it found, and its table. */
export function resultLines(result: RunResult, width: number, theme: Theme): string[] {
  const lines = [theme.paint(cell(`${result.title}: results · v or Esc back`, width), 'table-header')];
  for (const text of [result.summary, ...(result.lines ?? [])]) lines.push(...wrapText(text, width).map(escapeTags));
  if (result.table) {
    lines.push('');
    const [header, ...rows] = tableText(result.table).map((line) => cell(line, width));
    if (header) lines.push(theme.paint(header, 'label'));
    lines.push(...rows);
  }
  return lines;
}
