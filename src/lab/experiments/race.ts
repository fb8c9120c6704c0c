import { formatRate } from '../../model/format.js';
import type { RunResult } from '../../model/lab-types.js';
import type { ExperimentContext } from '../experiment.js';
import { experimentResult } from '../run-results.js';

const DEFAULT_INCREMENTS = 1_000_000;
/** Python yields between read and write on every increment: fewer make the point as well. */
const DEFAULT_PYTHON_INCREMENTS = 20_000;

interface CounterRun {
  /** The shared counter at the end; null if the run was stopped first. */
  counter: number | null;
  seconds: number;
}

async function countTogether(context: ExperimentContext, mode: 'race' | 'race-locked', increments: number): Promise<CounterRun> {
  const python = context.scenario.runtime === 'python';
  const group = await context.startGroup({
    kind: 'threads',
    runtime: context.scenario.runtime,
    mode,
    namePrefix: python ? context.scenario.namePrefix : mode === 'race' ? 'racer' : 'locked',
    workers: context.options.workers,
    spec: { count: increments },
  });
  let counter: number | null = null;
  group.onMessage((message) => {
    if (message.type === 'counter') counter = message.value;
  });
  const done = await context.untilFinished(group);
  const seconds = group.elapsedSeconds();
  await context.stopGroup(group);
  return { counter: done ? counter : null, seconds };
}

function lostText(expected: number, actual: number): string {
  return actual === expected ? 'nothing lost' : `${formatRate(expected - actual)} lost (${(((expected - actual) / expected) * 100).toFixed(1)}%)`;
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
  const lines = [`unprotected: ${racy.counter ?? '-'} of ${expected} in ${racy.seconds.toFixed(2)} s${racy.counter === null ? '' : `, ${lostText(expected, racy.counter)}`}`];
  if (fixed) {
    lines.push(`with a mutex: ${fixed.counter ?? '-'} of ${expected} in ${fixed.seconds.toFixed(2)} s${fixed.counter === null ? '' : `, ${lostText(expected, fixed.counter)}`}`);
    if (racy.seconds > 0 && fixed.counter !== null) lines.push(`The mutex made it ${(fixed.seconds / racy.seconds).toFixed(1)}x slower: the threads now take turns.`);
  }
  const summary = stopped
    ? 'Stopped before the count was done.'
    : `${options.workers} threads x ${increments} increments: expected ${expected}, got ${actual}: ${lostText(expected, actual)}.`;
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
      lines,
      ...(actual === null ? {} : { expected, actual }),
      details: {
        increments,
        racy: { actual: racy.counter, seconds: racy.seconds },
        ...(fixed ? { locked: { actual: fixed.counter, seconds: fixed.seconds }, cost: racy.seconds > 0 ? fixed.seconds / racy.seconds : null } : {}),
      },
      table: {
        columns: ['version', 'expected', 'actual', 'lost', 'seconds'],
        rows: [
          ['unprotected', expected, racy.counter ?? '-', racy.counter === null ? '-' : expected - racy.counter, racy.seconds.toFixed(2)],
          ...(fixed ? [['with a mutex', expected, fixed.counter ?? '-', fixed.counter === null ? '-' : expected - fixed.counter, fixed.seconds.toFixed(2)]] : []),
        ],
      },
    },
  );
}
