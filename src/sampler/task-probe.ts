import type { CpuTimes } from '../model/types.js';

/**
 * What the lab reads of its own processes and threads (CPU time, context switches, memory, state) and
 * of the cores, from the kernel rather than trusted from the workloads. Linux: linux/proc-task-probe.ts;
 * elsewhere: fallback/pidusage-task-probe.ts.
 */
export interface TaskProbe {
  /** A whole process, all its threads; null when gone or unknown. */
  processCpuSeconds(pid: number): number | null;
  /** One thread; null when gone or unknown. */
  threadCpuSeconds(pid: number, tid: number): number | null;
  /** Cumulative times per core, by core number; null where there is no /proc/stat. */
  coreTimes(): (CpuTimes | undefined)[] | null;
  /** Context switches (voluntary + involuntary) of one thread so far; null when gone or unknown. */
  contextSwitches(pid: number, tid: number): number | null;
  /** Memory of a whole process: resident, proportional (shared pages split) and unique, in bytes. */
  memory(pid: number): { rss: number; pss: number | null; uss: number | null } | null;
  /**
   * One thread's scheduler state now: R running or runnable, S asleep, D in uninterruptible I/O, ...; null when gone or
   * unknown.
   */
  threadState(pid: number, tid: number): string | null;
  /** Where one thread is now: the core it last ran on and its state (R: running or runnable); null when gone. */
  placement(pid: number, tid: number): { cpu: number | null; state: string } | null;
}
