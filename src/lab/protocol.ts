/**
 * The contract between paratop and the programs its workers run (scenarios/workloads, which import
 * this file and nothing else of paratop's): the messages over Node's IPC channel, what a workload
 * is asked to do, and that it ends when paratop does.
 */

/**
 * What one work unit (scenarios/workloads/kernel.ts) costs one core, roughly: 0.14 ms on the 2-core
 * test machine. For sizing work by time only; results always time the work itself.
 */
export const APPROX_MS_PER_UNIT = 0.14;

export type WorkloadMode =
  /** spin freely: threads that never touch the shared lock, or whole processes */
  | 'spin'
  /** take turns on one shared lock, as CPython threads take turns on the GIL */
  | 'gil'
  /** hold the lock only briefly, then compute without it, as numpy releases the GIL */
  | 'released'
  /** each worker gets an argument, computes a result from it, and ends; the host joins them */
  | 'join'
  /** threads add 1 to a shared counter with a plain read, then write: updates get lost */
  | 'race'
  /** the same, each read-and-write inside a mutex: nothing is lost, at a price */
  | 'race-locked'
  /** processes append results to their own "global" list, which the parent never sees */
  | 'lost'
  /** processes send their results back over a queue (IPC): all arrive */
  | 'queue'
  /** hold a data set in memory (the whole of it, or a part) until stopped */
  | 'memory'
  /** take tasks from paratop one at a time and send back each result (a pool worker) */
  | 'tasks'
  /** report in, then wait: for timing how long starting a worker takes */
  | 'idle'
  /** measure a message round trip (and, for threads, shared-memory access) and report it */
  | 'echo'
  /** report in; then the chosen worker dies, the others wait: what survives? */
  | 'crash'
  /** time dependent loads (a pointer chase) through working sets of growing size: the memory hierarchy */
  | 'latency'
  /** I/O-bound threads under the GIL-like lock: a little work with the lock, then a request that waits without it */
  | 'io'
  /** chase pointers around a working set of its own (megabytes) until stopped: one process sharing the caches */
  | 'chase';

/** What the Python workload (scenarios/python/paratop_lab.py) can be asked to do. */
export type PythonMode =
  | 'gil'
  | 'released'
  | 'processes'
  | 'race'
  | 'lost'
  | 'queue'
  | 'load-then-fork'
  | 'fork-then-load'
  | 'io';

/** What a workload process is asked to do; passed as JSON in argv[2]. */
export interface WorkloadSpec {
  mode: WorkloadMode | PythonMode;
  /** Worker threads in this process (thread host), or 1 (process worker). */
  threads: number;
  /** Index of the first worker in this process, so names are unique across processes. */
  firstIndex: number;
  /** Name prefix for threads / processes, e.g. "gil-worker" -> "gil-worker-2". */
  namePrefix: string;
  /** How long the lock holder computes before it lets another thread have the lock. */
  switchIntervalMs: number;
  /** paratop's PID: the workload ends itself as soon as its parent is no longer this process. */
  parentPid: number;
  /** spin, gil, released: work units each worker does before it finishes; 0 runs until stopped. */
  units?: number;
  /** join: about how long each worker's share of the job takes one core, in seconds. */
  jobSeconds?: number;
  /**
   * race, lost, queue: how many increments / results each worker makes; io: requests each thread makes; chase: loads
   * per unit of work.
   */
  count?: number;
  /** io: how long the service takes to answer each request, ms. */
  delayMs?: number;
  /** memory: megabytes this worker holds; chase: its working set. */
  megabytes?: number;
  /**
   * crash: the worker that dies, and how ("fatal": the whole process is killed, as by a segfault; "throw": an uncaught
   * exception).
   */
  crashIndex?: number;
  crashHow?: 'fatal' | 'throw';
  /** Python: how many threads or processes the one Python process runs. */
  workers?: number;
  /** Python fork-memory: whether the children read the data they were given (and so copy it). */
  touch?: boolean;
  /** Python: the workload ends itself after this long, whatever happens (paratop passes the run's bound). */
  maxSeconds?: number;
  /** latency: the working sets to time, bytes, smallest first. */
  sizes?: number[];
  /** latency: how long to time each working set, ms (after building and warming it). */
  msPerSize?: number;
  /** latency, chase: the cache line size (pointers are spaced by it; see pointer-chase.ts). */
  lineBytes?: number;
}

