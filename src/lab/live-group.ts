import type { ScenarioKind, StopReason, WorkerState } from '../model/lab-types.js';

/**
 * What the engine follows of a running set of processes: the lab's own workers (WorkloadGroup)
 * or the user's command and everything it starts (CommandRun).
 */
export interface LiveGroup {
  readonly kind: ScenarioKind;
  /** performance.now() when measuring began; 0 while starting. */
  readonly readyAt: number;
  /** Context switches per second of the workers' threads over the last sample, if known. */
  readonly ctxPerSecond: number | null;
  /** Workers to show in the panel's title: threads or processes. */
  readonly workerCount: number;
  /** A thread host's name (its main thread), for thread experiments. */
  readonly hostName: string | null;
  /** Every process of the group, alive or not, as far as known. */
  pids(): number[];
  /** Those still running, for highlighting and the last-resort kill. */
  livePids(): number[];
  elapsedSeconds(): number;
  cpuSeconds(): number | null;
  workerStates(): WorkerState[];
  units(): number;
  /** Refresh the figures from the kernel (once a second). */
  sample(): void;
  /** Stop in stages; resolves with the gentlest stage that was enough. */
  stop(): Promise<StopReason>;
  /** Last resort, synchronous: SIGKILL everything now. */
  killNow(): void;
}
