import { pythonLine, type RunResult } from '../../model/lab-types.js';
import type { ExperimentContext } from '../experiment.js';
import { experimentResult, perWorkerOf } from '../run-results.js';

const DEFAULT_RESULTS_PER_WORKER = 1000;

/**
 * The multiprocessing gotcha, and its fix. Each child process computes results and appends them to
 * a "global" list. Without a queue the list it appends to is its own copy: the parent's list, here
 * in paratop, stays empty. With a queue (IPC) every result is sent back and arrives.
 */
export async function lostResultsExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const perWorker = options.count ?? DEFAULT_RESULTS_PER_WORKER;
  const expected = options.workers * perWorker;
  /** The parent's global list. */
  const results: number[] = [];
  const python = scenario.runtime === 'python';
  // In Python the parent is the Python process: it tells us how long its own list is.
  let pythonParentHolds: number | null = null;
  const group = await context.startGroup({
    kind: 'processes',
    runtime: scenario.runtime,
    mode: scenario.mode,
    namePrefix: scenario.namePrefix,
    workers: options.workers,
    spec: { count: perWorker },
    // Listening from the start: a fast child may send results before the last one has reported in.
    onMessage: (message) => {
      if (message.type === 'items') results.push(...message.values);
      if (message.type === 'counter') pythonParentHolds = message.value;
    },
  });
  const done = await context.untilFinished(group);
  const measured = group.measure();
  const stoppedBy = await context.stopGroup(group);
  const inChildren = measured.workerStates.map((worker) => worker.units);
  const received: number = python ? (pythonParentHolds ?? 0) : results.length;
  const childSummary = inChildren.map((count, index) => `child ${index + 1}: ${count}`).join(', ');
  const summary = done
    ? `${options.workers} processes appended ${expected} results; the parent's list holds ${received}.`
    : 'Stopped before the workers were done.';
  const lines =
    scenario.mode === 'queue'
      ? [`Each child sent its results over the queue; the parent's list received ${received} of ${expected}.`]
      : [
          `Results in each child's own list: ${childSummary}. In the parent's list: ${received}.`,
          'The children appended to their copies, in their own memory; nothing came back.',
        ];
  if (group.python) lines.push(pythonLine(group.python));
  return experimentResult(
    {
      scenarioId: scenario.id,
      title: scenario.title,
      kind: 'processes',
      workers: options.workers,
      wallSeconds: measured.wallSeconds,
      stoppedBy: done ? 'finished' : stoppedBy,
      summary,
    },
    {
      lines,
      ...(done ? { expected, actual: received } : {}),
      details: { perWorker, inChildren, received },
      perWorker: perWorkerOf(measured.workerStates),
    },
  );
}
