/**
 * How to lay out one meter per core in a given space: roomy meters with history at a few cores,
 * plain bars in columns at a few dozen, one coloured cell per core (a heat strip) at 64-128+.
 */
export type MeterStyle = 'full' | 'bar' | 'heat';

export interface CoreGrid {
  style: MeterStyle;
  columns: number;
  rows: number;
  cellWidth: number;
  /** Width of the core-number label, from the largest core number. */
  labelWidth: number;
}

/** Narrowest cell each style stays readable in: label, brackets, bar, percentage (and history). */
function minCellWidth(style: 'full' | 'bar', labelWidth: number): number {
  return style === 'full' ? labelWidth + 2 + 10 + 6 + 1 + 6 : labelWidth + 2 + 4 + 4;
}

export function planCoreGrid(coreCount: number, width: number, maxRows: number): CoreGrid {
  const count = Math.max(1, coreCount);
  const labelWidth = String(count - 1).length + 1;
  for (const style of ['full', 'bar'] as const) {
    for (let columns = 1; ; columns += 1) {
      const cellWidth = Math.floor((width - (columns - 1)) / columns);
      if (cellWidth < minCellWidth(style, labelWidth)) break;
      const rows = Math.ceil(count / columns);
      if (rows <= maxRows) return { style, columns, rows, cellWidth, labelWidth };
    }
  }
  const perRow = Math.max(1, width - (labelWidth + 2));
  return { style: 'heat', columns: perRow, rows: Math.ceil(count / perRow), cellWidth: 1, labelWidth: labelWidth + 1 };
}
