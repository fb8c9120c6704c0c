import type { StopReason } from '../model/lab-types.js';

/** One rung: a signal (null: ask by message), how long to wait for the end, and what it is called. */
export interface StopStage {
  signal: NodeJS.Signals | null;
  waitMs: number;
  reason: StopReason;
}

export interface StopLadder {
  /** Everything has ended: no further stage is needed. */
  done(): boolean;
  /** Send one stage's signal (or the stop message) to what is still running. */
  send(stage: StopStage): void;
  /** Wait until everything has ended or `ms` have passed. */
  waitForEnd(ms: number): Promise<void>;
}

/** The stages every group of the lab's processes is stopped with, gentlest first. */
export function stopStages(
  stageMs: { ask: number; terminate: number; kill: number },
  ask: NodeJS.Signals | null,
): StopStage[] {
  return [
    { signal: ask, waitMs: stageMs.ask, reason: 'asked' },
    { signal: 'SIGTERM', waitMs: stageMs.terminate, reason: 'terminated' },
    { signal: 'SIGKILL', waitMs: stageMs.kill, reason: 'killed' },
  ];
}

/**
 * Climb the stages until everything has ended; resolves with the reason of the last stage sent (the
 * gentlest that was enough), or null when it had all ended before the first.
 */
export async function climbStopLadder(stages: readonly StopStage[], ladder: StopLadder): Promise<StopReason | null> {
  let reason: StopReason | null = null;
  for (const stage of stages) {
    if (ladder.done()) break;
    reason = stage.reason;
    ladder.send(stage);
    await ladder.waitForEnd(stage.waitMs);
  }
  return reason;
}
