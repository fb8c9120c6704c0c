import { createRequire } from 'node:module';
import type { Widgets } from 'blessed';
import { box } from './blessed-parts.js';
import type { ResultChart } from '../model/lab-types.js';
import type { Rect } from '../model/screen-layout.js';
import { escapeTags } from './text-fit.js';

interface ChartWidget extends Widgets.BoxElement {
  setData(data: unknown): void;
}

type ChartFactory = (options: Record<string, unknown>) => ChartWidget;

/** blessed-contrib's chart widgets, loaded one by one on first use (not the whole library). */
const require = createRequire(import.meta.url);
const factories: Partial<Record<ResultChart['kind'], ChartFactory>> = {};
function factory(kind: ResultChart['kind']): ChartFactory {
  factories[kind] ??= require(
    kind === 'bar' ? 'blessed-contrib/lib/widget/charts/bar' : 'blessed-contrib/lib/widget/charts/line',
  ) as ChartFactory;
  return factories[kind];
}

/** One chart box: a title, the labels under its bars (or along x), and the series drawn in it. */
export interface ChartPanel {
  title: string;
  labels: string[];
  series: { title: string; values: number[]; colour: string }[];
  rect: Rect;
  /** Bars only: bar width and the distance from one bar to the next. */
  barWidth: number;
  barSpacing: number;
}

export interface ChartLayout {
  panels: ChartPanel[];
  /** Lines under the panels (blessed tags), when labels had to be replaced by letters or lines need naming. */
  key: string[];
}

/** Colours of overlaid lines, in order. */
const LINE_COLOURS = ['yellow', 'cyan', 'magenta', 'green'];
/** Lines are drawn in one box only if their sizes are comparable; otherwise the smaller would lie flat. */
const OVERLAY_RATIO = 4;
const BAR_X_OFFSET = 2;
/** contrib draws a bar's label and value one column in; keep a column free before the next. */
const LABEL_GAP = 2;
/** The key never takes more rows than this; the chart needs the rest. */
const MAX_KEY_ROWS = 3;
/** What paratop passes contrib's line chart; marks are placed with the same figures. */
const LINE_X_LABEL_PADDING = 2;
const LINE_X_PADDING = 3;

/**
 * The column, counted from a line panel's left edge, under x point `index` of `count`: where
 * blessed-contrib's line chart draws it (its getXPixel: braille pixels, two per column, after the
 * border, with the y labels' width as padding, which depends on the largest value).
 */
export function lineChartColumn(index: number, count: number, panelWidth: number, largest: number): number {
  const canvasWidth = panelWidth * 2 - 12;
  const maxY = largest * 1.2;
  const yLabel = maxY.toFixed(maxY / 5 < 1 && maxY !== 0 ? 2 : 0);
  const xPadding = Math.max(LINE_X_PADDING, LINE_X_LABEL_PADDING, yLabel.length * 2);
  const pixel = ((canvasWidth - xPadding) / Math.max(1, count)) * index + xPadding + 2;
  return 1 + Math.floor(pixel / 2);
}

/**
 * A row of marks under a line chart, each "^" under its point with its text after it: the reported
 * cache sizes under the latency ladder, say. A mark that would run into the one before is moved
 * right, and one with no room left is dropped. Plain text.
 */
export function markRow(chart: ResultChart, width: number): string {
  const largest = Math.max(0, ...chart.series.flatMap((series) => series.values));
  let row = '';
  for (const mark of [...(chart.marks ?? [])].sort((a, b) => a.index - b.index)) {
    const text = `^${mark.text}`;
    const column = Math.max(
      lineChartColumn(mark.index, chart.labels.length, width, largest),
      row.length + (row.length > 0 ? 1 : 0),
    );
    if (column + text.length > width) break;
    row = row.padEnd(column) + text;
  }
  return row;
}

function overlay(chart: ResultChart, colour: boolean): boolean {
  if (chart.kind === 'bar' || chart.series.length < 2 || !colour) return chart.series.length < 2;
  const peaks = chart.series.map((series) => Math.max(0, ...series.values.map(Math.abs)));
  const [low, high] = [Math.min(...peaks), Math.max(...peaks)];
  return high === 0 || (low > 0 && high / low <= OVERLAY_RATIO);
}

/**
 * Where each part of a chart goes, and what its labels say. Pure. A bar widget draws one series, so
 * each series gets a panel of its own, side by side; lines share a panel when their scales allow.
 * Labels too long for their bars are replaced by letters, spelt out in the key line.
 */
