import type { RunResult } from '../model/lab-types.js';
import { tableText } from '../model/result-table.js';
import type { Theme } from './theme.js';
import { cell, escapeTags, wrapText } from './text-fit.js';

/** The workers' PIDs and TIDs take at most this many lines; the JSON result has them all. */
const MAX_WORKER_LINES = 2;

/** Each worker as name PID/TID, unless the table shows them already. */
function workerLines(result: RunResult, width: number): string[] {
  if (result.perWorker.length === 0 || result.table?.columns.includes('PID')) return [];
  const items = result.perWorker.map((worker) => `${worker.name} ${worker.pid}${worker.tid !== null && worker.tid !== worker.pid ? `/${worker.tid}` : ''}`);
  const lines = wrapText(`PID/TID: ${items.join(' · ')}`, width);
  if (lines.length <= MAX_WORKER_LINES) return lines;
  const shown = lines.slice(0, MAX_WORKER_LINES);
  shown[MAX_WORKER_LINES - 1] = `${(shown[MAX_WORKER_LINES - 1] ?? '').slice(0, Math.max(0, width - 24))} … (all in lab run --json)`;
  return shown;
}

/** The text half of the results view: what was run, what it found, its table, and its workers. */
export function resultLines(result: RunResult, width: number, theme: Theme): string[] {
  const lines = [theme.paint(cell(`${result.title}: results · v or Esc back`, width), 'table-header')];
  for (const text of [result.summary, ...(result.lines ?? [])]) lines.push(...wrapText(text, width).map(escapeTags));
  if (result.table) {
    lines.push('');
    const [header, ...rows] = tableText(result.table).map((line) => cell(line, width));
    if (header) lines.push(theme.paint(header, 'label'));
    lines.push(...rows);
  }
  lines.push(...workerLines(result, width).map(escapeTags));
  return lines;
}
