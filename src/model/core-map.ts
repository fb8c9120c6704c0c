/** Who ran on which core, slice by slice: the core map. Pure. */

/** Slices kept per core: the strip's length. */
export const CORE_MAP_SLICES = 60;
/** How often the lab's threads are placed while the map is open, ms: a cell of the strip. */
export const CORE_MAP_SLICE_MS = 250;
/** Marks for the legend, in order of first appearance; later tasks share the last one. */
const MARKS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** One task as one look found it: where it last ran, and whether it is running or ready to (state R). */
export interface PlacedTask {
  /** What names it from one look to the next: "pid/tid". */
  key: string;
  /** Shown in the legend: a lab worker's name, else the process name and PID. Untrusted text. */
  label: string;
  cpu: number | null;
  running: boolean;
}

export interface CoreMap {
  cores: readonly number[];
  /** Per core, oldest first: the legend index of the task seen running there, or null (idle, or others). */
  rows: ReadonlyMap<number, readonly (number | null)[]>;
  /** Per core, in the latest slice: tasks ready to run there beyond the one on it (waiting for the core). */
  waiting: ReadonlyMap<number, number>;
  legend: readonly { key: string; mark: string; label: string }[];
  /** Per slice, how many cores had a task of the map on them. */
  busyCores: readonly number[];
  /**
   * Per slice, how many tasks of the map were ready (running or waiting for a core): the GIL's
   * signature is one, as the others sleep on the lock; tasks sharing a core are all ready.
   */
  readyTasks: readonly number[];
}

export function emptyCoreMap(cores: readonly number[]): CoreMap {
  return {
    cores,
    rows: new Map(cores.map((core) => [core, []])),
    waiting: new Map(),
    legend: [],
    busyCores: [],
    readyTasks: [],
  };
}

export function markOf(index: number): string {
  return MARKS[Math.min(index, MARKS.length - 1)] ?? '+';
}

/** One more slice: each core gets the first running task that last ran on it; the others wait. */
export function withSlice(map: CoreMap, tasks: readonly PlacedTask[]): CoreMap {
  const legend = [...map.legend];
  const indexOf = new Map(legend.map((entry, index) => [entry.key, index]));
  const onCore = new Map<number, number>();
  const waiting = new Map<number, number>();
  for (const task of tasks) {
    if (!task.running || task.cpu === null) continue;
    let index = indexOf.get(task.key);
    if (index === undefined) {
      index = legend.length;
      indexOf.set(task.key, index);
      legend.push({ key: task.key, mark: markOf(index), label: task.label });
    }
    if (onCore.has(task.cpu)) waiting.set(task.cpu, (waiting.get(task.cpu) ?? 0) + 1);
    else onCore.set(task.cpu, index);
  }
  const rows = new Map<number, readonly (number | null)[]>();
  for (const core of map.cores) {
    const row = [...(map.rows.get(core) ?? []), onCore.get(core) ?? null];
    rows.set(core, row.slice(-CORE_MAP_SLICES));
  }
  const busyCores = [...map.busyCores, onCore.size].slice(-CORE_MAP_SLICES);
  let waitingTasks = 0;
  for (const count of waiting.values()) waitingTasks += count;
  const readyTasks = [...map.readyTasks, onCore.size + waitingTasks].slice(-CORE_MAP_SLICES);
  return { cores: map.cores, rows, waiting, legend, busyCores, readyTasks };
}

/**
 * Share of looks with exactly one task ready that reads as taking turns. Not all of them: at a
 * hand-over the woken task is ready before the other has gone to sleep, and a look can catch both.
 */
const ONE_AT_A_TIME_SHARE = 2 / 3;

/**
 * What the map shows, in a sentence, once it has enough slices: tasks taking turns on one core
 * at a time (a GIL, or one lock), more ready tasks than cores (waiting for a core), or one per core.
 */
export function coreMapReading(map: CoreMap, minSlices = 8): string | null {
  const slices = map.busyCores.length;
  if (slices < minSlices || map.legend.length === 0) return null;
  const withAny = map.busyCores.filter((count) => count > 0).length;
  if (withAny === 0) return 'Nothing of the map ran: its tasks are asleep (waiting for I/O, a lock or a timer).';
  const single = map.readyTasks.filter((count) => count === 1).length;
  const queued = [...map.waiting.values()].reduce((sum, count) => sum + count, 0);
  if (map.legend.length > 1 && single >= withAny * ONE_AT_A_TIME_SHARE && map.cores.length > 1)
    return 'One at a time: the tasks take turns on a single core, as threads do under a GIL or one lock.';
  if (queued > 0) return `More ready tasks than cores: ${queued} waiting for a core now (WAIT% shows how long).`;
  return 'One task per core, each running without waiting: parallel.';
}
