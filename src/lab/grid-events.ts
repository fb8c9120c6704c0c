import type { TaskSpan } from '../model/task-strip.js';
import { markedRecord } from './marked-json.js';

/**
 * What the grid's task program (scenarios/python/paratop_grid.py) says on stdout: one JSON event a
 * line after a marker, among whatever else the engine prints. Pure: lines in, a tally out.
 */
export const GRID_EVENT_MARKER = '@paratop-grid ';

export type GridEvent =
  | { event: 'process'; role: string; name: string; pid: number }
  | { event: 'engine'; engine: string; version: string; scheduler?: string; library?: string }
  | { event: 'worker'; name: string; host: string }
  | { event: 'submitted'; tasks: number; t: number }
  | { event: 'start'; task: number; host: string; pid: number; t: number }
  | {
      event: 'done';
      task: number;
      params: number[];
      score: number;
      host: string;
      pid: number;
      start: number;
      end: number;
    }
  | { event: 'finished'; t: number; wallSeconds: number; best: number[] | null }
  | { event: 'error'; message: string };

const NUMBER_FIELDS: Record<GridEvent['event'], string[]> = {
  process: ['pid'],
  engine: [],
  worker: [],
  submitted: ['tasks', 't'],
  start: ['task', 'pid', 't'],
  done: ['task', 'score', 'pid', 'start', 'end'],
  finished: ['t', 'wallSeconds'],
  error: [],
};

/** One line of output as an event, or null when it is not one (the engine's own logging, a torn line). */
export function parseGridLine(line: string): GridEvent | null {
  const record = markedRecord(line, GRID_EVENT_MARKER);
  if (!record) return null;
  const kind = record.event;
  if (typeof kind !== 'string' || !(kind in NUMBER_FIELDS)) return null;
  const numbers = NUMBER_FIELDS[kind as GridEvent['event']];
  if (numbers.some((field) => typeof record[field] !== 'number' || !Number.isFinite(record[field]))) return null;
  return record as unknown as GridEvent;
}

/** Splits chunks of output into whole lines; the last, unfinished one waits for the rest. */
export class LineSplitter {
  private pending = '';

  push(text: string): string[] {
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop() ?? '';
    return lines;
  }

  /** What is left when the output has ended. */
  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest === '' ? [] : [rest];
  }
}

export interface WorkerTally {
  /** "host pid" */
  worker: string;
  host: string;
  pid: number;
  tasks: number;
  busySeconds: number;
}

export interface TaskRecord {
  task: number;
  params: number[];
  host: string;
  pid: number;
  /** Seconds from the submission of the grid. */
  start: number;
  end: number;
  /** Times the task was started, here and elsewhere (more than 1: rerun after its worker died). */
  starts: number;
}

export interface GridTally {
  tasks: TaskRecord[];
  /** Task numbers reported done more than once (an engine should never). */
  duplicates: number[];
  /** Tasks started on a worker that never finished them: lost with their worker, rerun elsewhere. */
  rerun: number[];
  workers: WorkerTally[];
  spans: TaskSpan[];
  /** Submission to the last result, seconds; null before the grid finished. */
  wallSeconds: number | null;
  /** The engine's start-up: the program's start to the grid's submission, seconds. */
  startupSeconds: number | null;
  submittedAt: number | null;
  best: number[] | null;
  errors: string[];
  engine: Extract<GridEvent, { event: 'engine' }> | null;
  processes: Extract<GridEvent, { event: 'process' }>[];
}

export function workerLabel(host: string, pid: number): string {
  return `${host} ${pid}`;
}

