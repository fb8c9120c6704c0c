/** How one process hangs together with the others: enough to follow a command's process tree. */
export interface ProcessLink {
  pid: number;
  ppid: number;
  /** Process group and session: a command started by paratop leads both, and its children inherit them. */
  pgid: number;
  sid: number;
  /** Start time after boot in clock ticks, so a reused PID is not taken for the process it replaced (0: unknown). */
  startTicks: number;
  comm: string;
  /** Seconds of CPU: the process itself, and the children it has waited for (null: unknown). */
  ownCpuSeconds: number | null;
  reapedCpuSeconds: number | null;
  threads: number;
}

/**
 * Every process on the machine, as links, for following a command's process tree. Synchronous: it runs
 * once a second while a command runs. Linux: linux/proc-tree-scanner.ts; elsewhere ps
 * (fallback/ps-tree-scanner.ts).
 */
export interface ProcessTreeScanner {
  read(): ProcessLink[];
  /** The threads of one process, with their CPU time; empty where threads cannot be seen. */
  threads(pid: number): { tid: number; name: string; cpuSeconds: number }[];
  /**
   * Whether `pid` is still the process that was followed (same start time), checked just before
   * a signal so a reused PID is never hit. Where start times are unknown (ps), whether it exists.
   */
  isSame(pid: number, startTicks: number): boolean;
  /** One process read afresh; null when gone, a zombie, or not readable. */
  one(pid: number): ProcessLink | null;
  /** Now, in clock ticks after boot (the unit of start times); null where unknown. */
  ticksSinceBoot(): number | null;
}

/** A thread of a followed process, with its CPU time. */
export interface ThreadTime {
  tid: number;
  name: string;
  cpuSeconds: number;
}