/**
 * Node workloads in these modes report in, then wait for paratop's "go" before they start working:
 * every worker starts at once and the clock starts with them, so none has a head start while the
 * others are still being launched, and no result is sent before paratop listens.
 */
const GATED_MODES: readonly string[] = [
  'spin',
  'gil',
  'released',
  'join',
  'race',
  'race-locked',
  'lost',
  'queue',
  'latency',
  'io',
  'chase',
];

/** Whether a Node workload in this mode waits for "go" (the Python workload does not). */
export function waitsForGo(mode: WorkloadSpec['mode']): boolean {
  return GATED_MODES.includes(mode);
}

export type ToEngine =
  | { type: 'ready'; index: number; pid: number; tid: number | null; name: string }
  /** Work done so far, by worker: units[0] is worker `first` (default: the process's first index). */
  /** `final`: the last count of a worker that was asked to stop, or has finished: exact, not periodic. */
  | { type: 'progress'; units: number[]; first?: number; final?: boolean }
  /** A Python workload says which Python it is, and whether that build has a GIL at all. */
  | { type: 'hello'; version: string; freeThreaded: boolean }
  | { type: 'result'; index: number; argument: number; result: number; units: number }
  | { type: 'counter'; value: number }
  | { type: 'items'; index: number; values: number[] }
  | { type: 'task-done'; task: number; score: number }
  | { type: 'measure'; name: string; value: number }
  /** One working set timed: nanoseconds per dependent load. */
  | { type: 'latency'; bytes: number; nsPerLoad: number }
  /** How long one worker waited, by its own clock: for I/O, and (where it knows) for the lock. */
  | { type: 'waits'; index: number; ioMs: number; lockMs: number | null }
  | { type: 'pong'; id: number }
  | { type: 'finished' }
  | { type: 'error'; message: string };

export type ToWorkload =
  | { type: 'stop' }
  /** Every worker has reported in: start working (see GATED_MODES). */
  | { type: 'go' }
  | { type: 'task'; task: number; units: number; params: number[] }
  | { type: 'ping'; id: number };

export function isToWorkload(message: unknown): message is ToWorkload {
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  return type === 'stop' || type === 'go' || type === 'task' || type === 'ping';
}

/** The command keeper (command-keeper.ts): what to run, passed as JSON in argv[2]. */
export interface KeeperSpec {
  argv: string[];
  cwd: string;
  /** paratop's PID: when paratop is gone, the keeper ends the command's session. */
  parentPid: number;
}

/**
 * paratop to the command keeper: every process of the command paratop follows now, as
 * [pid, start token], sent whenever that set changes. If paratop dies, the keeper
 * ends these too (each checked to have the same start token), so a process that left the command's
 * session (setsid) and was re-parented still ends with paratop, if paratop had seen it.
 */
export interface ToKeeper {
  type: 'followed';
  processes: [number, string][];
}

export function isToKeeper(message: unknown): message is ToKeeper {
  if (typeof message !== 'object' || message === null) return false;
  const { type, processes } = message as { type?: unknown; processes?: unknown };
  return (
    type === 'followed' &&
    Array.isArray(processes) &&
    processes.every(
      (entry) =>
        Array.isArray(entry) && entry.length === 2 && Number.isInteger(entry[0]) && typeof entry[1] === 'string',
    )
  );
}

export type FromKeeper =
  | { type: 'started'; pid: number }
  | { type: 'spawn-failed'; message: string }
  /**
   * The command has ended; cpuSeconds is its CPU time and that of every process it waited for,
   * wallSeconds the time from spawn to exit as the keeper (its parent) saw it.
   */
  | {
      type: 'exited';
      code: number | null;
      signal: string | null;
      cpuSeconds: number | null;
      wallSeconds: number | null;
    };

/**
 * A workload must never outlive paratop, even when paratop is killed with SIGKILL and can clean
 * nothing up. So each workload process watches its parent itself: the IPC channel closes when the
 * parent dies, and as a second line the parent PID changes (the orphan is re-parented). paratop
 * may die before this code even runs, so the expected parent is passed in rather than read here.
 */
const POLL_MS = 250;

export function exitWhenParentDies(parentPid: number, onParentGone: () => void = () => process.exit(0)): void {
  const gone = (): boolean => process.ppid !== parentPid || !process.connected;
  if (gone()) {
    onParentGone();
    return;
  }
  process.on('disconnect', onParentGone);
  const timer = setInterval(() => {
    if (gone()) onParentGone();
  }, POLL_MS);
  timer.unref();
}
