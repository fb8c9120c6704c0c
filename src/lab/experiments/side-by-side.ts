import { pythonLine, type RunResult, type WorkerState } from '../../model/lab-types.js';
import type { ExperimentContext } from '../experiment.js';
import { experimentResult, perWorkerOfSteps, pythonBound } from '../run-results.js';
import type { GroupOptions } from '../workload-group.js';

const SECONDS = 2;
/** Compiled code and new threads need a moment before they run at speed. */
const WARM_UP_MS = 400;

interface Measured {
  coresUsed: number | null;
  contextSwitchesPerSecond: number | null;
  /** For the Python run: which Python it was. */
  python: { version: string; freeThreaded: boolean } | null;
  workers: WorkerState[];
}

async function measure(context: ExperimentContext, options: GroupOptions): Promise<Measured | null> {
  if (context.signal.aborted) return null;
  const group = await context.startGroup(options);
  const warmed = await context.sleep(WARM_UP_MS);
  const first = group.measure();
  const firstSwitches = group.contextSwitchesSinceReady();
  const finished = warmed && (await context.sleep(SECONDS * 1000));
  const last = group.measure();
  const lastSwitches = group.contextSwitchesSinceReady();
  await context.stopGroup(group);
  if (!finished) return null;
  const seconds = last.wallSeconds - first.wallSeconds;
  const cpu = last.cpuSeconds === null || first.cpuSeconds === null ? null : last.cpuSeconds - first.cpuSeconds;
  const switches = lastSwitches === null || firstSwitches === null ? null : lastSwitches - firstSwitches;
  return {
    coresUsed: cpu === null || seconds <= 0 ? null : cpu / seconds,
    contextSwitchesPerSecond: switches === null || seconds <= 0 ? null : switches / seconds,
    python: group.python,
    workers: last.workerStates,
  };
}

/**
 * paratop's GIL-like threads beside CPython's real ones, at the same worker counts: both should
 * keep about one core busy whatever the count (unless this Python is a free-threaded build).
 */
export async function sideBySideExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const counts = [...new Set([1, 2, options.workers])]
    .filter((count) => count <= options.workers)
    .sort((a, b) => a - b);
  const rows: { workers: number; simulated: Measured | null; real: Measured | null }[] = [];
  for (const workers of counts) {
    context.step(`${workers} thread${workers === 1 ? '' : 's'}: simulated GIL`);
    const simulated = await measure(context, { kind: 'threads', mode: 'gil', namePrefix: 'sim-gil', workers });
    context.step(`${workers} thread${workers === 1 ? '' : 's'}: real GIL (python3)`);
    const real = await measure(context, {
      kind: 'threads',
      runtime: 'python',
      mode: 'gil',
      namePrefix: 'py-gil',
      workers,
      ...pythonBound(SECONDS + WARM_UP_MS / 1000),
    });
    if (!simulated || !real) break;
    rows.push({ workers, simulated, real });
  }
  const stopped = rows.length < counts.length;
  const cores = (value: Measured | null): string => value?.coresUsed?.toFixed(2) ?? '-';
  const switches = (value: Measured | null): string =>
    value?.contextSwitchesPerSecond === null || value === null
      ? '-'
      : String(Math.round(value.contextSwitchesPerSecond));
  const widest = rows.at(-1);
  const python = rows.find((row) => row.real?.python)?.real?.python ?? null;
  return experimentResult(
    {
      scenarioId: scenario.id,
      title: scenario.title,
      kind: 'threads',
      workers: options.workers,
      wallSeconds: rows.length * 2 * (SECONDS + WARM_UP_MS / 1000),
      stoppedBy: stopped ? 'asked' : 'finished',
      summary: widest
        ? `At ${widest.workers} threads: simulated GIL ` +
          `${cores(widest.simulated)} cores, real GIL ${cores(widest.real)} cores.`
        : 'Stopped before the first count was measured.',
    },
    {
      lines: python ? [pythonLine(python)] : [],
      perWorker: perWorkerOfSteps(rows.flatMap((row) => [row.simulated?.workers ?? [], row.real?.workers ?? []])),
      details: {
        rows: rows.map((row) => ({
          workers: row.workers,
          simulated: withoutWorkers(row.simulated),
          real: withoutWorkers(row.real),
        })),
      },
      table: {
        columns: ['threads', 'simulated: cores', 'real: cores', 'simulated: switches/s', 'real: switches/s'],
        rows: rows.map((row) => [
          row.workers,
          cores(row.simulated),
          cores(row.real),
          switches(row.simulated),
          switches(row.real),
        ]),
      },
      chart: {
        kind: 'line',
        title: 'cores busy, by threads',
        labels: rows.map((row) => String(row.workers)),
        series: [
          { title: 'simulated', values: rows.map((row) => row.simulated?.coresUsed ?? 0) },
          { title: 'real', values: rows.map((row) => row.real?.coresUsed ?? 0) },
        ],
      },
    },
  );
}

/** The figures of a row, for the JSON details (its workers are listed once, in perWorker). */
function withoutWorkers(measured: Measured | null): Omit<Measured, 'workers'> | null {
  if (!measured) return null;
  const { workers: _workers, ...figures } = measured;
  return figures;
}
