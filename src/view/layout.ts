import type { DashboardState } from '../model/dashboard-state.js';
import { type CoreGrid, planCoreGrid } from './core-grid.js';

export interface Rect {
  top: number;
  left: number;
  width: number;
  height: number;
}

export interface DashboardLayout {
  tooSmall: boolean;
  header: Rect;
  facts: Rect;
  cores: Rect;
  coreGrid: CoreGrid;
  memory: Rect;
  tableHeader: Rect;
  tableBody: Rect;
  footer: Rect;
}

export const MIN_COLS = 60;
export const MIN_ROWS = 15;
const MEMORY_LINES = 3;

/** Where everything goes for a terminal size. Pure, so the reducer can ask it where a click landed. */
export function dashboardLayout(cols: number, rows: number, coreCount: number): DashboardLayout {
  const tooSmall = cols < MIN_COLS || rows < MIN_ROWS;
  const memoryWidth = cols >= 100 ? 40 : cols >= 80 ? 34 : 28;
  const coresWidth = Math.max(1, cols - memoryWidth - 1);
  // Meters may take up to a third of what is left after the fixed lines, never less than the memory lines.
  const maxMeterRows = Math.max(MEMORY_LINES, Math.floor((rows - 6) / 3));
  const coreGrid = planCoreGrid(coreCount, coresWidth, maxMeterRows);
  const meterRows = Math.max(MEMORY_LINES, Math.min(coreGrid.rows, maxMeterRows));
  const tableTop = 2 + meterRows;
  return {
    tooSmall,
    header: { top: 0, left: 0, width: cols, height: 1 },
    facts: { top: 1, left: 0, width: cols, height: 1 },
    cores: { top: 2, left: 0, width: coresWidth, height: meterRows },
    coreGrid,
    memory: { top: 2, left: coresWidth + 1, width: memoryWidth, height: meterRows },
    tableHeader: { top: tableTop, left: 0, width: cols, height: 1 },
    tableBody: { top: tableTop + 1, left: 0, width: cols, height: Math.max(1, rows - tableTop - 2) },
    footer: { top: rows - 1, left: 0, width: cols, height: 1 },
  };
}

export function layoutFor(state: DashboardState): DashboardLayout {
  return dashboardLayout(state.size.cols, state.size.rows, state.coreIds.length);
}
