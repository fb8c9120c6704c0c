import { COLUMNS, type Column, type ColumnSpan, columnSpans } from '../model/columns.js';
import type { DashboardState } from '../model/dashboard-state.js';
import { cellText } from '../model/process-cells.js';
import type { TableRow } from '../model/process-table.js';
import type { Theme } from './theme.js';
import { cell, fitToWidth, escapeTags } from './text-fit.js';

function widthOf(span: ColumnSpan): number {
  return span.end - span.start;
}

export function processHeaderLine(
  state: DashboardState,
  width: number,
  theme: Theme,
  columns: readonly Column[] = COLUMNS,
): string {
  const spans = columnSpans(width, columns);
  const parts = columns.map((column, index) => {
    const span = spans[index];
    if (!span) return '';
    const sorted = column.key === state.order.key;
    const title = sorted ? `${column.title}${state.order.descending ? '▼' : '▲'}` : column.title;
    const text = cell(title, widthOf(span), column.align);
    return sorted ? theme.paint(text, 'sorted-header') : text;
  });
  return theme.paint(parts.join(' '), 'table-header');
}

function rowText(row: TableRow, spans: readonly ColumnSpan[], columns: readonly Column[]): string {
  return columns
    .map((column, index) => {
      const span = spans[index];
      if (!span) return '';
      const text =
        column.key === 'command' ? row.treePrefix + cellText(column, row.process) : cellText(column, row.process);
      return fitToWidth(text, widthOf(span), column.align);
    })
    .join(' ');
}

/** The visible slice of the table; the selected row painted across the whole width, lab workers highlighted. */
export function processBodyLines(
  rows: readonly TableRow[],
  selectedPid: number | null,
  scrollTop: number,
  height: number,
  width: number,
  theme: Theme,
  highlighted: ReadonlySet<number> = new Set(),
  columns: readonly Column[] = COLUMNS,
): string[] {
  const spans = columnSpans(width, columns);
  const lines: string[] = [];
  for (const row of rows.slice(scrollTop, scrollTop + height)) {
    const text = escapeTags(rowText(row, spans, columns));
    const pid = row.process.pid;
    lines.push(
      pid === selectedPid
        ? theme.paint(text, 'selected')
        : highlighted.has(pid)
          ? theme.paint(text, 'highlight')
          : text,
    );
  }
  return lines;
}
