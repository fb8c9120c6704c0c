/** What one run of threads measured, as shares of the threads' time (threads x wall time). */
export interface ThreadTimeShares {
  threads: number;
  /** Cores on the machine. */
  cores: number;
  /** CPU time of the whole run / wall time (1.0 = one core busy). */
  coresUsed: number;
  /** Share of the threads' time spent waiting on I/O (the workers' own clocks). */
  ioShare: number;
  /** Share spent waiting for the lock (the GIL): measured where the workers can, else what CPU and I/O leave. */
  lockShare: number;
}

export type Component = 'CPU' | 'I/O' | 'the lock';

/** Waiting on I/O most of the time: the run is I/O-bound, whatever the CPU does meanwhile. */
const IO_BOUND_SHARE = 0.5;
/** Threads kept off the CPU by the lock for this much of their time, while cores sit idle, are lock-bound. */
const LOCK_BOUND_SHARE = 0.3;
/** "Cores idle": fewer busy than this share of what the threads could use. */
const CORES_IN_USE = 0.75;

/**
 * Which component held a run back, from what was measured: waiting on I/O (most of the threads'
 * time), the lock (threads queued for it while cores that could run them sat idle), else the CPU
 * (the threads had the cores they could use, and kept them busy). Pure.
 */
export function bottleneckOf(run: ThreadTimeShares): { component: Component; why: string } {
  const usable = Math.min(run.threads, run.cores);
  const percent = (share: number): string => `${Math.round(share * 100)}%`;
  if (run.ioShare >= IO_BOUND_SHARE) {
    return {
      component: 'I/O',
      why:
        `the threads waited on I/O ${percent(run.ioShare)} of their time, with ` +
        `${run.coresUsed.toFixed(2)} cores busy`,
    };
  }
  if (run.lockShare >= LOCK_BOUND_SHARE && run.coresUsed < usable * CORES_IN_USE) {
    return {
      component: 'the lock',
      why:
        `the threads waited for the lock ${percent(run.lockShare)} of their ` +
        `time; ${run.coresUsed.toFixed(2)} of ${usable} usable cores busy`,
    };
  }
  return { component: 'CPU', why: `${run.coresUsed.toFixed(2)} cores busy, of the ${usable} the threads can use` };
}
