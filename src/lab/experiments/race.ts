import { formatRate } from '../../model/format.js';
import type { RunResult, WorkerState } from '../../model/lab-types.js';
import type { ExperimentContext } from '../experiment.js';
import { experimentResult, perWorkerOfSteps } from '../run-results.js';

const DEFAULT_INCREMENTS = 1_000_000;
/**
 * Python loses updates only when a thread switch (every 5 ms at most) falls between read and write:
 * the run must last long enough for several (about a quarter of a second here).
 */
const DEFAULT_PYTHON_INCREMENTS = 200_000;

interface CounterRun {
  /** The shared counter at the end; null if the run was stopped first. */
  counter: number | null;
  seconds: number;
  workers: WorkerState[];
}

async function countTogether(
  context: ExperimentContext,
  mode: 'race' | 'race-locked',
  increments: number,
): Promise<CounterRun> {
  const python = context.scenario.runtime === 'python';
  let counter: number | null = null;
  const group = await context.startGroup({
    kind: 'threads',
    runtime: context.scenario.runtime,
    mode,
    namePrefix: python ? context.scenario.namePrefix : mode === 'race' ? 'racer' : 'locked',
    workers: context.options.workers,
    spec: { count: increments },
    onMessage: (message) => {
      if (message.type === 'counter') counter = message.value;
    },
  });
  const done = await context.untilFinished(group);
  const measured = group.measure();
  await context.stopGroup(group);
  return { counter: done ? counter : null, seconds: measured.wallSeconds, workers: measured.workerStates };
}

function lostText(expected: number, actual: number): string {
  return actual === expected
    ? 'nothing lost'
    : `${formatRate(expected - actual)} lost (${(((expected - actual) / expected) * 100).toFixed(1)}%)`;
}

/** What the mutex cost, as measured: slower, or (rarely, on a busy machine) not. */
function costLine(racy: CounterRun, fixed: CounterRun): string | null {
  if (racy.seconds <= 0 || fixed.counter === null) return null;
  const ratio = fixed.seconds / racy.seconds;
  return ratio >= 1
    ? `Measured: the same increments took ${ratio.toFixed(1)}x as long with ` +
        `the mutex: the threads take turns and wait for each other.`
    : `Measured: the mutex run was not slower this time ` +
        `(${ratio.toFixed(2)}x); the machine was probably busy during the ` +
        `unprotected run.`;
}

/**
 * The threading gotcha: every thread adds 1 to a shared counter, as `counter += 1` does in
 * Python: read, add, write. With the mutex (race-locked) the counter is also run unprotected first,
 * so the price of the fix shows.
 */
export async function raceExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const increments = options.count ?? (scenario.runtime === 'python' ? DEFAULT_PYTHON_INCREMENTS : DEFAULT_INCREMENTS);
  const expected = options.workers * increments;
  const locked = scenario.mode === 'race-locked';
  context.step('unprotected: read, add 1, write');
  const racy = await countTogether(context, 'race', increments);
  let fixed: CounterRun | null = null;
  if (locked && racy.counter !== null) {
    context.step('with a mutex around read, add 1, write');
    fixed = await countTogether(context, 'race-locked', increments);
  }
  const final = locked ? fixed : racy;
  const actual = final?.counter ?? null;
  const stopped = actual === null;
  const cost = fixed ? costLine(racy, fixed) : null;
  const summary = stopped
    ? 'Stopped before the count was done.'
    : `${options.workers} threads x ${increments} increments: expected ` +
      `${expected}, got ${actual}: ${lostText(expected, actual)}.`;
  return experimentResult(
    {
      scenarioId: scenario.id,
      title: scenario.title,
      kind: 'threads',
      workers: options.workers,
      wallSeconds: racy.seconds + (fixed?.seconds ?? 0),
      stoppedBy: stopped ? 'asked' : 'finished',
      summary,
    },
    {
      // The table has each version's counts and times; only what it cannot say goes in lines.
      lines: cost ? [cost] : [],
      ...(actual === null ? {} : { expected, actual }),
      perWorker: perWorkerOfSteps([racy.workers, ...(fixed ? [fixed.workers] : [])]),
      details: {
        increments,
        racy: { actual: racy.counter, seconds: racy.seconds },
        ...(fixed
          ? {
              locked: { actual: fixed.counter, seconds: fixed.seconds },
              cost: racy.seconds > 0 ? fixed.seconds / racy.seconds : null,
            }
          : {}),
      },
      table: {
        columns: ['version', 'expected', 'actual', 'lost', 'seconds'],
        rows: [
          [
            'unprotected',
            expected,
            racy.counter ?? '-',
            racy.counter === null ? '-' : lostText(expected, racy.counter),
            racy.seconds.toFixed(2),
          ],
          ...(fixed
            ? [
                [
                  'with a mutex',
                  expected,
                  fixed.counter ?? '-',
                  fixed.counter === null ? '-' : lostText(expected, fixed.counter),
                  fixed.seconds.toFixed(2),
                ],
              ]
            : []),
        ],
      },
    },
  );
}
