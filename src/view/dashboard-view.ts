import type { Widgets } from 'blessed';
import { box } from './blessed-parts.js';
import type { DashboardState } from '../model/dashboard-state.js';
import { FRAME_PARTS, type Frame, FrameComposer, type FramePartName } from './frame.js';
import { LineBox } from './line-box.js';
import type { Rect } from '../model/screen-layout.js';
import { ResultChartView } from './result-chart.js';
import type { Theme } from './theme.js';

type Box = Widgets.BoxElement;

/**
 * The widgets, and how a state becomes their content. Draws only what changed: a box whose text and
 * place are unchanged is neither re-parsed nor re-rendered, and the terminal gets only changed lines.
 */
export class DashboardView {
  private readonly lineBoxes: Record<FramePartName, LineBox>;
  private readonly killDialog: Box;
  private readonly affinityDialog: Box;
  private readonly help: Box;
  private readonly tooSmall: Box;
  private readonly drawn = new Map<Box, string>();
  private readonly composer: FrameComposer;
  private readonly chart: ResultChartView;
  /** Line boxes whose text changed since the last frame (the overlays are drawn by full renders). */
  private changed = new Set<LineBox>();
  /** Something moved, appeared or vanished: the next frame redraws everything. */
  private structureChanged = true;

  constructor(
    private readonly screen: Widgets.Screen,
    private readonly theme: Theme,
  ) {
    this.composer = new FrameComposer(theme);
    this.lineBoxes = Object.fromEntries(FRAME_PARTS.map((name) => [name, new LineBox(screen)])) as Record<
      FramePartName,
      LineBox
    >;
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
    this.affinityDialog = overlay(' Pin to cores ');
    this.help = overlay(' Help ');
    this.tooSmall = box({ parent: screen, tags: true, hidden: true, top: 0, left: 0, width: '100%', height: '100%' });
    this.chart = new ResultChartView(screen);
  }

  /** The next frame redraws the whole screen (after a resize, blessed has already cleared it). */
  invalidate(): void {
    this.structureChanged = true;
  }

  render(state: DashboardState): void {
    this.apply(this.composer.compose(state));
    this.flush();
  }

  /** Make the widgets show the frame, noting what changed. */
  private apply(frame: Frame): void {
    this.setVisible(this.tooSmall, frame.tooSmall !== null);
    if (frame.tooSmall !== null) this.setContent(this.tooSmall, frame.tooSmall);
    for (const name of FRAME_PARTS) {
      const lines = this.lineBoxes[name];
      const part = frame.parts[name];
      this.setVisible(lines.element, part !== undefined);
      if (part) this.draw(lines, part.rect, part.lines);
    }
    const changedChart = frame.chart
      ? this.chart.show(frame.chart.chart, frame.chart.rect, this.theme.colour)
      : this.chart.hide();
    if (changedChart) this.structureChanged = true;
    const overlay = frame.overlay;
    for (const [widget, kind] of [
      [this.killDialog, 'kill'],
      [this.affinityDialog, 'affinity'],
      [this.help, 'help'],
    ] as const) {
      const shown = overlay?.kind === kind;
      this.setVisible(widget, shown);
      if (shown) {
        this.place(widget, { width: overlay.width, height: overlay.height });
        this.setContent(widget, overlay.lines.join('\n'));
      }
    }
  }

  /**
   * Put the frame on the terminal. Boxes never overlap except the overlays, so while no overlay is
   * up and nothing moved, re-rendering the changed boxes alone gives the same screen as a full render.
   */
  private flush(): void {
    // A chart sits over the table's box: redrawing that box alone would paint over it.
    const overlayUp =
      this.killDialog.visible ||
      this.affinityDialog.visible ||
      this.help.visible ||
      this.tooSmall.visible ||
      this.chart.visible;
    if (this.structureChanged || overlayUp) {
      // Anything may have drawn over the rows (a moved box, an overlay): every row is written again.
      for (const lines of Object.values(this.lineBoxes)) lines.invalidate();
      this.screen.render();
    } else if (this.changed.size > 0) {
      for (const box of this.changed) box.render();
      this.screen.draw(0, Number(this.screen.height) - 1);
    }
    this.structureChanged = false;
    this.changed.clear();
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
