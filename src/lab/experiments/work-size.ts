import type { ExperimentContext } from '../experiment.js';

/** A calibration this long is enough to size a job; it is never itself a result. */
const CALIBRATION_UNITS = 1500;

/**
 * Work units one worker of `kind` gets through per second here and now, timed on a short fixed job.
 * Only used to size jobs (so each takes about the time asked for); results time the jobs themselves.
 * Null if the run was stopped meanwhile.
 */
export async function unitsPerSecondOfOne(
  context: ExperimentContext,
  kind: 'threads' | 'processes',
  namePrefix: string,
): Promise<number | null> {
  const group = await context.startGroup({
    kind,
    mode: 'spin',
    namePrefix,
    workers: 1,
    spec: { units: CALIBRATION_UNITS },
  });
  const done = await context.untilFinished(group);
  const { wallSeconds } = group.measure();
  await context.stopGroup(group);
  return done && wallSeconds > 0 ? CALIBRATION_UNITS / wallSeconds : null;
}
