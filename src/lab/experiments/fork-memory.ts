import { formatBytes } from '../../model/format.js';
import { pythonLine, type RunResult } from '../../model/lab-types.js';
import type { ExperimentContext } from '../experiment.js';
import { experimentResult } from '../run-results.js';
import type { GroupOptions } from '../workload-group.js';

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
interface Approach {
  approach: string;
  options: Omit<GroupOptions, 'workers' | 'kind'>;
}

/** Node cannot fork: the parent and each worker are separate processes given their share. */
function nodeApproaches(megabytes: number, workers: number): Approach[] {
  return [
    { approach: 'load, then start', options: { mode: 'memory', namePrefix: 'load-first', specFor: () => ({ megabytes }) } },
    {
      approach: 'start, then load',
      options: { mode: 'memory', namePrefix: 'start-first', specFor: (index) => ({ megabytes: index === 1 ? 0 : megabytes / workers }) },
    },
  ];
}

/** Python forks for real: the children of "load, then fork" share the parent's pages until they write to them. */
function pythonApproaches(megabytes: number, prefix: string): Approach[] {
  const python = { runtime: 'python' as const, namePrefix: prefix };
  return [
    { approach: 'load, then fork (children only hold)', options: { ...python, mode: 'load-then-fork', spec: { megabytes, touch: false } } },
    { approach: 'load, then fork (children read)', options: { ...python, mode: 'load-then-fork', spec: { megabytes, touch: true } } },
    { approach: 'fork, then load a part', options: { ...python, mode: 'fork-then-load', spec: { megabytes } } },
  ];
}

export async function forkMemoryExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const megabytes = options.megabytes ?? DEFAULT_MEGABYTES;
  const workers = options.workers;
  const python = scenario.runtime === 'python';
  const rows: MemoryRow[] = [];
  const approaches = python ? pythonApproaches(megabytes, scenario.namePrefix) : nodeApproaches(megabytes, workers);
  let stopped = false;
  let pythonSaid: string | null = null;
  for (const { approach, options: groupOptions } of approaches) {
    context.step(`${approach}: the parent and ${workers} workers`);
    // Process 1 is the parent; 2..n+1 are its workers.
    const group = await context.startGroup({ kind: 'processes', workers: workers + 1, ...groupOptions, spec: { ...groupOptions.spec, workers } });
    if (group.python) pythonSaid = pythonLine(group.python);
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
  const loadFirst = totals.at(-2);
  const startFirst = totals.at(-1);
  const summary =
    stopped || !loadFirst || !startFirst
      ? 'Stopped before every approach was measured.'
      : python
        ? `A ${megabytes} MB data set, ${workers} workers: unique memory in all ${totals.map((row) => `${formatBytes(row.uss)} (${row.approach})`).join(', ')}.`
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
        : python
          ? [
              'RSS counts shared pages in every process; PSS splits them; USS is what only that process holds.',
              'Children that only hold the data share it with the parent; reading it writes reference counts, and copy-on-write copies those pages.',
              ...(pythonSaid ? [pythonSaid] : []),
            ]
          : [`Node cannot fork(): each worker here is a new process given its share. Python's fork() copies the parent lazily (copy-on-write), and pages are copied as they are touched.`],
      details: { megabytes, rows, totals },
      table: {
        columns: ['approach', 'process', 'PID', 'RSS MB', 'PSS MB', 'USS MB'],
        rows: [
          ...rows.map((row) => [row.approach, row.role, row.pid, mb(row.rss), mb(row.pss), mb(row.uss)]),
          ...totals.map((row) => [row.approach, 'total', '', mb(row.rss), mb(row.pss), mb(row.uss)]),
        ],
      },
      chart: python
        ? { kind: 'bar', title: 'unique memory (USS) in all, MB', labels: totals.map((row) => row.approach), series: [{ title: 'USS MB', values: totals.map((row) => row.uss / 1024 / 1024) }] }
        : { kind: 'bar', title: 'total RSS, MB', labels: totals.map((row) => row.approach), series: [{ title: 'RSS MB', values: totals.map((row) => row.rss / 1024 / 1024) }] },
    },
  );
}
