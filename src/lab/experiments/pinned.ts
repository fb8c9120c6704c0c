import { formatCpuList } from '../../model/cpu-list.js';
import type { RunResult } from '../../model/lab-types.js';
import type { ExperimentContext } from '../experiment.js';
import { experimentResult } from '../run-results.js';
import type { WorkloadGroup } from '../workload-group.js';

/** Each phase is measured this long (seconds), after the scheduler has had a moment to move the workers. */
const DEFAULT_PHASE_SECONDS = 3;
const SETTLE_MS = 300;

export interface PhaseReading {
  phase: string;
  /** The cores each worker was allowed, as a CPU list. */
  cores: string;
  /** CPU % of one core per worker, in worker order; null where it could not be read. */
  cpu: (number | null)[];
}

/** CPU % of each PID over a window, from the kernel's CPU time (the task probe), not from the workers. */
async function measurePhase(
  context: ExperimentContext,
  pids: readonly number[],
  seconds: number,
): Promise<(number | null)[] | null> {
  if (!(await context.sleep(SETTLE_MS))) return null;
  const before = pids.map((pid) => context.probe.processCpuSeconds(pid));
  const startedAt = performance.now();
  if (!(await context.sleep(seconds * 1000))) return null;
  const wall = (performance.now() - startedAt) / 1000;
  return pids.map((pid, index) => {
    const start = before[index];
    const end = context.probe.processCpuSeconds(pid);
    return start == null || end === null || wall <= 0 ? null : ((end - start) / wall) * 100;
  });
}

/** Set every worker's cores; the first failure, in words, or null. */
async function pinAll(
  context: ExperimentContext,
  pids: readonly number[],
  coresOf: (index: number) => number[],
): Promise<string | null> {
  for (const [index, pid] of pids.entries()) {
    const outcome = await context.affinity.set(pid, coresOf(index), true);
    if (!outcome.ok) return `could not pin worker ${index + 1} (PID ${pid}): ${outcome.detail}`;
  }
  return null;
}

function total(cpu: readonly (number | null)[]): number | null {
  return cpu.some((value) => value === null) ? null : cpu.reduce<number>((sum, value) => sum + (value ?? 0), 0);
}

export function pinnedSummary(phases: readonly PhaseReading[], why: string | null): string {
  const said = phases.map((phase) => {
    const sum = total(phase.cpu);
    const each = phase.cpu.map((value) => (value === null ? '-' : `${Math.round(value)}%`)).join(' and ');
    const all = sum === null ? '' : `, ${(sum / 100).toFixed(2)} cores in all`;
    return `${phase.phase} (cores ${phase.cores}): ${each}${all}`;
  });
  return `${[...said, ...(why ? [why] : [])].join('; ')}.`;
}

/**
 * The processes experiment with the cores chosen: two busy processes pinned to one core (taskset,
 * through the sampler's CpuAffinity, as the dashboard's a does), then unpinned to every core
 * paratop may use. Each phase's CPU% per worker is read from the kernel.
 */
export async function pinnedExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const seconds = options.jobSeconds ?? DEFAULT_PHASE_SECONDS;
  const base = { scenarioId: scenario.id, title: scenario.title, kind: scenario.kind, workers: options.workers };
  const own = await context.affinity.read(process.pid);
  if (!own.ok || own.cores.length === 0) {
    const why = own.ok ? 'paratop may run on no core it can name' : own.reason;
    return experimentResult({ ...base, wallSeconds: 0, stoppedBy: 'finished', summary: `Cannot pin here: ${why}` });
  }
  const allowed = own.cores;
  const first = allowed[0] ?? 0;
  const startedAt = performance.now();
  const phases: PhaseReading[] = [];
  let why: string | null = null;
  let stopped = false;
  context.step('starting two busy processes');
  const group: WorkloadGroup = await context.startGroup({
    kind: 'processes',
    mode: 'spin',
    namePrefix: scenario.namePrefix,
    workers: options.workers,
    spec: {},
  });
  try {
    const pids = group.pids();
    context.step(`both pinned to core ${first}`);
    why = await pinAll(context, pids, () => [first]);
    const pinned = why === null ? await measurePhase(context, pids, seconds) : null;
    stopped = why === null && pinned === null;
    if (pinned) phases.push({ phase: 'pinned to one core', cores: String(first), cpu: pinned });
    if (pinned && allowed.length < 2) {
      why = `paratop may use only core ${first} here, so there is no second core to unpin them to`;
    } else if (pinned) {
      context.step(`unpinned: cores ${formatCpuList(allowed)}`);
      why = await pinAll(context, pids, () => allowed);
      const free = why === null ? await measurePhase(context, pids, seconds) : null;
      stopped = why === null && free === null;
      if (free) phases.push({ phase: 'unpinned', cores: formatCpuList(allowed), cpu: free });
    }
  } finally {
    await context.stopGroup(group);
  }
  const rows: (string | number)[][] = phases.flatMap((phase) => [
    ...phase.cpu.map((value, index) => [
      phase.phase,
      phase.cores,
      `worker ${index + 1}`,
      group.pids()[index] ?? '-',
      value === null ? '-' : Math.round(value),
    ]),
    [phase.phase, phase.cores, 'both', '', total(phase.cpu) === null ? '-' : Math.round(total(phase.cpu) ?? 0)],
  ]);
  return experimentResult(
    {
      ...base,
      wallSeconds: (performance.now() - startedAt) / 1000,
      stoppedBy: stopped ? 'asked' : 'finished',
      summary: phases.length === 0 && why ? `Cannot pin here: ${why}.` : pinnedSummary(phases, why),
    },
    {
      details: { phases, allowed, secondsPerPhase: seconds },
      table: { columns: ['phase', 'cores', 'worker', 'PID', 'CPU %'], rows },
    },
  );
}
