import xterm from '@xterm/headless';

/** A selected row is painted across the table: at least this many cells in a row in the selection style. */
const SELECTED_RUN = 30;
/** Cyan background, paratop's colour for the selected row (inverse without colour). */
const SELECTED_BG = 6;

/**
 * Watches a terminal's output the way a user's terminal would draw it (a headless xterm) and says
 * when the frame a key caused is complete.
 *
 * Definition: after a key, the frame is complete at the arrival of the last chunk of output in the
 * burst that moved the selection, that is, the selected row (its position or its text, when the table
 * scrolled) differs from before the key, and no more output arrives for `quietMs` afterwards. The
 * quiet wait is not counted; the latency ends at the last byte of the frame.
 */
export class FrameDetector {
  readonly terminal: xterm.Terminal;
  private lastArrival = 0;
  private parsedArrival = 0;
  private quietTimer: NodeJS.Timeout | undefined;
  private waiting: {
    before: string | null;
    changed: boolean;
    resolve: (at: number | null) => void;
    timeout: NodeJS.Timeout;
  } | null = null;

  constructor(
    cols: number,
    rows: number,
    private readonly quietMs = 20,
  ) {
    this.terminal = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  }

  /** Output that arrived at `at` (ms, any monotonic clock). */
  feed(data: string, at: number): void {
    this.lastArrival = at;
    this.terminal.write(data, () => {
      this.parsedArrival = at;
      this.parsed();
    });
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.quiet(), this.quietMs);
  }

  /** The selected row as "row|text", or null when none is on screen. */
  selection(): string | null {
    const buffer = this.terminal.buffer.active;
    const cell = buffer.getNullCell();
    let best: { row: number; run: number } | null = null;
    for (let row = 0; row < this.terminal.rows; row += 1) {
      const line = buffer.getLine(buffer.viewportY + row);
      if (!line) continue;
      let run = 0;
      let longest = 0;
      for (let column = 0; column < this.terminal.cols; column += 1) {
        line.getCell(column, cell);
        const selected = (cell.isBgPalette() && cell.getBgColor() === SELECTED_BG) || cell.isInverse() !== 0;
        run = selected ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
      if (longest >= SELECTED_RUN && (!best || longest > best.run)) best = { row, run: longest };
    }
    if (!best) return null;
    return `${best.row}|${buffer.getLine(buffer.viewportY + best.row)?.translateToString(true) ?? ''}`;
  }

  /**
   * Call just before sending the key: resolves with the arrival time of the frame's last chunk, or
   * null when the selection has not moved and gone quiet within `timeoutMs`.
   */
  nextFrame(timeoutMs: number): Promise<number | null> {
    this.waiting?.resolve(null);
    return new Promise((resolve) => {
      const timeout = setTimeout(() => this.settle(null), timeoutMs);
      this.waiting = { before: this.selection(), changed: false, resolve, timeout };
    });
  }

  /** Wait until all output so far has been drawn (for setting up, not for timing). */
  drained(): Promise<void> {
    return new Promise((resolve) => this.terminal.write('', resolve));
  }

  dispose(): void {
    clearTimeout(this.quietTimer);
    this.settle(null);
    this.terminal.dispose();
  }

  private parsed(): void {
    const waiting = this.waiting;
    if (!waiting || waiting.changed) return;
    waiting.changed = this.selection() !== waiting.before;
  }

  private quiet(): void {
    // Complete only once every chunk that arrived has been drawn and the selection had moved.
    if (this.waiting?.changed && this.parsedArrival === this.lastArrival) this.settle(this.lastArrival);
    else if (this.parsedArrival !== this.lastArrival) this.quietTimer = setTimeout(() => this.quiet(), 1);
  }

  private settle(at: number | null): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = null;
    clearTimeout(waiting.timeout);
    waiting.resolve(at);
  }
}
