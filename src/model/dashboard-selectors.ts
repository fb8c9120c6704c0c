import { type Column, shownColumns } from './columns.js';
import { activeFilter, type DashboardState } from './dashboard-state.js';
import { type TableRow, tableRows } from './process-table.js';
import type { ProcessSample, ThreadSample } from './types.js';

let lastInput: { processes: ProcessSample[]; key: string } | null = null;
let lastRows: TableRow[] = [];

/**
 * The process table's rows for a state. Remembered for the last input, because the reducer and the
 * view both ask for them on every event and the answer only changes with new data or settings.
 */
export function processRows(state: DashboardState): TableRow[] {
  const filter = activeFilter(state);
  const key = `${state.order.key}|${state.order.descending}|${state.tree}|${filter}`;
  if (lastInput?.processes !== state.processes || lastInput.key !== key) {
    lastRows = tableRows(state.processes, { order: state.order, filter, tree: state.tree });
    lastInput = { processes: state.processes, key };
  }
  return lastRows;
}

export function processIds(state: DashboardState): number[] {
  return processRows(state).map((row) => row.process.pid);
}

/**
 * Threads of the panel's process: lab workers first (in TID order, so rows stay put while the CPU
 * moves between them), then the busiest of the rest.
 */
export function threadRows(state: DashboardState): ThreadSample[] {
  const workers = labHighlights(state).tids;
  return [...(state.threadPanel?.threads ?? [])].sort(
    (a, b) =>
      Number(workers.has(b.tid)) - Number(workers.has(a.tid)) ||
      (workers.has(a.tid) ? 0 : (b.cpu ?? -1) - (a.cpu ?? -1)) ||
      a.tid - b.tid,
  );
}

export function selectedProcess(state: DashboardState): ProcessSample | undefined {
  const pid = state.threadPanel?.pid ?? state.cursor.selectedId;
  return pid === null ? undefined : state.processes.find((process) => process.pid === pid);
}

/** Tasks line: how many processes and threads, how many running. */
export function taskCounts(processes: readonly ProcessSample[]): {
  processes: number;
  threads: number;
  running: number;
} {
  let threads = 0;
  let running = 0;
  for (const process of processes) {
    threads += process.threads ?? 1;
    if (process.state === 'R') running += 1;
  }
  return { processes: processes.length, threads, running };
}

let lastRun: DashboardState['lab']['run'] | undefined;
let lastHighlights = { pids: new Set<number>(), tids: new Set<number>() };

/** PIDs and TIDs of the running lab workers, to highlight them wherever they appear. */
export function labHighlights(state: DashboardState): { pids: Set<number>; tids: Set<number> } {
  const run = state.lab.run;
  if (run !== lastRun) {
    lastRun = run;
    lastHighlights = {
      pids: new Set(run?.pids ?? []),
      tids: new Set((run?.workerStates ?? []).flatMap((worker) => (worker.tid === null ? [] : [worker.tid]))),
    };
  }
  return lastHighlights;
}

/** The process table's columns now: the scheduling ones when asked for (e), or by default while the lab runs. */
export function tableColumns(state: DashboardState): readonly Column[] {
  return shownColumns(state.schedulingColumns ?? state.lab.run !== null, state.gpus.length > 0, state.hiddenColumns);
}
