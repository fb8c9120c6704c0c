import type { ProcessSample } from './types.js';

export type ColumnKey =
  | 'pid'
  | 'user'
  | 'cpu'
  | 'mem'
  | 'rss'
  | 'threads'
  | 'state'
  | 'core'
  | 'wait'
  | 'ctxsw'
  | 'gpu'
  | 'gmem'
  | 'command';

export interface Column {
  key: ColumnKey;
  title: string;
  /** Cell width in characters; 0 means "the rest of the line". */
  width: number;
  align: 'left' | 'right';
  /** The natural first direction when the user picks this column: biggest first for figures. */
  descendingFirst: boolean;
  compare: (a: ProcessSample, b: ProcessSample) => number;
}

/** Nulls (not measured yet) sort below every real figure. */
const byNumber =
  (value: (process: ProcessSample) => number | null) =>
  (a: ProcessSample, b: ProcessSample): number =>
    (value(a) ?? -1) - (value(b) ?? -1);
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/**
 * Any case together, then code-unit order, as `sort` and htop do. Not localeCompare: its ICU
 * collator costs megabytes of RSS the first time it runs, for an order users of top do not expect.
 */
const byText =
  (value: (process: ProcessSample) => string) =>
  (a: ProcessSample, b: ProcessSample): number => {
    const [left, right] = [value(a), value(b)];
    return byCodeUnits(left.toLowerCase(), right.toLowerCase()) || byCodeUnits(left, right);
  };

export const COLUMNS: readonly Column[] = [
  { key: 'pid', title: 'PID', width: 7, align: 'right', descendingFirst: false, compare: byNumber((p) => p.pid) },
  { key: 'user', title: 'USER', width: 9, align: 'left', descendingFirst: false, compare: byText((p) => p.user) },
  { key: 'cpu', title: 'CPU%', width: 6, align: 'right', descendingFirst: true, compare: byNumber((p) => p.cpu) },
  {
    key: 'mem',
    title: 'MEM%',
    width: 5,
    align: 'right',
    descendingFirst: true,
    compare: byNumber((p) => p.memPercent),
  },
  { key: 'rss', title: 'RSS', width: 6, align: 'right', descendingFirst: true, compare: byNumber((p) => p.rssBytes) },
  {
    key: 'threads',
    title: 'THR',
    width: 4,
    align: 'right',
    descendingFirst: true,
    compare: byNumber((p) => p.threads),
  },
  { key: 'state', title: 'S', width: 1, align: 'left', descendingFirst: false, compare: byText((p) => p.state) },
  // The core it last ran on (htop's PROCESSOR), and its share of the interval waiting for a core.
  { key: 'core', title: 'CORE', width: 4, align: 'right', descendingFirst: false, compare: byNumber((p) => p.lastCpu) },
  {
    key: 'wait',
    title: 'WAIT%',
    width: 5,
    align: 'right',
    descendingFirst: true,
    compare: byNumber((p) => p.waitPercent),
  },
  {
    key: 'ctxsw',
    title: 'CTXSW',
    width: 6,
    align: 'right',
    descendingFirst: true,
    compare: byNumber((p) => p.ctxPerSecond),
  },
  // GPU use (engine busy %, GPU memory): shown only where a GPU source exists.
  {
    key: 'gpu',
    title: 'GPU%',
    width: 5,
    align: 'right',
    descendingFirst: true,
    compare: byNumber((p) => p.gpuPercent),
  },
  {
    key: 'gmem',
    title: 'GMEM',
    width: 5,
    align: 'right',
    descendingFirst: true,
    compare: byNumber((p) => p.gpuMemoryBytes),
  },
  {
    key: 'command',
    title: 'COMMAND',
    width: 0,
    align: 'left',
    descendingFirst: false,
    compare: byText((p) => p.command),
  },
];

export const COLUMN_KEYS: readonly ColumnKey[] = COLUMNS.map((column) => column.key);

export function columnFor(key: ColumnKey): Column {
  const column = COLUMNS.find((candidate) => candidate.key === key);
  if (!column) throw new Error(`unknown column ${key}`);
  return column;
}

export function isColumnKey(text: string): text is ColumnKey {
  return (COLUMN_KEYS as readonly string[]).includes(text);
}

/** Where and how tasks were scheduled: shown on demand, and while the lab runs (they cost table width). */
export const SCHEDULING_COLUMNS: readonly ColumnKey[] = ['core', 'wait'];

/** GPU use per process: only on a machine with a GPU, where they cost table width for something. */
export const GPU_COLUMNS: readonly ColumnKey[] = ['gpu', 'gmem'];

let hiddenMemo: { hidden: readonly ColumnKey[]; base: readonly Column[]; shown: readonly Column[] } | null = null;

/**
 * The table's columns: with or without the scheduling ones, the GPU ones where there is a GPU, less
 * those the settings hide.
 */
export function shownColumns(scheduling: boolean, gpu = false, hidden: readonly ColumnKey[] = []): readonly Column[] {
  const base = COLUMN_SETS[Number(scheduling) * 2 + Number(gpu)] ?? COLUMNS;
  if (hidden.length === 0) return base;
  // The same array for the same choice here too, for the table's memo.
  if (hiddenMemo?.hidden === hidden && hiddenMemo.base === base) return hiddenMemo.shown;
  const shown = base.filter((column) => !hidden.includes(column.key));
  hiddenMemo = { hidden, base, shown };
  return shown;
}

// The same array for the same choice, so the table's memo sees no change between frames.
const COLUMN_SETS = [false, true].flatMap((scheduling) =>
  [false, true].map((gpu) =>
    COLUMNS.filter(
      (column) =>
        (scheduling || !SCHEDULING_COLUMNS.includes(column.key)) && (gpu || !GPU_COLUMNS.includes(column.key)),
    ),
  ),
);

/** The column `step` places to the right (negative: left) of `key` among `keys`, wrapping round. */
export function neighbourColumn(key: ColumnKey, step: number, keys: readonly ColumnKey[] = COLUMN_KEYS): ColumnKey {
  const index = Math.max(0, keys.indexOf(key));
  const count = keys.length;
  return keys[(((index + step) % count) + count) % count] ?? key;
}

export interface ColumnSpan {
  key: ColumnKey;
  start: number;
  /** exclusive */
  end: number;
}

/** Where each column sits on a line of `width`; COMMAND takes what is left. */
export function columnSpans(width: number, columns: readonly Column[] = COLUMNS): ColumnSpan[] {
  const spans: ColumnSpan[] = [];
  let at = 0;
  for (const column of columns) {
    const columnWidth = column.width > 0 ? column.width : Math.max(0, width - at);
    spans.push({ key: column.key, start: at, end: at + columnWidth });
    at += columnWidth + 1;
  }
  return spans;
}
