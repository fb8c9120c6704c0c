import type { RunResult } from '../model/lab-types.js';
import { tableText } from '../model/result-table.js';
import type { Theme } from './theme.js';
import { cell, escapeTags, wrapText } from './text-fit.js';

/** The workers' PIDs and TIDs take at most this many lines; the JSON result has them all. */
const MAX_WORKER_LINES = 2;

/** Each worker as name PID/TID, unless the table shows them already. */
function workerLines(result: RunResult, width: number): string[] {
  if (result.perWorker.length === 0 || result.table?.columns.includes('PID')) return [];
  const items = result.perWorker.map(
    (worker) =>
      `${worker.name} ${worker.pid}${worker.tid !== null && worker.tid !== worker.pid ? `/${worker.tid}` : ''}`,
  );
  const lines = wrapText(`PID/TID: ${items.join(' · ')}`, width);
  if (lines.length <= MAX_WORKER_LINES) return lines;
  const shown = lines.slice(0, MAX_WORKER_LINES);
  shown[MAX_WORKER_LINES - 1] =
    `${(shown[MAX_WORKER_LINES - 1] ?? '').slice(0, Math.max(0, width - 24))} … (all in lab run --json)`;
  return shown;
}

/** Where the results view puts its text and its chart, relative to the table's box. */
export interface ResultsPlacement {
  title: string;
  lines: string[];
  chart: { left: number; top: number; width: number; height: number } | null;
}

/** A chart needs this many rows to be readable. */
export const MIN_CHART_ROWS = 8;
/** And this many columns, when it goes beside the text. */
const MIN_CHART_COLUMNS = 40;
/** Text beside a chart is never narrower than this. */
const MIN_TEXT_COLUMNS = 48;

/** The lines that fit `height`, the last saying how many more there are and where to find them all. */
function fitted(lines: readonly string[], height: number, result: RunResult): string[] {
  if (lines.length <= height) return [...lines];
  const kept = Math.max(0, height - 1);
  return [
    ...lines.slice(0, kept),
    escapeTags(`… ${lines.length - kept} more (lab run ${result.scenarioId} --json has all)`),
  ];
}

/**
 * The results in a box of `width` x `height`: the text, and the chart under it when there is room;
 * beside it, in the table's width, when a long table leaves none below (the latency ladder's 40
 * rows); else under as much of the text as leaves it room. Pure.
 */
export function placeResults(result: RunResult, width: number, height: number, theme: Theme): ResultsPlacement {
  const [title = '', ...lines] = resultLines(result, width, theme);
  if (!result.chart) return { title, lines: fitted(lines, height, result), chart: null };
  const room = height - lines.length;
  if (room >= MIN_CHART_ROWS) return { title, lines, chart: { left: 0, top: lines.length, width, height: room } };
  const tableWidth = Math.max(0, ...(result.table ? tableText(result.table).map((line) => line.length) : []));
  const textWidth = Math.max(MIN_TEXT_COLUMNS, tableWidth);
  if (width - textWidth - 1 >= MIN_CHART_COLUMNS && height >= MIN_CHART_ROWS) {
    const [, ...narrow] = resultLines(result, textWidth, theme);
    return {
      title,
      lines: fitted(narrow, height, result),
      chart: { left: textWidth + 1, top: 0, width: width - textWidth - 1, height },
    };
  }
  const textRows = height - MIN_CHART_ROWS;
  if (textRows >= 3)
    return {
      title,
      lines: fitted(lines, textRows, result),
      chart: { left: 0, top: textRows, width, height: MIN_CHART_ROWS },
    };
  return {
    title,
    lines: fitted([...lines, escapeTags('(a taller window shows the chart)')], height, result),
    chart: null,
  };
}

/** The text half of the results view: what was run, what it found, its table, and its workers. */
export function resultLines(result: RunResult, width: number, theme: Theme): string[] {
  const lines = [
    theme.paint(cell(`${result.title}: results · T its trace (Perfetto) · v or Esc back`, width), 'table-header'),
  ];
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
