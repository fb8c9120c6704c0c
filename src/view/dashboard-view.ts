import type { Widgets } from 'blessed';
import { box } from './blessed-parts.js';
import { LineBox } from './line-box.js';
import { labHighlights, processRows, threadRows } from '../model/dashboard-selectors.js';
import type { DashboardState } from '../model/dashboard-state.js';
import { coreMeterLines } from './core-meters.js';
import { footerLine } from './footer.js';
import { factsLine, headerLine } from './header.js';
import { helpLines } from './help.js';
import { KILL_DIALOG_HEIGHT, KILL_DIALOG_WIDTH, killDialogLines } from './kill-dialog.js';
import { labPanelLines } from './lab-panel.js';
import { type DashboardLayout, MIN_COLS, MIN_ROWS, type Rect, helpBox, layoutFor } from '../model/screen-layout.js';
import { memoryLines } from './memory-meters.js';
import { processBodyLines, processHeaderLine } from './process-table.js';
import { ResultChartView } from './result-chart.js';
import { outputLines } from './output-view.js';
import { placeResults } from './results-view.js';
import { escapeTags } from './text-fit.js';
import type { Theme } from './theme.js';
import { threadBodyLines, threadHeaderLine } from './thread-table.js';

type Box = Widgets.BoxElement;

/** Recompute a value only when one of its inputs changed (compared by identity). */
class Memo<T> {
  private inputs: readonly unknown[] | null = null;
  private value: T | undefined;

  get(inputs: readonly unknown[], compute: () => T): T {
    if (
      this.value !== undefined &&
      this.inputs?.length === inputs.length &&
      this.inputs.every((input, index) => input === inputs[index])
    )
      return this.value;
    this.inputs = inputs;
    this.value = compute();
    return this.value;
  }
}

/**
 * The widgets, and how a state becomes their content. Draws only what changed: a box whose text and
 * place are unchanged is neither re-parsed nor re-rendered, and the terminal gets only changed lines.
 */
export class DashboardView {
  private readonly header: LineBox;
  private readonly facts: LineBox;
  private readonly cores: LineBox;
  private readonly memory: LineBox;
  private readonly tableHeader: LineBox;
  private readonly tableBody: LineBox;
  private readonly footer: LineBox;
  private readonly lab: LineBox;
  private readonly lineBoxes: LineBox[];
  private readonly killDialog: Box;
  private readonly help: Box;
  private readonly tooSmall: Box;
  private readonly drawn = new Map<Box, string>();
  private readonly factsMemo = new Memo<string>();
  private readonly labMemo = new Memo<string[]>();
  private readonly tableMemo = new Memo<string[]>();
  private readonly chart: ResultChartView;
  /** The smallest chart worth drawing, in rows. */
  /** Line boxes whose text changed since the last frame (the overlays are drawn by full renders). */
  private changed = new Set<LineBox>();
  /** Something moved, appeared or vanished: the next frame redraws everything. */
  private structureChanged = true;

  constructor(
    private readonly screen: Widgets.Screen,
    private readonly theme: Theme,
  ) {
    const lines = (): LineBox => new LineBox(screen);
    this.header = lines();
    this.facts = lines();
    this.cores = lines();
    this.memory = lines();
    this.tableHeader = lines();
    this.tableBody = lines();
    this.footer = lines();
    this.lab = lines();
    this.lineBoxes = [
      this.header,
      this.facts,
      this.cores,
      this.memory,
      this.tableHeader,
      this.tableBody,
      this.footer,
      this.lab,
    ];
    const overlay = (label: string): Box =>
      box({
        parent: screen,
        tags: true,
        wrap: false,
        hidden: true,
        border: { type: 'line' },
        label,
        top: 'center',
        left: 'center',
        width: 10,
        height: 5,
        padding: { left: 1, right: 1 },
      });
    this.killDialog = overlay(' Send a signal ');
    this.help = overlay(' Help ');
    this.tooSmall = box({ parent: screen, tags: true, hidden: true, top: 0, left: 0, width: '100%', height: '100%' });
    this.chart = new ResultChartView(screen);
  }

  /** The next frame redraws the whole screen (after a resize, blessed has already cleared it). */
  invalidate(): void {
    this.structureChanged = true;
  }

  render(state: DashboardState): void {
    const layout = layoutFor(state);
    if (layout.tooSmall) this.drawTooSmall(state);
    else this.drawDashboard(state, layout);
    this.flush();
  }

  private drawTooSmall(state: DashboardState): void {
    const { cols, rows } = state.size;
    for (const box of this.allBoxes()) this.setVisible(box, false);
    if (this.chart.hide()) this.structureChanged = true;
    this.setVisible(this.tooSmall, true);
    this.setContent(
      this.tooSmall,
      escapeTags(
        `Terminal too small: ${cols}x${rows}.\nparatop needs at least ` +
          `${MIN_COLS}x${MIN_ROWS}.\nEnlarge the window, or press q to quit.`,
      ),
    );
  }

  private drawDashboard(state: DashboardState, layout: DashboardLayout): void {
    const { cols } = state.size;
    this.setVisible(this.tooSmall, false);
    // Every line box but the lab panel, whose visibility is its own (shown below when it has room).
    for (const lines of this.lineBoxes) if (lines !== this.lab) this.setVisible(lines.element, true);
    this.draw(this.header, layout.header, [headerLine(state, cols, this.theme)]);
    this.draw(this.facts, layout.facts, [
      this.factsMemo.get([state.facts, state.factsFailed, cols], () => factsLine(state, cols, this.theme)),
    ]);
    this.draw(
      this.cores,
      layout.cores,
      coreMeterLines(state.coreIds, state.system?.cores ?? null, state.coreHistory, layout.coreGrid, this.theme),
    );
    this.draw(
      this.memory,
      layout.memory,
      memoryLines(state.system?.memory ?? null, state.processes, layout.memory.width, this.theme),
    );
    this.drawTable(state, layout);
    const labRect = layout.lab;
    this.setVisible(this.lab.element, labRect !== null);
    if (labRect) {
      const lines = this.labMemo.get([state.lab, labRect.width, labRect.height], () =>
        labPanelLines(state.lab, labRect.width, labRect.height, this.theme),
      );
      this.draw(this.lab, labRect, lines);
    }
    this.draw(this.footer, layout.footer, [footerLine(state, cols, this.theme)]);
    this.drawOverlays(state);
  }

