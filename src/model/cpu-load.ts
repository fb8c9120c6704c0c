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
