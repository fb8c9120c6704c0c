import { formatRate } from '../../model/format.js';
import type { RunResult } from '../../model/lab-types.js';
import type { ExperimentContext } from '../experiment.js';
import { experimentResult } from '../run-results.js';

const DEFAULT_SECONDS_PER_COUNT = 2;
/** New processes start slow while their code is compiled; the first moments are not counted. */
const WARM_UP_MS = 500;

export interface SweepPoint {
  workers: number;
  unitsPerSecond: number;
  contextSwitchesPerSecond: number | null;
  coresUsed: number | null;
}

/** The count after which more workers stopped adding throughput (within `tolerance`). */
export function kneeOf(points: readonly SweepPoint[], tolerance = 0.08): number | null {
  const best = Math.max(...points.map((point) => point.unitsPerSecond));
  return points.find((point) => point.unitsPerSecond >= best * (1 - tolerance))?.workers ?? null;
}

/**
 * "How many threads or processes should you launch?": the same busy workers at 1, 2, ... up to
 * twice the cores (or more), each count for a couple of seconds. Throughput climbs until the cores
 * are all in use, then stays flat, while context switches keep climbing.
 */
export async function sweepExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const most = options.workers;
  const points: SweepPoint[] = [];
  let stopped = false;
  for (let workers = 1; workers <= most && !stopped; workers += 1) {
    context.step(`${workers} of ${most} workers`);
    const group = await context.startGroup({ kind: 'processes', mode: 'spin', namePrefix: 'sweep-worker', workers });
    stopped = !(await context.sleep(WARM_UP_MS));
    const first = group.measure();
    const firstSwitches = group.contextSwitchesSinceReady();
    stopped ||= !(await context.sleep((options.jobSeconds ?? DEFAULT_SECONDS_PER_COUNT) * 1000));
    const last = group.measure();
    const lastSwitches = group.contextSwitchesSinceReady();
    await context.stopGroup(group);
    if (stopped) break;
    const seconds = last.wallSeconds - first.wallSeconds;
    const cpu = last.cpuSeconds === null || first.cpuSeconds === null ? null : last.cpuSeconds - first.cpuSeconds;
    const switches = lastSwitches === null || firstSwitches === null ? null : lastSwitches - firstSwitches;
    points.push({
      workers,
      unitsPerSecond: seconds > 0 ? (last.units - first.units) / seconds : 0,
      contextSwitchesPerSecond: switches === null || seconds <= 0 ? null : switches / seconds,
      coresUsed: cpu === null || seconds <= 0 ? null : cpu / seconds,
    });
  }
  const knee = kneeOf(points);
  const one = points[0]?.unitsPerSecond ?? 0;
  const summary =
    points.length === 0
      ? 'Stopped before the first count was measured.'
      : `Throughput grows up to ${knee} worker${knee === 1 ? '' : 's'} (this machine has ${context.cores} cores), then stays flat.`;
  return experimentResult(
    {
      scenarioId: scenario.id,
      title: scenario.title,
      kind: 'processes',
      workers: most,
      wallSeconds: points.length * ((options.jobSeconds ?? DEFAULT_SECONDS_PER_COUNT) + WARM_UP_MS / 1000),
      stoppedBy: stopped ? 'asked' : 'finished',
      summary,
    },
    {
      lines: points.length > 0 ? [`Context switches per second: ${points.map((point) => `${point.workers}: ${formatRate(point.contextSwitchesPerSecond)}`).join(', ')}.`] : [],
      details: { points, knee, cores: context.cores },
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
        title: 'work units per second, by workers',
        labels: points.map((point) => String(point.workers)),
        series: [{ title: 'units/s', values: points.map((point) => point.unitsPerSecond) }],
      },
    },
  );
}
