import { formatRate } from '../../model/format.js';
import type { RunResult, WorkerState } from '../../model/lab-types.js';
import type { ExperimentContext } from '../experiment.js';
import { experimentResult, perWorkerOfSteps } from '../run-results.js';
import { unitsPerSecondOfOne } from './work-size.js';

const DEFAULT_SECONDS_PER_COUNT = 2;
/**
 * More workers count as "still adding" only if they add at least this share of one worker's throughput: noise is
 * smaller.
 */
const KNEE_MARGIN = 0.5;

export interface SweepPoint {
  workers: number;
  unitsPerSecond: number;
  contextSwitchesPerSecond: number | null;
  coresUsed: number | null;
}

/**
 * The worker count past which throughput stops rising: the smallest count that no larger count beats
 * by more than `margin` of one worker's throughput. Half a worker is well above the noise of a
 * shared machine and well below what one more free core adds.
 */
export function kneeOf(points: readonly SweepPoint[], margin = KNEE_MARGIN): number | null {
  const one = points.find((point) => point.workers === 1)?.unitsPerSecond ?? points[0]?.unitsPerSecond ?? 0;
  const sorted = [...points].sort((a, b) => a.workers - b.workers);
  const knee = sorted.find((point, at) =>
    sorted.slice(at + 1).every((later) => later.unitsPerSecond < point.unitsPerSecond + margin * one),
  );
  return knee?.workers ?? null;
}

/**
 * "How many threads or processes should you launch?": busy processes at 1, 2, ... up to twice the
 * cores (or more). Each count does a fixed amount of work, sized so it takes about the seconds asked
 * for, and is timed from its start to its last worker's end: throughput from exact counts, not from
 * periodic progress reports. Throughput climbs until the cores are all in use, then stays flat,
 * while context switches climb.
 */
export async function sweepExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const most = options.workers;
  const seconds = options.jobSeconds ?? DEFAULT_SECONDS_PER_COUNT;
  const points: SweepPoint[] = [];
  const steps: WorkerState[][] = [];
  let wallSeconds = 0;
  context.step('sizing the job on one worker');
  const rate = await unitsPerSecondOfOne(context, 'processes', 'sweep-size');
  let stopped = rate === null;
  for (let workers = 1; workers <= most && !stopped && rate !== null; workers += 1) {
    // Enough work to keep every core that can help busy for about `seconds`, split evenly.
    const perWorker = Math.max(1, Math.round((rate * seconds * Math.min(workers, context.cores)) / workers));
    context.step(`${workers} of ${most} workers, ${perWorker * workers} work units`);
    const group = await context.startGroup({
      kind: 'processes',
      mode: 'spin',
      namePrefix: 'sweep-worker',
      workers,
      spec: { units: perWorker },
    });
    stopped = !(await context.untilFinished(group));
    const measured = group.measure();
    const switches = group.contextSwitchesSinceReady();
    await context.stopGroup(group);
    if (stopped) break;
    steps.push(measured.workerStates);
    const wall = measured.wallSeconds;
    wallSeconds += wall;
    points.push({
      workers,
      unitsPerSecond: wall > 0 ? measured.units / wall : 0,
      contextSwitchesPerSecond: switches === null || wall <= 0 ? null : switches / wall,
      coresUsed: measured.cpuSeconds === null || wall <= 0 ? null : measured.cpuSeconds / wall,
    });
  }
  const knee = kneeOf(points);
  const one = points[0]?.unitsPerSecond ?? 0;
  const first = points[0];
  const last = points.at(-1);
  const summary =
    knee === null
      ? 'Stopped before the first count was measured.'
      : `Throughput rises up to ${knee} worker${knee === 1 ? '' : 's'} on this ` +
        `machine's ${context.cores} cores; more workers add less than half a ` +
        `worker's worth.`;
  const switchLine =
    first && last && last !== first
      ? [
          `Context switches per second: ` +
            `${formatRate(first.contextSwitchesPerSecond)} with 1 worker, ` +
            `${formatRate(last.contextSwitchesPerSecond)} with ${last.workers}.`,
        ]
      : [];
  return experimentResult(
    {
      scenarioId: scenario.id,
      title: scenario.title,
      kind: 'processes',
      workers: most,
      wallSeconds,
      stoppedBy: stopped ? 'asked' : 'finished',
      summary,
    },
    {
      lines: switchLine,
      perWorker: perWorkerOfSteps(steps),
      details: { points, knee, cores: context.cores, secondsPerCount: seconds },
      table: {
        columns: ['workers', 'work units/s', 'x one worker', 'cores used', 'context switches/s'],
        rows: points.map((point) => [
          point.workers,
          Math.round(point.unitsPerSecond),
          one > 0 ? (point.unitsPerSecond / one).toFixed(2) : '-',
          point.coresUsed?.toFixed(2) ?? '-',
          point.contextSwitchesPerSecond === null ? '-' : Math.round(point.contextSwitchesPerSecond),
        ]),
      },
      chart: {
        kind: 'line',
        title: 'by number of workers',
        labels: points.map((point) => String(point.workers)),
        series: [
          { title: 'work units/s', values: points.map((point) => point.unitsPerSecond) },
          { title: 'context switches/s', values: points.map((point) => point.contextSwitchesPerSecond ?? 0) },
        ],
      },
    },
  );
}
