import type { WorkloadMode } from '../protocol.js';
import type { RunResult, ScenarioKind, WorkerState } from '../../model/lab-types.js';
import { type CompareRow, appendCompareEntry } from '../compare-history.js';
import type { ExperimentContext } from '../experiment.js';
import { experimentResult, perWorkerOfSteps } from '../run-results.js';
import { unitsPerSecondOfOne } from './work-size.js';

const DEFAULT_SERIAL_SECONDS = 3;

interface Variant {
  label: string;
  kind: ScenarioKind;
  mode: WorkloadMode;
  namePrefix: string;
  /** Workers, given the run's count. */
  workers: (count: number) => number;
}

const VARIANTS: Variant[] = [
  { label: 'serial', kind: 'threads', mode: 'spin', namePrefix: 'cmp-serial', workers: () => 1 },
  { label: 'GIL-like threads', kind: 'threads', mode: 'gil', namePrefix: 'cmp-gil', workers: (count) => count },
  { label: 'lock-free threads', kind: 'threads', mode: 'released', namePrefix: 'cmp-free', workers: (count) => count },
  { label: 'processes', kind: 'processes', mode: 'spin', namePrefix: 'cmp-proc', workers: (count) => count },
];

/**
 * "Compare runtimes of 3*.py": the same fixed number of work units done serially, by GIL-like
 * threads, by threads that release the lock, and by processes, each timed from the moment all its
 * workers start until the last one is done. The job is sized first, so the serial run takes about
 * the seconds asked for. Each comparison is appended to the history file (`paratop lab compare`).
 */
export async function compareExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const workers = options.workers;
  const rows: CompareRow[] = [];
  const steps: WorkerState[][] = [];
  const unitsDone: Record<string, number> = {};
  context.step('sizing the job on one worker');
  const rate = await unitsPerSecondOfOne(context, 'threads', 'cmp-size');
  // Whole units for every worker, so each variant does exactly the same total.
  const perWorker =
    rate === null ? 0 : Math.max(1, Math.round((rate * (options.jobSeconds ?? DEFAULT_SERIAL_SECONDS)) / workers));
  const totalUnits = perWorker * workers;
  let serialSeconds: number | null = null;
  for (const variant of rate === null ? [] : VARIANTS) {
    const count = variant.workers(workers);
    context.step(`${variant.label}: ${count} worker${count === 1 ? '' : 's'}, ${totalUnits} work units in all`);
    const group = await context.startGroup({
      kind: variant.kind,
      mode: variant.mode,
      namePrefix: variant.namePrefix,
      workers: count,
      spec: { units: totalUnits / count },
    });
    const done = await context.untilFinished(group);
    const measured = group.measure();
    await context.stopGroup(group);
    if (!done) break;
    steps.push(measured.workerStates);
    unitsDone[variant.label] = measured.units;
    serialSeconds ??= measured.wallSeconds;
    rows.push({
      variant: variant.label,
      workers: count,
      wallSeconds: measured.wallSeconds,
      cpuSeconds: measured.cpuSeconds,
      coresUsed: ratio(measured.cpuSeconds, measured.wallSeconds),
      speedup: ratio(serialSeconds, measured.wallSeconds),
    });
  }
  const complete = rows.length === VARIANTS.length;
  const lines: string[] = [];
  if (complete) {
    try {
      const file = appendCompareEntry({ takenAt: new Date().toISOString(), cores: context.cores, totalUnits, rows });
      lines.push(`Added to ${file} (paratop lab compare prints them all).`);
    } catch (error) {
      lines.push(`Could not save this comparison: ${(error as Error).message}`);
    }
  }
  const best = [...rows].sort((a, b) => (b.speedup ?? 0) - (a.speedup ?? 0))[0];
  const summary = complete
    ? `${totalUnits} work units, ${workers} workers: ${rows
        .slice(1)
        .map((row) => `${row.variant} ${row.speedup?.toFixed(2)}x`)
        .join(', ')} (serial = 1x).`
    : 'Stopped before every variant had run.';
  return experimentResult(
    {
      scenarioId: scenario.id,
      title: scenario.title,
      kind: 'threads',
      workers,
      wallSeconds: rows.reduce((sum, row) => sum + row.wallSeconds, 0),
      stoppedBy: complete ? 'finished' : 'asked',
      summary,
    },
    {
      lines:
        best && complete
          ? [
              `Fastest: ${best.variant}. Each variant did the same ${totalUnits} ` +
                `units, timed from its start to its last worker's end.`,
              ...lines,
            ]
          : lines,
      perWorker: perWorkerOfSteps(steps),
      details: { totalUnits, unitsDone, rows },
      table: {
        columns: ['variant', 'workers', 'wall s', 'CPU s', 'cores used', 'speedup'],
        rows: rows.map((row) => [
          row.variant,
          row.workers,
          row.wallSeconds.toFixed(2),
          row.cpuSeconds?.toFixed(2) ?? '-',
          row.coresUsed?.toFixed(2) ?? '-',
          row.speedup?.toFixed(2) ?? '-',
        ]),
      },
      chart: {
        kind: 'bar',
        title: 'the same work, by variant',
        labels: rows.map((row) => row.variant),
        series: [
          { title: 'wall s', values: rows.map((row) => row.wallSeconds) },
          { title: 'CPU s', values: rows.map((row) => row.cpuSeconds ?? 0) },
          { title: 'speedup x', values: rows.map((row) => row.speedup ?? 0) },
        ],
      },
    },
  );
}

function ratio(numerator: number | null, denominator: number): number | null {
  return numerator === null || denominator <= 0 ? null : numerator / denominator;
}