/** Everything the events say, put together. `startedAt` is when the program started (epoch seconds). */
export function tallyGrid(events: readonly GridEvent[], startedAt: number | null = null): GridTally {
  const submitted = events.find((event) => event.event === 'submitted');
  const zero = submitted?.t ?? events.find((event) => event.event === 'start')?.t ?? 0;
  const starts = events.filter((event) => event.event === 'start');
  const done = events.filter((event) => event.event === 'done');
  const finished = events.find((event) => event.event === 'finished');
  const seen = new Set<number>();
  const duplicates: number[] = [];
  const tasks: TaskRecord[] = [];
  for (const event of done) {
    if (seen.has(event.task)) {
      duplicates.push(event.task);
      continue;
    }
    seen.add(event.task);
    tasks.push({
      task: event.task,
      params: event.params,
      host: event.host,
      pid: event.pid,
      start: event.start - zero,
      end: event.end - zero,
      starts: Math.max(1, starts.filter((start) => start.task === event.task).length),
    });
  }
  tasks.sort((a, b) => a.task - b.task);
  const finishedHere = new Set(done.map((event) => `${event.task} ${event.pid} ${event.start}`));
  const lost = starts.filter((start) => !finishedHere.has(`${start.task} ${start.pid} ${start.t}`));
  const lastEnd = Math.max(0, ...tasks.map((task) => task.end));
  const spans: TaskSpan[] = [
    ...tasks.map((task) => ({
      task: task.task,
      worker: workerLabel(task.host, task.pid),
      start: task.start,
      end: task.end,
    })),
    // When a worker died is not said: its lost task is shown until the task started again elsewhere.
    ...lost.map((start) => ({
      task: start.task,
      worker: workerLabel(start.host, start.pid),
      start: start.t - zero,
      end: (starts.find((again) => again.task === start.task && again.t > start.t)?.t ?? zero + lastEnd) - zero,
      lost: true,
    })),
  ];
  const workers = new Map<string, WorkerTally>();
  for (const task of tasks) {
    const key = workerLabel(task.host, task.pid);
    const entry = workers.get(key) ?? { worker: key, host: task.host, pid: task.pid, tasks: 0, busySeconds: 0 };
    entry.tasks += 1;
    entry.busySeconds += task.end - task.start;
    workers.set(key, entry);
  }
  for (const start of lost) {
    const key = workerLabel(start.host, start.pid);
    if (!workers.has(key))
      workers.set(key, { worker: key, host: start.host, pid: start.pid, tasks: 0, busySeconds: 0 });
  }
  return {
    tasks,
    duplicates,
    rerun: [...new Set(lost.map((start) => start.task))].filter((task) => seen.has(task)).sort((a, b) => a - b),
    workers: [...workers.values()],
    spans,
    wallSeconds: finished ? finished.wallSeconds : null,
    startupSeconds: submitted && startedAt !== null ? Math.max(0, submitted.t - startedAt) : null,
    submittedAt: submitted?.t ?? null,
    best: finished?.best ?? null,
    errors: events.flatMap((event) => (event.event === 'error' ? [event.message] : [])),
    engine: events.find((event) => event.event === 'engine') ?? null,
    processes: events.filter((event) => event.event === 'process'),
  };
}

/** The grid as it goes, for the panel's "Now" line: fits done, fits started again, the workers' hosts. */
export class GridProgress {
  done = 0;
  /** Fits started again after their worker died (the engine reran them elsewhere). */
  rerun = 0;
  readonly hosts = new Set<string>();
  private readonly started = new Set<number>();

  constructor(
    private readonly engine: string,
    private readonly total: number,
  ) {}

  /** Take one event; true when the hosts seen changed. */
  take(event: GridEvent): boolean {
    if (event.event === 'done') this.done += 1;
    if (event.event === 'start') {
      if (this.started.has(event.task)) this.rerun += 1;
      this.started.add(event.task);
    }
    if (
      (event.event === 'start' || event.event === 'done' || event.event === 'worker') &&
      !this.hosts.has(event.host)
    ) {
      this.hosts.add(event.host);
      return true;
    }
    return false;
  }

  /** "dask: 40 of 125 fits done · 1 rerun after its worker died". */
  line(): string {
    const rerun =
      this.rerun === 0 ? '' : ` · ${this.rerun} rerun after ${this.rerun === 1 ? 'its' : 'their'} worker died`;
    return `${this.engine}: ${this.done} of ${this.total} fits done${rerun}`;
  }
}