export function chartLayout(chart: ResultChart, rect: Rect, colour: boolean): ChartLayout {
  const together = overlay(chart, colour);
  const groups = together ? [chart.series] : chart.series.map((series) => [series]);
  const count = Math.max(1, groups.length);
  const panelWidth = Math.floor(rect.width / count);
  const bars = chart.labels.length;
  // Canvas: the panel less its border (2) and contrib's own margin (2).
  const spacing = Math.max(4, Math.floor((panelWidth - 4 - BAR_X_OFFSET) / Math.max(1, bars)));
  const barWidth = Math.max(1, Math.min(12, spacing - 3));
  const fits = chart.kind === 'line' || chart.labels.every((label) => label.length <= spacing - LABEL_GAP);
  const labels = fits ? chart.labels : chart.labels.map((_, index) => letter(index));
  // Key items as [text on screen, its width]: tags take no room.
  const items: [string, number][] = [];
  if (!fits)
    for (const [index, label] of chart.labels.entries())
      items.push([`${letter(index)} ${escapeTags(label)}`, label.length + 2]);
  if (together && chart.kind === 'line' && chart.series.length > 1) {
    for (const [index, series] of chart.series.entries())
      items.push([
        `${colour ? `{${lineColour(index)}-fg}──{/}` : '──'} ${escapeTags(series.title)}`,
        series.title.length + 3,
      ]);
  }
  const marks =
    chart.kind === 'line' && groups.length === 1 && (chart.marks?.length ?? 0) > 0
      ? [escapeTags(markRow(chart, rect.width))]
      : [];
  const key = [...marks, ...wrapItems(items, rect.width)].slice(0, MAX_KEY_ROWS);
  const height = rect.height - key.length;
  const panels = groups.map((group, index) => ({
    title: groups.length === 1 ? chart.title : (group[0]?.title ?? ''),
    labels,
    series: group.map((series) => ({ ...series, colour: colour ? lineColour(chart.series.indexOf(series)) : 'white' })),
    rect: {
      top: rect.top,
      left: rect.left + index * panelWidth,
      width: index === count - 1 ? rect.width - index * panelWidth : panelWidth,
      height,
    },
    barWidth,
    barSpacing: spacing,
  }));
  return { panels, key };
}

/** Items on as few lines of `width` as they fit, separated by " · ". */
function wrapItems(items: readonly [string, number][], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const [text, size] of items) {
    if (used > 0 && used + 3 + size > width) {
      lines.push(line);
      line = '';
      used = 0;
    }
    line += used > 0 ? ` · ${text}` : text;
    used += (used > 0 ? 3 : 0) + size;
  }
  if (used > 0) lines.push(line);
  return lines;
}

function letter(index: number): string {
  return String.fromCharCode(65 + (index % 26));
}

function lineColour(index: number): string {
  return LINE_COLOURS[index % LINE_COLOURS.length] ?? 'white';
}

/**
 * The last experiment's chart, drawn by blessed-contrib in the given place: one or more panels and
 * a key line. Rebuilt whenever the chart or its place changes (contrib's canvas is sized once, when
 * attached).
 */
export class ResultChartView {
  private widgets: Widgets.BoxElement[] = [];
  private shown: { chart: ResultChart; rect: Rect; colour: boolean } | null = null;

  constructor(private readonly screen: Widgets.Screen) {}

  /** Show `chart` in `rect`; true when something changed on screen. */
  show(chart: ResultChart, rect: Rect, colour: boolean): boolean {
    const same =
      this.shown && this.shown.chart === chart && this.shown.colour === colour && sameRect(this.shown.rect, rect);
    if (same) return false;
    this.hide();
    try {
      const layout = chartLayout(chart, rect, colour);
      for (const panel of layout.panels) {
        if (chart.kind === 'bar') this.bar(panel, colour);
        else this.line(panel, colour);
      }
      if (layout.key.length > 0) {
        const rows = layout.key.length;
        this.attach(
          box({
            top: rect.top + rect.height - rows,
            left: rect.left,
            width: rect.width,
            height: rows,
            tags: true,
            content: layout.key.join('\n'),
          }),
        );
      }
    } catch {
      // A chart is a nicety: if the chart library fails, the table above still tells everything.
      this.hide();
      return true;
    }
    this.shown = { chart, rect, colour };
    return true;
  }

  get visible(): boolean {
    return this.widgets.length > 0;
  }

  /** Remove the chart; true when there was one. */
  hide(): boolean {
    if (this.widgets.length === 0) return false;
    for (const widget of this.widgets) widget.destroy();
    this.widgets = [];
    this.shown = null;
    return true;
  }

  /** contrib sizes its canvas when the widget is attached, so it must be appended, not given a parent. */
  private attach<T extends Widgets.BoxElement>(widget: T): T {
    this.widgets.push(widget);
    this.screen.append(widget);
    return widget;
  }

  private bar(panel: ChartPanel, colour: boolean): void {
    const values = panel.series[0]?.values ?? [];
    const widget = this.attach(
      factory('bar')({
        ...panel.rect,
        label: ` ${panel.title} `,
        border: { type: 'line' },
        barWidth: panel.barWidth,
        barSpacing: panel.barSpacing,
        xOffset: BAR_X_OFFSET,
        maxHeight: Math.max(...values, 0),
        barBgColor: colour ? 'cyan' : 'white',
        barFgColor: 'black',
        labelColor: colour ? 'cyan' : 'white',
      }),
    );
    widget.setData({ titles: panel.labels, data: values.map((value) => Math.round(value * 100) / 100) });
  }

  private line(panel: ChartPanel, colour: boolean): void {
    const widget = this.attach(
      factory('line')({
        ...panel.rect,
        label: ` ${panel.title} `,
        border: { type: 'line' },
        showLegend: false,
        xLabelPadding: LINE_X_LABEL_PADDING,
        xPadding: LINE_X_PADDING,
        wholeNumbersOnly: false,
        style: { line: colour ? 'yellow' : 'white', text: colour ? 'green' : 'white', baseline: 'white' },
      }),
    );
    widget.setData(
      panel.series.map((series) => ({
        title: series.title,
        x: panel.labels,
        y: series.values,
        style: { line: series.colour },
      })),
    );
  }
}

function sameRect(a: Rect, b: Rect): boolean {
  return a.top === b.top && a.left === b.left && a.width === b.width && a.height === b.height;
}
