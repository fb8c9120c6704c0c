import { APPROX_MS_PER_UNIT } from '../protocol.js';
import type { RunResult, WorkerState } from '../../model/lab-types.js';
import { coresForDeadline, describeEstimate } from '../core-calculator.js';
import { gridEngineOf } from '../engine-runtime.js';
import type { ExperimentContext } from '../experiment.js';
import { gridEngineExperiment } from './grid-engine.js';
import { experimentResult, perWorkerOfSteps } from '../run-results.js';
import type { WorkloadGroup } from '../workload-group.js';

const DEFAULT_GRID = [5, 5, 5];
const DEFAULT_TASK_MS = 40;
/** The lecture's example: 125 fits of 70 s each, back from lunch in 20 minutes. */
export const LECTURE_EXAMPLE = { tasks: 125, taskSeconds: 70, deadlineSeconds: 20 * 60 };

/** Every point of the grid, as parameter values (0, 1, 2, ...). */
export function gridPoints(grid: readonly number[]): number[][] {
  return grid.reduce<number[][]>(
    (points, size) => points.flatMap((point) => Array.from({ length: size }, (_, value) => [...point, value])),
    [[]],
  );
}

interface Outcome {
  seconds: number;
  best: { params: number[]; score: number } | null;
  done: number;
}

/** Hand the tasks out one at a time to whichever worker is free: a pool with a task queue. */
async function runPool(
  context: ExperimentContext,
  group: WorkloadGroup,
  points: number[][],
  units: number,
): Promise<Outcome> {
  const queue = points.map((params, task) => ({ task, params }));
  let best: Outcome['best'] = null;
  let done = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const give = (pid: number): void => {
      const next = queue.shift();
      if (next) group.send({ type: 'task', task: next.task, units, params: next.params }, pid);
    };
    group.onMessage((message, from) => {
      if (message.type !== 'task-done') return;
      done += 1;
      const params = points[message.task] ?? [];
      if (!best || message.score > best.score) best = { params, score: message.score };
      if (done === points.length) resolve();
      else give(from.pid);
    });
    context.signal.addEventListener('abort', () => resolve(), { once: true });
    void group.finished.then(() => resolve());
    for (const pid of group.pids()) give(pid);
  });
  return { seconds: (performance.now() - started) / 1000, best, done };
}

/**
 * An embarrassingly parallel job: a grid search, every point a synthetic "train and score" of fixed
 * cost. Done by one worker, then by a pool of one worker per core; then the lecture's question:
 * how many cores for the real job in time?
 */
export async function gridSearchExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const engine = gridEngineOf(scenario, options);
  if (engine !== 'local') return gridEngineExperiment(context, engine);
  const grid = options.grid ?? DEFAULT_GRID;
  const points = gridPoints(grid);
  // A task of about `taskMs` of one core; the result says what one really took here.
  const units = Math.max(1, Math.round((options.taskMs ?? DEFAULT_TASK_MS) / APPROX_MS_PER_UNIT));
  const outcomes: { label: string; workers: number; outcome: Outcome }[] = [];
  const steps: WorkerState[][] = [];
  for (const [label, workers] of [
    ['serial', 1],
    ['pool', options.workers],
  ] as const) {
    context.step(`${label}: ${points.length} fits on ${workers} worker${workers === 1 ? '' : 's'}`);
    const group = await context.startGroup({
      kind: 'processes',
      mode: 'tasks',
      namePrefix: label === 'serial' ? 'grid-serial' : 'grid-pool',
      workers,
    });
    const outcome = await runPool(context, group, points, units);
    const measured = group.measure();
    await context.stopGroup(group);
    steps.push(group.exactAfterStop(measured).workerStates);
    if (outcome.done < points.length) break;
    outcomes.push({ label, workers, outcome });
  }
  const serial = outcomes[0]?.outcome;
  const pool = outcomes[1]?.outcome;
  const complete = serial !== undefined && pool !== undefined;
  const taskSeconds = serial ? serial.seconds / points.length : null;
  const lecture = coresForDeadline(LECTURE_EXAMPLE);
  const best = pool?.best ?? serial?.best ?? null;
  const speedup = complete && pool.seconds > 0 ? serial.seconds / pool.seconds : null;
  const summary = complete
    ? `${points.length} fits: ${serial.seconds.toFixed(2)} s on one worker, ` +
      `${pool.seconds.toFixed(2)} s on ${options.workers}: ` +
      `${speedup?.toFixed(2)}x. Best: (${best?.params.join(', ')}).`
    : 'Stopped before both runs were done.';
  return experimentResult(
    {
      scenarioId: scenario.id,
      title: scenario.title,
      kind: 'processes',
      workers: options.workers,
      wallSeconds: (serial?.seconds ?? 0) + (pool?.seconds ?? 0),
      stoppedBy: complete ? 'finished' : 'asked',
      summary,
    },
    {
      speedup,
      perWorker: perWorkerOfSteps(steps),
      lines: [
        `The lecture's job: ${describeEstimate(lecture)}`,
        ...(taskSeconds === null ? [] : [`Here one fit took ${(taskSeconds * 1000).toFixed(0)} ms of one core.`]),
        'Press = for the calculator (tasks, seconds per task, deadline, price).',
      ],
      details: {
        grid,
        tasks: points.length,
        taskSeconds,
        best,
        serialSeconds: serial?.seconds ?? null,
        poolSeconds: pool?.seconds ?? null,
        lectureEstimate: lecture,
      },
      table: {
        columns: ['run', 'workers', 'fits', 'seconds', 'speedup'],
        rows: outcomes.map(({ label, workers, outcome }) => [
          label,
          workers,
          outcome.done,
          outcome.seconds.toFixed(2),
          serial ? (serial.seconds / outcome.seconds).toFixed(2) : '-',
        ]),
      },
      chart: {
        kind: 'bar',
        title: 'seconds for the whole grid',
        labels: outcomes.map(({ label, workers }) => `${label} (${workers})`),
        series: [{ title: 's', values: outcomes.map(({ outcome }) => outcome.seconds) }],
      },
    },
  );
}
