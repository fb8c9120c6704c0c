/** Messages between the lab engine (in paratop) and a workload process, over Node's IPC channel. */

export type WorkloadMode =
  /** spin freely: threads that never touch the shared lock, or whole processes */
  | 'spin'
  /** take turns on one shared lock, as CPython threads take turns on the GIL */
  | 'gil'
  /** hold the lock only briefly, then compute without it, as numpy releases the GIL */
  | 'released'
  /** each worker gets an argument, computes a result from it, and ends; the host joins them */
  | 'join';

/** What a workload process is asked to do; passed as JSON in argv[2]. */
export interface WorkloadSpec {
  mode: WorkloadMode;
  /** Worker threads in this process (thread host), or 1 (process worker). */
  threads: number;
  /** Index of the first worker in this process, so names are unique across processes. */
  firstIndex: number;
  /** Name prefix for threads / processes, e.g. "gil-worker" -> "gil-worker-2". */
  namePrefix: string;
  /** How long the lock holder computes before it lets another thread have the lock. */
  switchIntervalMs: number;
  /** For 'join': about how long each worker's share of the job takes one core, in seconds. */
  jobSeconds: number;
  /** paratop's PID: the workload ends itself as soon as its parent is no longer this process. */
  parentPid: number;
}

export type ToEngine =
  | { type: 'ready'; index: number; pid: number; tid: number | null; name: string }
  | { type: 'progress'; units: number[] }
  | { type: 'result'; index: number; argument: number; result: number; units: number }
  | { type: 'finished' }
  | { type: 'error'; message: string };

export type ToWorkload = { type: 'stop' };

export function isToWorkload(message: unknown): message is ToWorkload {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'stop';
}
