import type { WorkloadMode } from '../../../scenarios/workloads/protocol.js';
import type { RunResult, ScenarioKind } from '../../model/lab-types.js';
import { type CompareRow, appendCompareEntry } from '../compare-history.js';
import type { ExperimentContext } from '../experiment.js';
import { experimentResult } from '../run-results.js';

const DEFAULT_SERIAL_SECONDS = 3;

interface Variant {
  label: string;
  kind: ScenarioKind;
  mode: WorkloadMode;
  namePrefix: string;
}

const PARALLEL: Variant[] = [
  { label: 'GIL-like threads', kind: 'threads', mode: 'gil', namePrefix: 'cmp-gil' },
  { label: 'lock-free threads', kind: 'threads', mode: 'released', namePrefix: 'cmp-free' },
  { label: 'processes', kind: 'processes', mode: 'spin', namePrefix: 'cmp-proc' },
];

/**
 * "Compare runtimes of 3*.py": the same total work done serially, by GIL-like threads, by threads
 * that release the lock, and by processes. The serial run sets the amount of work; the others split
 * it evenly. Each comparison is appended to the history file (`paratop lab compare` prints it).
 */
export async function compareExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const workers = options.workers;
  const rows: CompareRow[] = [];

  context.step('serially: one worker does all the work');
  const serialGroup = await context.startGroup({ kind: 'threads', mode: 'spin', namePrefix: 'cmp-serial', workers: 1 });
  const finishedSerial = await context.sleep((options.jobSeconds ?? DEFAULT_SERIAL_SECONDS) * 1000);
  const serial = serialGroup.measure();
  await context.stopGroup(serialGroup);
  const totalUnits = serial.units;
  rows.push({ variant: 'serial', workers: 1, wallSeconds: serial.wallSeconds, cpuSeconds: serial.cpuSeconds, coresUsed: ratio(serial.cpuSeconds, serial.wallSeconds), speedup: 1 });

  for (const variant of finishedSerial ? PARALLEL : []) {
    context.step(`${variant.label}: ${workers} workers share the same work`);
    const group = await context.startGroup({
      kind: variant.kind,
      mode: variant.mode,
      namePrefix: variant.namePrefix,
      workers,
      spec: { units: Math.ceil(totalUnits / workers) },
    });
    const done = await context.untilFinished(group);
    const measured = group.measure();
    await context.stopGroup(group);
    if (!done) break;
    rows.push({
      variant: variant.label,
      workers,
      wallSeconds: measured.wallSeconds,
      cpuSeconds: measured.cpuSeconds,
      coresUsed: ratio(measured.cpuSeconds, measured.wallSeconds),
      speedup: ratio(serial.wallSeconds, measured.wallSeconds),
    });
  }
  const complete = rows.length === PARALLEL.length + 1;
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
    ? `Same work, ${workers} workers: ${rows.slice(1).map((row) => `${row.variant} ${row.speedup?.toFixed(2)}x`).join(', ')} (serial = 1x).`
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
      lines: best && complete ? [`Fastest: ${best.variant}.`, ...lines] : lines,
      details: { totalUnits, rows },
      table: {
        columns: ['variant', 'workers', 'wall s', 'CPU s', 'cores used', 'speedup'],
        rows: rows.map((row) => [row.variant, row.workers, row.wallSeconds.toFixed(2), row.cpuSeconds?.toFixed(2) ?? '-', row.coresUsed?.toFixed(2) ?? '-', row.speedup?.toFixed(2) ?? '-']),
      },
      chart: { kind: 'bar', title: 'wall time, s', labels: rows.map((row) => row.variant), series: [{ title: 'wall s', values: rows.map((row) => row.wallSeconds) }] },
    },
  );
}

function ratio(numerator: number | null, denominator: number): number | null {
  return numerator === null || denominator <= 0 ? null : numerator / denominator;
}
