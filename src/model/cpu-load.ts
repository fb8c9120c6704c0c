import type { CoreLoad, CpuTimes } from './types.js';

/** Counters can step backwards (iowait is known to on some kernels, and hot-plugged cores restart). */
function forward(current: number, previous: number): number {
  return Math.max(0, current - previous);
}

/**
 * How a core spent the time between two readings of its counters, as percentages.
 * Returns null when no time passed, so callers never show a made-up 0% or 100%.
 */
export function coreLoadBetween(previous: CpuTimes, current: CpuTimes): CoreLoad | null {
  const user = forward(current.user, previous.user) + forward(current.nice, previous.nice);
  const system =
    forward(current.system, previous.system) +
    forward(current.irq, previous.irq) +
    forward(current.softirq, previous.softirq);
  const iowait = forward(current.iowait, previous.iowait);
  const steal = forward(current.steal, previous.steal);
  const idle = forward(current.idle, previous.idle);
  const elapsed = user + system + iowait + steal + idle;
  if (elapsed === 0) return null;
  const percent = (ticks: number): number => (ticks / elapsed) * 100;
  return {
    user: percent(user),
    system: percent(system),
    iowait: percent(iowait),
    steal: percent(steal),
    idle: percent(idle),
    total: percent(user + system + steal),
  };
}

/** CPU use of a task from two readings of its CPU time: 100 means one core busy for the whole interval. */
export function cpuPercent(cpuSecondsBefore: number, cpuSecondsNow: number, elapsedSeconds: number): number | null {
  if (!(elapsedSeconds > 0)) return null;
  return (forward(cpuSecondsNow, cpuSecondsBefore) / elapsedSeconds) * 100;
}

/** Events per second between two readings of a counter. */
export function perSecond(countBefore: number, countNow: number, elapsedSeconds: number): number | null {
  if (!(elapsedSeconds > 0)) return null;
  return forward(countNow, countBefore) / elapsedSeconds;
}

/**
 * A process's own CPU use, % of one core, averaged over blocks of at least `blockMs`. The figure
 * changes once a block, not every tick: one 1 s tick's 2-3 ms of CPU reads as noise, and a header
 * that changes every second is a row redrawn every second. Null until the first block ends.
 */
export class OwnCpuAverage {
  private blockStart: { atMs: number; cpuMs: number } | null = null;
  private figure: number | null = null;

  constructor(private readonly blockMs: number) {}

  /** A reading of the wall clock and the process's CPU time (both ms); returns the current figure. */
  add(atMs: number, cpuMs: number): number | null {
    if (!this.blockStart) this.blockStart = { atMs, cpuMs };
    const elapsedMs = atMs - this.blockStart.atMs;
    if (elapsedMs >= this.blockMs && elapsedMs > 0) {
      this.figure = ((cpuMs - this.blockStart.cpuMs) / elapsedMs) * 100;
      this.blockStart = { atMs, cpuMs };
    }
    return this.figure;
  }
}
