import { formatBytes } from '../../model/format.js';
import type { RunResult } from '../../model/lab-types.js';
import type { ExperimentContext } from '../experiment.js';
import { experimentResult } from '../run-results.js';

const DEFAULT_MEGABYTES = 64;
/** Memory figures settle once every page has been touched; give the kernel a moment. */
const SETTLE_MS = 500;

export interface MemoryRow {
  approach: string;
  role: string;
  pid: number;
  rss: number;
  pss: number | null;
  uss: number | null;
}

/**
 * "Beware fork()". Load everything, then start the workers: the parent holds the whole data set
 * and every worker gets a copy of all of it. Start the workers, then let each load its part: the
 * data exists once, in pieces. Each process's memory is read from /proc, and the totals compared.
 */
export async function forkMemoryExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const megabytes = options.megabytes ?? DEFAULT_MEGABYTES;
  const workers = options.workers;
  const rows: MemoryRow[] = [];
  const approaches = [
    { approach: 'load, then start', prefix: 'load-first', size: (): number => megabytes },
    { approach: 'start, then load', prefix: 'start-first', size: (index: number): number => (index === 1 ? 0 : megabytes / workers) },
  ];
  let stopped = false;
  for (const { approach, prefix, size } of approaches) {
    context.step(`${approach}: the parent and ${workers} workers`);
    // Process 1 plays the parent; 2..n+1 are its workers.
    const group = await context.startGroup({
      kind: 'processes',
      mode: 'memory',
      namePrefix: prefix,
      workers: workers + 1,
      specFor: (index) => ({ megabytes: size(index) }),
    });
    stopped = !(await context.sleep(SETTLE_MS));
    if (!stopped) {
      for (const state of group.workerStates()) {
        const memory = context.clock.memory(state.pid);
        if (memory) rows.push({ approach, role: state.index === 1 ? 'parent' : `worker ${state.index - 1}`, pid: state.pid, ...memory });
      }
    }
    await context.stopGroup(group);
    if (stopped) break;
  }
  const total = (approach: string, key: 'rss' | 'pss' | 'uss'): number =>
    rows.filter((row) => row.approach === approach).reduce((sum, row) => sum + (row[key] ?? 0), 0);
  const totals = approaches.map(({ approach }) => ({ approach, rss: total(approach, 'rss'), pss: total(approach, 'pss'), uss: total(approach, 'uss') }));
  const [loadFirst, startFirst] = totals;
  const summary =
    stopped || !loadFirst || !startFirst
      ? 'Stopped before both approaches were measured.'
      : `A ${megabytes} MB data set, ${workers} workers: ${formatBytes(loadFirst.rss)} in all when loaded first, ${formatBytes(startFirst.rss)} when each worker loads its part.`;
  const mb = (bytes: number | null): string => (bytes === null ? '-' : (bytes / 1024 / 1024).toFixed(1));
  return experimentResult(
    {
      scenarioId: scenario.id,
      title: scenario.title,
      kind: 'processes',
      workers,
      wallSeconds: 0,
      stoppedBy: stopped ? 'asked' : 'finished',
      summary,
    },
    {
      lines: stopped
        ? []
        : [`Node cannot fork(): each worker here is a new process given its share. Python's fork() copies the parent lazily (copy-on-write), and pages are copied as they are touched.`],
      details: { megabytes, rows, totals },
      table: {
        columns: ['approach', 'process', 'PID', 'RSS MB', 'PSS MB', 'USS MB'],
        rows: [
          ...rows.map((row) => [row.approach, row.role, row.pid, mb(row.rss), mb(row.pss), mb(row.uss)]),
          ...totals.map((row) => [row.approach, 'total', '', mb(row.rss), mb(row.pss), mb(row.uss)]),
        ],
      },
      chart: { kind: 'bar', title: 'total RSS, MB', labels: totals.map((row) => row.approach), series: [{ title: 'RSS MB', values: totals.map((row) => row.rss / 1024 / 1024) }] },
    },
  );
}
