import { COLUMNS } from '../../model/columns.js';
import { cellText } from '../../model/process-cells.js';
import type { ProcessSample } from '../../model/types.js';

function fitCell(text: string, width: number, align: 'left' | 'right'): string {
  if (width <= 0) return text;
  const clipped = text.length > width ? text.slice(0, width) : text;
  return align === 'right' ? clipped.padStart(width) : clipped.padEnd(width);
}

/** A plain-text process table, as `top -b` prints, for `paratop snapshot` without --json. */
export function processTableText(processes: readonly ProcessSample[]): string {
  const header = COLUMNS.map((column) => fitCell(column.title, column.width, column.align)).join(' ');
  const lines = processes.map((process) =>
    COLUMNS.map((column) => fitCell(cellText(column, process), column.width, column.align)).join(' '),
  );
  return `${[header, ...lines].join('\n')}\n`;
}
