import type { ProcessSample, ThreadSample } from '../model/types.js';

/**
 * How one process hangs together with the others: enough to follow a command's process tree. The
 * fields it shares with the dashboard's ProcessSample have the same names and meaning.
 */
export interface ProcessLink extends Pick<ProcessSample, 'pid' | 'ppid' | 'name' | 'startToken' | 'startedAt'> {
  /** Process group and session: a command started by paratop leads both, and its children inherit them. */
  pgid: number;
  sid: number;
  /** Seconds of CPU: the process itself, and the children it has waited for (null: unknown). */
  cpuSeconds: number | null;
  reapedCpuSeconds: number | null;
  threads: number;
}

/** A thread of a followed process, with its CPU time. */
export type ThreadTime = Pick<ThreadSample, 'tid' | 'name' | 'cpuSeconds'>;

/**
 * Every process on the machine, as links, for following a command's process tree. Synchronous: it runs
 * once a second while a command runs. Linux: linux/proc-tree-scanner.ts; elsewhere ps
 * (fallback/ps-tree-scanner.ts).
 */
export interface ProcessTreeScanner {
  read(): ProcessLink[];
  /** The threads of one process, with their CPU time; empty where threads cannot be seen. */
  threads(pid: number): ThreadTime[];
  /**
   * Whether `pid` is still the process that was followed (same start token), checked just before
   * a signal so a reused PID is never hit. Where start times are unknown (ps), whether it exists.
   */
  isSame(pid: number, startToken: string): boolean;
  /** One process read afresh; null when gone, a zombie, or not readable. */
  one(pid: number): ProcessLink | null;
  /** Now, on the clock that `startedAt` is read from (ms since the epoch); null where start times are unknown. */
  startClockNow(): number | null;
}
