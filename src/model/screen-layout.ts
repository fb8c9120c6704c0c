import type { DashboardState } from './dashboard-state.js';
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
  /** A meter per GPU under the core meters; null on a machine without one. */
  gpus: Rect | null;
  tableHeader: Rect;
  tableBody: Rect;
  /** The lab panel: beside the table on wide screens, under it otherwise; null when hidden. */
  lab: Rect | null;
  footer: Rect;
}

export const MIN_COLS = 60;
export const MIN_ROWS = 15;
const MEMORY_LINES = 3;
/** GPU meters take at most this many lines; more GPUs share the last one. */
const MAX_GPU_LINES = 4;
/** From this width the lab panel sits beside the table, which keeps room for its command lines. */
export const SIDE_PANEL_MIN_COLS = 140;
const SIDE_PANEL_WIDTH = 56;
/** The process table keeps at least its title and this many rows under a bottom panel. */
const MIN_TABLE_ROWS = 4;

/** Where everything goes for a terminal size. Pure, so the reducer can ask it where a click landed. */
export function dashboardLayout(
  cols: number,
  rows: number,
  coreCount: number,
  labVisible = false,
  gpuCount = 0,
): DashboardLayout {
  const tooSmall = cols < MIN_COLS || rows < MIN_ROWS;
  const memoryWidth = cols >= 100 ? 40 : cols >= 80 ? 34 : 28;
  const coresWidth = Math.max(1, cols - memoryWidth - 1);
  // Meters may take up to a third of what is left after the fixed lines, never less than the memory lines.
  const maxMeterRows = Math.max(MEMORY_LINES, Math.floor((rows - 6) / 3));
  const coreGrid = planCoreGrid(coreCount, coresWidth, maxMeterRows);
  const meterRows = Math.max(MEMORY_LINES, Math.min(coreGrid.rows, maxMeterRows));
  // GPU meters go under the core meters, never taking the table below its title and a few rows.
  const gpuRows = Math.max(0, Math.min(gpuCount, MAX_GPU_LINES, rows - 2 - meterRows - 2 - MIN_TABLE_ROWS));
  const tableTop = 2 + meterRows + gpuRows;
  // Rows between the meters and the footer, for the table (title + body) and a bottom lab panel.
  const below = Math.max(2, rows - tableTop - 1);
  let tableWidth = cols;
  let tableRows = below;
  let lab: Rect | null = null;
  if (labVisible && cols >= SIDE_PANEL_MIN_COLS) {
    tableWidth = cols - SIDE_PANEL_WIDTH - 1;
    lab = { top: tableTop, left: tableWidth + 1, width: SIDE_PANEL_WIDTH, height: below };
  } else if (labVisible) {
    const height = Math.max(
      0,
      Math.min(Math.max(7, Math.min(14, Math.round(below * 0.45))), below - 1 - MIN_TABLE_ROWS),
    );
    tableRows = below - height;
    lab = height > 0 ? { top: tableTop + tableRows, left: 0, width: cols, height } : null;
  }
  return {
    tooSmall,
    header: { top: 0, left: 0, width: cols, height: 1 },
    facts: { top: 1, left: 0, width: cols, height: 1 },
    cores: { top: 2, left: 0, width: coresWidth, height: meterRows },
    coreGrid,
    memory: { top: 2, left: coresWidth + 1, width: memoryWidth, height: meterRows },
    gpus: gpuRows > 0 ? { top: 2 + meterRows, left: 0, width: cols, height: gpuRows } : null,
    tableHeader: { top: tableTop, left: 0, width: tableWidth, height: 1 },
    tableBody: { top: tableTop + 1, left: 0, width: tableWidth, height: Math.max(1, tableRows - 1) },
    lab,
    footer: { top: rows - 1, left: 0, width: cols, height: 1 },
  };
}

export function layoutFor(state: DashboardState): DashboardLayout {
  // The results view takes the lab panel's room too: it holds the same results, and the chart needs space.
  return dashboardLayout(
    state.size.cols,
    state.size.rows,
    state.coreIds.length,
    state.lab.visible && !state.resultsOpen,
    state.gpus.length,
  );
}

const HELP_MAX_WIDTH = 100;

/** The help box for a terminal: its outer size and the room for text inside (border and padding). */
export function helpBox(
  cols: number,
  rows: number,
): { width: number; height: number; textWidth: number; textHeight: number } {
  const width = Math.min(cols - 2, HELP_MAX_WIDTH);
  const height = rows;
  return { width, height, textWidth: Math.max(10, width - 4), textHeight: Math.max(1, height - 2) };
}
