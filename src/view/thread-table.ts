import type { ThreadPanel } from '../model/dashboard-state.js';
import { formatPercent, formatRate } from '../model/format.js';
import type { ThreadSample } from '../model/types.js';
import { toPrintable } from '../model/untrusted-text.js';
import type { Theme } from './theme.js';
import { cell, clipToWidth, displayWidth, escapeTags, fitToWidth } from './text-fit.js';

const THREAD_COLUMNS: {
  title: string;
  width: number;
  align: 'left' | 'right';
  text: (thread: ThreadSample) => string;
}[] = [
  { title: 'TID', width: 7, align: 'right', text: (thread) => String(thread.tid) },
  { title: 'S', width: 1, align: 'left', text: (thread) => thread.state },
  { title: 'CPU%', width: 6, align: 'right', text: (thread) => formatPercent(thread.cpu) },
  {
    title: 'CORE',
    width: 4,
    align: 'right',
    text: (thread) => (thread.lastCpu === null ? '-' : String(thread.lastCpu)),
  },
  { title: 'WAIT%', width: 5, align: 'right', text: (thread) => formatPercent(thread.waitPercent) },
  // Blocked (a lock, I/O, sleep) against preempted (it wanted the core): the lecture's two kinds of waiting.
  { title: 'VCSW', width: 5, align: 'right', text: (thread) => formatRate(thread.ctxVoluntaryPerSecond) },
  { title: 'ICSW', width: 5, align: 'right', text: (thread) => formatRate(thread.ctxInvoluntaryPerSecond) },
  { title: 'MIGR', width: 5, align: 'right', text: (thread) => formatRate(thread.migrationsPerSecond) },
  { title: 'TIME', width: 8, align: 'right', text: (thread) => `${thread.cpuSeconds.toFixed(1)}s` },
  { title: 'NAME', width: 0, align: 'left', text: (thread) => toPrintable(thread.name) },
];

function fitColumns(values: string[], width: number): string {
  let used = 0;
  return THREAD_COLUMNS.map((column, index) => {
    const columnWidth = column.width > 0 ? column.width : Math.max(0, width - used);
    used += columnWidth + 1;
    return fitToWidth(values[index] ?? '', columnWidth, column.align);
  }).join(' ');
}

/** Column titles, and on the right which process these threads belong to (its name clipped first). */
export function threadHeaderLine(panel: ThreadPanel, width: number, theme: Theme): string {
  const fixed = THREAD_COLUMNS.reduce((sum, column) => sum + column.width + 1, 0);
  const room = Math.max(0, width - fixed - 4);
  const name = toPrintable(panel.name);
  const full = ` threads of PID ${panel.pid} ${name} · Esc back `;
  const short = ` PID ${panel.pid} · Esc back `;
  let context = short;
  if (displayWidth(full) <= room) context = full;
  else if (displayWidth(short) < room) {
    const head = ` PID ${panel.pid} `;
    context = `${head}${clipToWidth(name, room - displayWidth(short) - 1)} · Esc back `;
  }
  const contextWidth = Math.min(displayWidth(context), room);
  const titles = fitColumns(
    THREAD_COLUMNS.map((column) => column.title),
    width - contextWidth,
  );
  return theme.paint(escapeTags(titles), 'table-header') + theme.paint(cell(context, contextWidth), 'sorted-header');
}

export function threadBodyLines(
  panel: ThreadPanel,
  threads: readonly ThreadSample[],
  height: number,
  width: number,
  theme: Theme,
  highlighted: ReadonlySet<number> = new Set(),
): string[] {
  if (panel.exited) return [escapeTags(`PID ${panel.pid} has exited. Esc goes back to the process list.`)];
  if (panel.threads === null) return [escapeTags('reading threads…')];
  return threads.slice(panel.cursor.scrollTop, panel.cursor.scrollTop + height).map((thread) => {
    const text = escapeTags(
      fitColumns(
        THREAD_COLUMNS.map((column) => column.text(thread)),
        width,
      ),
    );
    if (thread.tid === panel.cursor.selectedId) return theme.paint(text, 'selected');
    return highlighted.has(thread.tid) ? theme.paint(text, 'highlight') : text;
  });
}