  private drawTable(state: DashboardState, layout: DashboardLayout): void {
    const { width, height } = layout.tableBody;
    const panel = state.threadPanel;
    const highlights = labHighlights(state);
    const result = state.lab.result;
    const output = state.lab.output;
    if (state.outputOpen && output) {
      if (this.chart.hide()) this.structureChanged = true;
      const [title = '', ...lines] = outputLines(output, width, height, state.outputScroll, this.theme);
      this.draw(this.tableHeader, layout.tableHeader, [title]);
      this.draw(this.tableBody, layout.tableBody, lines);
      return;
    }
    if (state.resultsOpen && result) {
      const placed = placeResults(result, width, height, this.theme);
      this.draw(this.tableHeader, layout.tableHeader, [placed.title]);
      if (placed.chart) {
        const rect = {
          ...placed.chart,
          top: layout.tableBody.top + placed.chart.top,
          left: layout.tableBody.left + placed.chart.left,
        };
        if (this.chart.show(result.chart!, rect, this.theme.colour)) this.structureChanged = true;
      } else if (this.chart.hide()) this.structureChanged = true;
      this.draw(this.tableBody, layout.tableBody, placed.lines);
      return;
    }
    if (this.chart.hide()) this.structureChanged = true;
    if (panel) {
      this.draw(this.tableHeader, layout.tableHeader, [threadHeaderLine(panel, width, this.theme)]);
      this.draw(
        this.tableBody,
        layout.tableBody,
        threadBodyLines(panel, threadRows(state), height, width, this.theme, highlights.tids),
      );
      return;
    }
    this.draw(this.tableHeader, layout.tableHeader, [processHeaderLine(state, width, this.theme)]);
    const { selectedId, scrollTop } = state.cursor;
    const rows = processRows(state);
    // Between process scans (the meters tick more often) the rows are the same objects: no work.
    const body = this.tableMemo.get(
      [rows, state.processes.length, selectedId, scrollTop, height, width, highlights.pids],
      () => {
        const lines = processBodyLines(rows, selectedId, scrollTop, height, width, this.theme, highlights.pids);
        if (lines.length === 0 && state.processes.length > 0)
          lines.push(escapeTags('No process matches the filter. Esc clears it.'));
        return lines;
      },
    );
    this.draw(this.tableBody, layout.tableBody, body);
  }

  private drawOverlays(state: DashboardState): void {
    const mode = state.mode;
    this.setVisible(this.killDialog, mode.kind === 'kill');
    if (mode.kind === 'kill') {
      this.place(this.killDialog, { width: KILL_DIALOG_WIDTH, height: KILL_DIALOG_HEIGHT });
      this.setContent(this.killDialog, killDialogLines(mode.target, mode.signalIndex, this.theme).join('\n'));
    }
    this.setVisible(this.help, mode.kind === 'help');
    if (mode.kind === 'help') {
      const box = helpBox(state.size.cols, state.size.rows);
      const lines = helpLines(box.textWidth, box.textHeight, mode.scroll, this.theme);
      this.place(this.help, { width: box.width, height: Math.min(box.height, lines.length + 2) });
      this.setContent(this.help, lines.join('\n'));
    }
  }

  /**
   * Put the frame on the terminal. Boxes never overlap except the overlays, so while no overlay is
   * up and nothing moved, re-rendering the changed boxes alone gives the same screen as a full render.
   */
  private flush(): void {
    // A chart sits over the table's box: redrawing that box alone would paint over it.
    const overlayUp = this.killDialog.visible || this.help.visible || this.tooSmall.visible || this.chartShown();
    if (this.structureChanged || overlayUp) {
      // Anything may have drawn over the rows (a moved box, an overlay): every row is written again.
      for (const lines of this.lineBoxes) lines.invalidate();
      this.screen.render();
    } else if (this.changed.size > 0) {
      for (const box of this.changed) box.render();
      this.screen.draw(0, Number(this.screen.height) - 1);
    }
    this.structureChanged = false;
    this.changed.clear();
  }

  private chartShown(): boolean {
    return this.chart.visible;
  }

  private allBoxes(): Box[] {
    return [...this.lineBoxes.map((lines) => lines.element), this.killDialog, this.help];
  }

  private setVisible(box: Box, visible: boolean): void {
    if (box.visible === visible) return;
    if (visible) box.show();
    else box.hide();
    this.structureChanged = true;
  }

  private draw(box: LineBox, rect: Rect, lines: readonly string[]): void {
    this.place(box.element, rect);
    if (box.setLines(lines)) this.changed.add(box);
  }

  private place(box: Box, rect: Partial<Rect>): void {
    for (const side of ['top', 'left', 'width', 'height'] as const) {
      const value = rect[side];
      if (value !== undefined && box[side] !== value) {
        box[side] = value;
        this.structureChanged = true;
      }
    }
  }

  private setContent(box: Box, content: string): void {
    if (this.drawn.get(box) === content) return;
    this.drawn.set(box, content);
    box.setContent(content);
  }
}
