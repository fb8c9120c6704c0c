import type { Frame } from './frame.js';
import { FRAME_PARTS } from './frame.js';
import { displayWidth, untagged } from './text-fit.js';

/** A screen of cells; a wide character takes its cell and blanks the next. */
class Grid {
  private readonly cells: string[][];

  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {
    this.cells = Array.from({ length: rows }, () => Array.from({ length: cols }, () => ' '));
  }

  write(top: number, left: number, text: string, width: number): void {
    const row = this.cells[top];
    if (!row) return;
    let column = left;
    for (const char of untagged(text)) {
      const columns = displayWidth(char);
      if (columns === 0) continue;
      if (column + columns > Math.min(this.cols, left + width)) break;
      row[column] = char;
      if (columns === 2) row[column + 1] = '';
      column += columns;
    }
  }

  lines(): string[] {
    return this.cells.map((row) => row.join('').trimEnd());
  }
}

/**
 * A frame as the terminal would show it, as plain text rows (trailing spaces trimmed), so whole
 * screens can be tested without a terminal. The chart, drawn by blessed-contrib, is left blank.
 */
export function frameText(frame: Frame, cols: number, rows: number): string[] {
  const grid = new Grid(cols, rows);
  if (frame.tooSmall !== null) {
    for (const [row, line] of frame.tooSmall.split('\n').entries()) grid.write(row, 0, line, cols);
    return grid.lines();
  }
  for (const name of FRAME_PARTS) {
    const part = frame.parts[name];
    if (!part) continue;
    const { top, left, width, height } = part.rect;
    for (const [row, line] of part.lines.slice(0, height).entries()) grid.write(top + row, left, line, width);
  }
  const overlay = frame.overlay;
  if (overlay) {
    // Centred as blessed centres: the space left over, halved and rounded down.
    const top = Math.floor((rows - overlay.height) / 2);
    const left = Math.floor((cols - overlay.width) / 2);
    const inner = overlay.width - 2;
    const label = overlay.label.slice(0, inner);
    grid.write(top, left, `┌${label}${'─'.repeat(inner - label.length)}┐`, overlay.width);
    for (let row = 1; row < overlay.height - 1; row += 1) {
      grid.write(top + row, left, `│${' '.repeat(inner)}│`, overlay.width);
      // One column of padding on each side, as the view's overlays have.
      const line = overlay.lines[row - 1];
      if (line !== undefined) grid.write(top + row, left + 2, line, inner - 2);
    }
    grid.write(top + overlay.height - 1, left, `└${'─'.repeat(inner)}┘`, overlay.width);
  }
  return grid.lines();
}
