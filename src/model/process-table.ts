import { type ColumnKey, columnFor } from './columns.js';
import type { ProcessSample } from './types.js';

export interface SortOrder {
  key: ColumnKey;
  descending: boolean;
}

export interface TableRow {
  process: ProcessSample;
  /** Tree branches drawn before the command ("│  ├─ "); empty outside tree view. */
  treePrefix: string;
}

export function comparatorFor(order: SortOrder): (a: ProcessSample, b: ProcessSample) => number {
  const compare = columnFor(order.key).compare;
  const sign = order.descending ? -1 : 1;
  // PID breaks ties so equal rows do not swap places between refreshes.
  return (a, b) => sign * compare(a, b) || a.pid - b.pid;
}

/**
 * Case-insensitive match on the name and command line; a number also matches that PID exactly.
 * An empty filter matches everything.
 */
export function matchesFilter(process: ProcessSample, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return true;
  if (/^\d+$/.test(needle) && process.pid === Number(needle)) return true;
  return process.command.toLowerCase().includes(needle) || process.name.toLowerCase().includes(needle);
}

/** The rows to show, flat: filtered, then sorted. */
export function flatRows(processes: readonly ProcessSample[], order: SortOrder, filter: string): TableRow[] {
  return processes
    .filter((process) => matchesFilter(process, filter))
    .sort(comparatorFor(order))
    .map((process) => ({ process, treePrefix: '' }));
}

/**
 * The rows to show as a tree: children under their parent, siblings in sort order. With a filter,
 * matching processes keep their ancestors so each still hangs where it belongs.
 */
export function treeRows(processes: readonly ProcessSample[], order: SortOrder, filter: string): TableRow[] {
  const byPid = new Map(processes.map((process) => [process.pid, process]));
  const visible = new Set<number>();
  for (const process of processes) {
    if (!matchesFilter(process, filter)) continue;
    // Walk up to the root; a PID seen twice means a cycle from a PID reused mid-scan.
    for (
      let current: ProcessSample | undefined = process;
      current && !visible.has(current.pid);
      current = byPid.get(current.ppid)
    ) {
      visible.add(current.pid);
    }
  }
  const children = new Map<number, ProcessSample[]>();
  const roots: ProcessSample[] = [];
  for (const process of processes) {
    if (!visible.has(process.pid)) continue;
    const parentVisible = process.ppid !== process.pid && visible.has(process.ppid);
    if (!parentVisible) roots.push(process);
    else children.set(process.ppid, [...(children.get(process.ppid) ?? []), process]);
  }
  const compare = comparatorFor(order);
  const rows: TableRow[] = [];
  const placed = new Set<number>();
  const visit = (process: ProcessSample, indent: string, branch: string): void => {
    if (placed.has(process.pid)) return;
    placed.add(process.pid);
    rows.push({ process, treePrefix: indent + branch });
    const kids = (children.get(process.pid) ?? []).sort(compare);
    const childIndent = branch === '' ? '' : indent + (branch === '└─ ' ? '   ' : '│  ');
    for (const [index, kid] of kids.entries()) {
      visit(kid, childIndent, index === kids.length - 1 ? '└─ ' : '├─ ');
    }
  };
  for (const root of roots.sort(compare)) visit(root, '', '');
  // Anything left over sits in a parent cycle; show it rather than lose it.
  for (const process of processes) if (visible.has(process.pid)) visit(process, '', '');
  return rows;
}

export function tableRows(
  processes: readonly ProcessSample[],
  view: { order: SortOrder; filter: string; tree: boolean },
): TableRow[] {
  return view.tree ? treeRows(processes, view.order, view.filter) : flatRows(processes, view.order, view.filter);
}
