import { labHighlights, processRows, tableColumns, threadRows } from '../model/dashboard-selectors.js';
import type { DashboardState } from '../model/dashboard-state.js';
import type { ResultChart } from '../model/lab-types.js';
import { type DashboardLayout, MIN_COLS, MIN_ROWS, type Rect, helpBox, layoutFor } from '../model/screen-layout.js';
import { coreMapHeaderLine, coreMapLines } from './core-map-view.js';
import { coreMeterLines } from './core-meters.js';
import { footerLine } from './footer.js';
import { factsLine, headerLine } from './header.js';
import { helpLines } from './help.js';
import { hostDetailLines, hostsBodyLines, hostsHeaderLine } from './hosts-view.js';
import { openHost } from '../model/hosts-state.js';
import { AFFINITY_DIALOG_WIDTH, affinityDialogHeight, affinityDialogLines } from './affinity-dialog.js';
import { KILL_DIALOG_HEIGHT, KILL_DIALOG_WIDTH, killDialogLines } from './kill-dialog.js';
import { labPanelLines } from './lab-panel.js';
import { memoryLines } from './memory-meters.js';
import { gpuMeterLines } from './gpu-meters.js';
import { outputLines } from './output-view.js';
import { processBodyLines, processHeaderLine } from './process-table.js';
import { placeResults } from './results-view.js';
import { escapeTags } from './text-fit.js';
import type { Theme } from './theme.js';
import { threadBodyLines, threadHeaderLine } from './thread-table.js';

/** The dashboard's parts that are lines of tagged text in a fixed place, top to bottom. */
export const FRAME_PARTS = [
  'header',
  'facts',
  'cores',
  'memory',
  'gpus',
  'tableHeader',
  'tableBody',
  'footer',
  'lab',
] as const;
export type FramePartName = (typeof FRAME_PARTS)[number];

export interface FramePart {
  rect: Rect;
  /** Tagged text (blessed's tags), one string per row. */
  lines: string[];
}

/** A bordered box in the middle of the screen, over everything else. */
export interface FrameOverlay {
  kind: 'kill' | 'affinity' | 'help';
  label: string;
  width: number;
  height: number;
  lines: string[];
}

