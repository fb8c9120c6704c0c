import type { DashboardState } from './dashboard-state.js';

/** A scan due this close to now is taken on this tick: timer jitter must not push it a whole tick on. */
const DUE_SLACK_MS = 50;

/**
 * How often the process list is re-read. It has its own, slower cadence than the meters (reading
 * every process is most of what paratop costs), but is never read more often than they are.
 */
export function processScanEveryMs(state: Pick<DashboardState, 'intervalMs' | 'processIntervalMs'>): number {
  return Math.max(state.intervalMs, state.processIntervalMs);
}

export function processScanDue(nowMs: number, lastScanAtMs: number, everyMs: number): boolean {
  return nowMs - lastScanAtMs >= everyMs - DUE_SLACK_MS;
}

/**
 * Lab workers appeared or went: the table should show it now, not at the next scan, so the user sees
 * the PIDs the lab panel names (and a killed run leave the list) without waiting.
 */
export function labProcessesChanged(before: DashboardState, after: DashboardState): boolean {
  const was = before.lab.run?.pids ?? [];
  const now = after.lab.run?.pids ?? [];
  if (was === now) return false;
  return was.length !== now.length || was.some((pid, index) => pid !== now[index]);
}
