import blessed from 'blessed';
import { labHighlights, processRows, threadRows } from '../model/dashboard-selectors.js';
import type { DashboardState } from '../model/dashboard-state.js';
import { coreMeterLines } from './core-meters.js';
import { footerLine } from './footer.js';
import { factsLine, headerLine } from './header.js';
import { helpLines } from './help.js';
import { labPanelLines } from './lab-panel.js';
import { KILL_DIALOG_HEIGHT, KILL_DIALOG_WIDTH, killDialogLines } from './kill-dialog.js';
import { type DashboardLayout, MIN_COLS, MIN_ROWS, type Rect, layoutFor } from './layout.js';
import { memoryLines } from './memory-meters.js';
import { processBodyLines, processHeaderLine } from './process-table.js';
import { escapeTags } from './text-fit.js';
import type { Theme } from './theme.js';
import { threadBodyLines, threadHeaderLine } from './thread-table.js';

type Box = blessed.Widgets.BoxElement;

/**
 * The widgets, and how a state becomes their content. Holds no data of its own beyond what it last
 * drew, so unchanged boxes are not re-parsed.
 */
export class DashboardView {
  private readonly header: Box;
  private readonly facts: Box;
  private readonly cores: Box;
  private readonly memory: Box;
  private readonly tableHeader: Box;
  private readonly tableBody: Box;
  private readonly footer: Box;
  private readonly lab: Box;
  private readonly killDialog: Box;
  private readonly help: Box;
  private readonly tooSmall: Box;
  private readonly drawn = new Map<Box, string>();

  constructor(
    private readonly screen: blessed.Widgets.Screen,
    private readonly theme: Theme,
  ) {
    const plain = (): Box => blessed.box({ parent: screen, tags: true, wrap: false, top: 0, left: 0, width: 1, height: 1 });
    this.header = plain();
    this.facts = plain();
    this.cores = plain();
    this.memory = plain();
    this.tableHeader = plain();
    this.tableBody = plain();
    this.footer = plain();
    this.lab = plain();
    const overlay = (label: string): Box =>
      blessed.box({
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
    this.tooSmall = blessed.box({ parent: screen, tags: true, hidden: true, top: 0, left: 0, width: '100%', height: '100%' });
  }

  render(state: DashboardState): void {
    const { cols, rows } = state.size;
    const layout = layoutFor(state);
    if (layout.tooSmall) {
      for (const box of this.allBoxes()) box.hide();
      this.tooSmall.show();
      this.setContent(
        this.tooSmall,
        escapeTags(`Terminal too small: ${cols}x${rows}.\nparatop needs at least ${MIN_COLS}x${MIN_ROWS}.\nEnlarge the window, or press q to quit.`),
      );
      this.screen.render();
      return;
    }
    this.tooSmall.hide();
    for (const box of [this.header, this.facts, this.cores, this.memory, this.tableHeader, this.tableBody, this.footer]) box.show();

    this.draw(this.header, layout.header, headerLine(state, cols, this.theme));
    this.draw(this.facts, layout.facts, factsLine(state, cols, this.theme));
    this.draw(
      this.cores,
      layout.cores,
      coreMeterLines(state.coreIds, state.system?.cores ?? null, state.coreHistory, layout.coreGrid, this.theme).join('\n'),
    );
    this.draw(this.memory, layout.memory, memoryLines(state.system?.memory ?? null, state.processes, layout.memory.width, this.theme).join('\n'));
    this.drawTable(state, layout);
    if (layout.lab) {
      this.lab.show();
      this.draw(this.lab, layout.lab, labPanelLines(state.lab, layout.lab.width, layout.lab.height, this.theme).join('\n'));
    } else {
      this.lab.hide();
    }
    this.draw(this.footer, layout.footer, footerLine(state, cols, this.theme));
    this.drawOverlays(state);
    this.screen.render();
  }

  private drawTable(state: DashboardState, layout: DashboardLayout): void {
    const { width, height } = layout.tableBody;
    const panel = state.threadPanel;
    const highlights = labHighlights(state);
    if (panel) {
      this.draw(this.tableHeader, layout.tableHeader, threadHeaderLine(panel, width, this.theme));
      this.draw(this.tableBody, layout.tableBody, threadBodyLines(panel, threadRows(state), height, width, this.theme, highlights.tids).join('\n'));
      return;
    }
    this.draw(this.tableHeader, layout.tableHeader, processHeaderLine(state, width, this.theme));
    const { selectedId, scrollTop } = state.cursor;
    const lines = processBodyLines(processRows(state), selectedId, scrollTop, height, width, this.theme, highlights.pids);
    if (lines.length === 0 && state.processes.length > 0) lines.push(escapeTags('No process matches the filter. Esc clears it.'));
    this.draw(this.tableBody, layout.tableBody, lines.join('\n'));
  }

  private drawOverlays(state: DashboardState): void {
    const mode = state.mode;
    if (mode.kind === 'kill') {
      this.killDialog.show();
      this.place(this.killDialog, { width: KILL_DIALOG_WIDTH, height: KILL_DIALOG_HEIGHT });
      this.setContent(this.killDialog, killDialogLines(mode.target, mode.signalIndex, this.theme).join('\n'));
    } else {
      this.killDialog.hide();
    }
    if (mode.kind === 'help') {
      const width = Math.min(state.size.cols - 2, 96);
      const lines = helpLines(width - 4, state.size.rows - 2, this.theme);
      this.help.show();
      this.place(this.help, { width, height: Math.min(state.size.rows, lines.length + 2) });
      this.setContent(this.help, lines.join('\n'));
    } else {
      this.help.hide();
    }
  }

  private allBoxes(): Box[] {
    return [this.header, this.facts, this.cores, this.memory, this.tableHeader, this.tableBody, this.footer, this.lab, this.killDialog, this.help];
  }

  private draw(box: Box, rect: Rect, content: string): void {
    this.place(box, rect);
    this.setContent(box, content);
  }

  private place(box: Box, rect: Partial<Rect>): void {
    if (rect.top !== undefined && box.top !== rect.top) box.top = rect.top;
    if (rect.left !== undefined && box.left !== rect.left) box.left = rect.left;
    if (rect.width !== undefined && box.width !== rect.width) box.width = rect.width;
    if (rect.height !== undefined && box.height !== rect.height) box.height = rect.height;
  }

  private setContent(box: Box, content: string): void {
    if (this.drawn.get(box) === content) return;
    this.drawn.set(box, content);
    box.setContent(content);
  }
}