/** One whole screen, as data: what the view puts where. */
export interface Frame {
  /** When the terminal is too small, this text alone fills it. */
  tooSmall: string | null;
  /** A part absent from the map is hidden (the lab panel when it has no room). */
  parts: Partial<Record<FramePartName, FramePart>>;
  /** The last experiment's chart, drawn by blessed-contrib over the table's box. */
  chart: { chart: ResultChart; rect: Rect } | null;
  overlay: FrameOverlay | null;
}

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
 * State in, a frame out: which text goes where. Pure apart from its memos, which only skip
 * recomputing parts whose inputs are the same objects as last time (between process scans the
 * table's rows are), so a composer gives the same frame for the same state as a fresh one.
 */
export class FrameComposer {
  private readonly factsMemo = new Memo<string>();
  private readonly labMemo = new Memo<string[]>();
  private readonly tableMemo = new Memo<string[]>();

  constructor(private readonly theme: Theme) {}

  compose(state: DashboardState): Frame {
    const layout = layoutFor(state);
    if (layout.tooSmall) {
      const { cols, rows } = state.size;
      const text =
        `Terminal too small: ${cols}x${rows}.\nparatop needs at least ` +
        `${MIN_COLS}x${MIN_ROWS}.\nEnlarge the window, or press q to quit.`;
      return { tooSmall: escapeTags(text), parts: {}, chart: null, overlay: null };
    }
    return this.dashboard(state, layout);
  }

  private dashboard(state: DashboardState, layout: DashboardLayout): Frame {
    const { theme } = this;
    const { cols } = state.size;
    const parts: Frame['parts'] = {
      header: { rect: layout.header, lines: [headerLine(state, cols, theme)] },
      facts: {
        rect: layout.facts,
        lines: [this.factsMemo.get([state.facts, state.factsFailed, cols], () => factsLine(state, cols, theme))],
      },
      cores: {
        rect: layout.cores,
        lines: coreMeterLines(state.coreIds, state.system?.cores ?? null, state.coreHistory, layout.coreGrid, theme),
      },
      memory: {
        rect: layout.memory,
        lines: memoryLines(state.system?.memory ?? null, state.processes, layout.memory.width, theme),
      },
      footer: { rect: layout.footer, lines: [footerLine(state, cols, theme)] },
    };
    const gpuRect = layout.gpus;
    if (gpuRect)
      parts.gpus = {
        rect: gpuRect,
        lines: gpuMeterLines(state.gpus, state.gpuHistory, gpuRect.width, gpuRect.height, theme),
      };
    const labRect = layout.lab;
    if (labRect) {
      const lines = this.labMemo.get([state.lab, labRect.width, labRect.height], () =>
        labPanelLines(state.lab, labRect.width, labRect.height, theme),
      );
      parts.lab = { rect: labRect, lines };
    }
    const table = this.table(state, layout);
    parts.tableHeader = { rect: layout.tableHeader, lines: [table.title] };
    parts.tableBody = { rect: layout.tableBody, lines: table.lines };
    return { tooSmall: null, parts, chart: table.chart, overlay: this.overlay(state) };
  }

  /** The table's area: the output, the results, a process's threads, or the process list. */
  private table(
    state: DashboardState,
    layout: DashboardLayout,
  ): { title: string; lines: string[]; chart: Frame['chart'] } {
    const { theme } = this;
    const { width, height, top, left } = layout.tableBody;
    const hosts = state.hosts;
    if (hosts?.shown) {
      const host = openHost(hosts);
      const lines = host
        ? hostDetailLines(host, hosts, width, height, theme)
        : hostsBodyLines(hosts, width, height, theme, state.lab.run?.workerHosts ?? []);
      return { title: hostsHeaderLine(hosts, width, theme), lines, chart: null };
    }
    const map = state.coreMap;
    if (map) {
      const lines = coreMapLines(map, state.system?.cores ?? null, width, height, theme);
      return { title: coreMapHeaderLine(map, state.lab.run !== null, width, theme), lines, chart: null };
    }
    const output = state.lab.output;
    if (state.outputOpen && output) {
      const [title = '', ...lines] = outputLines(output, width, height, state.outputScroll, theme);
      return { title, lines, chart: null };
    }
    const result = state.lab.result;
    if (state.resultsOpen && result) {
      const placed = placeResults(result, width, height, theme);
      const chart =
        placed.chart && result.chart
          ? {
              chart: result.chart,
              rect: { ...placed.chart, top: top + placed.chart.top, left: left + placed.chart.left },
            }
          : null;
      return { title: placed.title, lines: placed.lines, chart };
    }
    const highlights = labHighlights(state);
    const panel = state.threadPanel;
    if (panel) {
      const lines = threadBodyLines(panel, threadRows(state), height, width, theme, highlights.tids);
      return { title: threadHeaderLine(panel, width, theme), lines, chart: null };
    }
    const { selectedId, scrollTop } = state.cursor;
    const rows = processRows(state);
    const columns = tableColumns(state);
    // Between process scans (the meters tick more often) the rows are the same objects: no work.
    const lines = this.tableMemo.get(
      [rows, state.processes.length, selectedId, scrollTop, height, width, highlights.pids, columns],
      () => {
        const body = processBodyLines(rows, selectedId, scrollTop, height, width, theme, highlights.pids, columns);
        if (body.length === 0 && state.processes.length > 0)
          body.push(escapeTags('No process matches the filter. Esc clears it.'));
        return body;
      },
    );
    return { title: processHeaderLine(state, width, theme, columns), lines, chart: null };
  }

  private overlay(state: DashboardState): FrameOverlay | null {
    const mode = state.mode;
    if (mode.kind === 'kill') {
      const lines = killDialogLines(mode.target, mode.signalIndex, this.theme);
      return { kind: 'kill', label: ' Send a signal ', width: KILL_DIALOG_WIDTH, height: KILL_DIALOG_HEIGHT, lines };
    }
    if (mode.kind === 'affinity') {
      const rows = state.size.rows;
      const lines = affinityDialogLines(mode, rows, this.theme);
      const height = affinityDialogHeight(mode, rows);
      return { kind: 'affinity', label: ' Pin to cores ', width: AFFINITY_DIALOG_WIDTH, height, lines };
    }
    if (mode.kind === 'help') {
      const box = helpBox(state.size.cols, state.size.rows);
      const lines = helpLines(box.textWidth, box.textHeight, mode.scroll, this.theme, state.settingsLabel);
      return { kind: 'help', label: ' Help ', width: box.width, height: Math.min(box.height, lines.length + 2), lines };
    }
    return null;
  }
}
