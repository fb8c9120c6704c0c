/**
 * When to start a child again after it died: never sooner than a gap after its last start, the gap
 * doubling while it keeps dying young, back to the first gap once one lives long. Pure.
 */
export interface RestartPolicy {
  /** The least time from one start to the next. */
  minGapMs: number;
  /** The gap stops doubling here. */
  maxGapMs: number;
  /** A child that lived this long was healthy: the next gap is the first again. */
  healthyMs: number;
}

export const CHILD_RESTART: RestartPolicy = { minGapMs: 5000, maxGapMs: 60_000, healthyMs: 30_000 };

export interface RestartPlan {
  /** Wait this long from the death before starting again. */
  delayMs: number;
  /** How many young deaths in a row, this one included. */
  youngDeaths: number;
}

export function planRestart(
  startedAt: number,
  diedAt: number,
  youngDeathsBefore: number,
  policy: RestartPolicy = CHILD_RESTART,
): RestartPlan {
  const lived = diedAt - startedAt;
  const youngDeaths = lived >= policy.healthyMs ? 0 : youngDeathsBefore + 1;
  const gap = Math.min(policy.maxGapMs, policy.minGapMs * 2 ** Math.max(0, youngDeaths - 1));
  return { delayMs: Math.max(0, startedAt + gap - diedAt), youngDeaths };
}
