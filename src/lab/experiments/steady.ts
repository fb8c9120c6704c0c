import { pythonLine, type RunResult } from '../../model/lab-types.js';
import type { ExperimentContext } from '../experiment.js';
import { pythonBound, summariseRun } from '../run-results.js';

/**
 * The first experiments of the lecture: start the workers, let them run until stopped (or, for a
 * finite job, until they are done), and measure what they did.
 */
export async function steadyExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const group = await context.startGroup({
    kind: scenario.kind,
    runtime: scenario.runtime,
    mode: scenario.mode,
    namePrefix: scenario.namePrefix,
    workers: options.workers,
    spec: { jobSeconds: options.jobSeconds },
    ...pythonBound(options.jobSeconds),
  });
  const endedByItself = await context.untilFinished(group);
  const stillRunning = group.alive();
  // Stopped while working: the exact counts come with the workers' last words.
  const running = group.measure();
  const stopped = await context.stopGroup(group);
  const measured = endedByItself ? running : group.exactAfterStop(running);
  const result = summariseRun({
    scenarioId: scenario.id,
    title: scenario.title,
    kind: scenario.kind,
    workers: options.workers,
    ...measured,
    baselineUnitsPerSecond: context.baseline.get(),
    // Ending by itself: a finite job that was done, or workers that all died under it.
    stoppedBy: endedByItself ? (stillRunning ? 'finished' : 'exited') : stopped,
    joined: group.joined,
  });
  if (group.python) result.lines = [pythonLine(group.python)];
  if (
    options.workers === 1 &&
    (result.stoppedBy === 'asked' || result.stoppedBy === 'finished') &&
    result.wallSeconds > 0.5
  ) {
    context.baseline.set(result.unitsPerSecond);
  }
  return result;
}
