import { createRequire } from 'node:module';
import type blessed from 'blessed';
import type { ResultChart } from '../model/lab-types.js';
import type { Rect } from './layout.js';

interface ChartWidget extends blessed.Widgets.BoxElement {
  setData(data: unknown): void;
}

type ChartFactory = (options: Record<string, unknown>) => ChartWidget;

/** blessed-contrib's chart widgets, loaded one by one on first use (not the whole library). */
const require = createRequire(import.meta.url);
const factories: Partial<Record<ResultChart['kind'], ChartFactory>> = {};
function factory(kind: ResultChart['kind']): ChartFactory {
  factories[kind] ??= require(kind === 'bar' ? 'blessed-contrib/lib/widget/charts/bar' : 'blessed-contrib/lib/widget/charts/line') as ChartFactory;
  return factories[kind];
}

/**
 * One chart of the last experiment's figures, drawn by blessed-contrib in the given place. It is
 * rebuilt whenever the chart or its place changes (contrib's canvas is sized once, when attached).
 */
export class ResultChartView {
  private widget: ChartWidget | null = null;
  private shown: { chart: ResultChart; rect: Rect; colour: boolean } | null = null;

  constructor(private readonly screen: blessed.Widgets.Screen) {}

  /** Show `chart` in `rect`; true when something changed on screen. */
  show(chart: ResultChart, rect: Rect, colour: boolean): boolean {
    const same = this.shown && this.shown.chart === chart && this.shown.colour === colour && sameRect(this.shown.rect, rect);
    if (same) return false;
    this.hide();
    try {
      this.widget = chart.kind === 'bar' ? this.bar(chart, rect, colour) : this.line(chart, rect, colour);
    } catch {
      // A chart is a nicety: if the chart library fails, the table above still tells everything.
      this.hide();
      return true;
    }
    this.shown = { chart, rect, colour };
    return true;
  }

  get visible(): boolean {
    return this.widget !== null;
  }

  /** Remove the chart; true when there was one. */
  hide(): boolean {
    if (!this.widget) return false;
    this.widget.destroy();
    this.widget = null;
    this.shown = null;
    return true;
  }

  /** contrib sizes its canvas when the widget is attached, so it must be appended, not given a parent. */
  private attach(widget: ChartWidget): ChartWidget {
    this.widget = widget;
    this.screen.append(widget);
    return widget;
  }

  private bar(chart: ResultChart, rect: Rect, colour: boolean): ChartWidget {
    const values = chart.series[0]?.values ?? [];
    const barWidth = Math.max(4, Math.min(12, Math.floor((rect.width - 6) / Math.max(1, values.length)) - 3));
    const widget = this.attach(factory('bar')({
      ...rect,
      label: ` ${chart.title} `,
      border: { type: 'line' },
      barWidth,
      barSpacing: barWidth + 3,
      xOffset: 2,
      maxHeight: Math.max(...values, 0),
      barBgColor: colour ? 'cyan' : 'white',
      barFgColor: 'black',
      labelColor: colour ? 'cyan' : 'white',
    }));
    // Bar titles are clipped to the bar's width; keep the start of each label.
    widget.setData({ titles: chart.labels.map((label) => label.slice(0, barWidth)), data: values.map((value) => Math.round(value * 100) / 100) });
    return widget;
  }

  private line(chart: ResultChart, rect: Rect, colour: boolean): ChartWidget {
    const widget = this.attach(factory('line')({
      ...rect,
      label: ` ${chart.title} `,
      border: { type: 'line' },
      showLegend: false,
      xLabelPadding: 2,
      xPadding: 3,
      wholeNumbersOnly: false,
      style: { line: colour ? 'yellow' : 'white', text: colour ? 'green' : 'white', baseline: 'white' },
    }));
    widget.setData(chart.series.map((series) => ({ title: series.title, x: chart.labels, y: series.values })));
    return widget;
  }
}

function sameRect(a: Rect, b: Rect): boolean {
  return a.top === b.top && a.left === b.left && a.width === b.width && a.height === b.height;
}
