import { formatBytes } from '../../model/format.js';
import { pythonLine, type RunResult, type WorkerState } from '../../model/lab-types.js';
import type { ExperimentContext } from '../experiment.js';
import { experimentResult, perWorkerOfSteps, pythonBound } from '../run-results.js';
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

interface Approach {
  approach: string;
  options: Omit<GroupOptions, 'workers' | 'kind'>;
}

/**
 * Node has no fork(): every process starts fresh. "Load, then start" gives the parent and every
 * worker the whole data set, which is what fork() leaves each child once it has touched its copy;
 * "start, then load" gives each worker only its share.
 */
function nodeApproaches(megabytes: number, workers: number): Approach[] {
  return [
    {
      approach: 'load, then start',
      options: { mode: 'memory', namePrefix: 'load-first', specFor: () => ({ megabytes }) },
    },
    {
      approach: 'start, then load',
      options: {
        mode: 'memory',
        namePrefix: 'start-first',
        specFor: (index) => ({ megabytes: index === 1 ? 0 : megabytes / workers }),
      },
    },
  ];
}

/** Python forks for real: the children of "load, then fork" share the parent's pages until either writes to them. */
function pythonApproaches(megabytes: number, prefix: string): Approach[] {
  const python = { runtime: 'python' as const, namePrefix: prefix, ...pythonBound((SETTLE_MS * 4) / 1000) };
  return [
    {
      approach: 'load, then fork; children only hold',
      options: { ...python, mode: 'load-then-fork', spec: { megabytes, touch: false } },
    },
    {
      approach: 'load, then fork; children read',
      options: { ...python, mode: 'load-then-fork', spec: { megabytes, touch: true } },
    },
    { approach: 'fork, then each loads its part', options: { ...python, mode: 'fork-then-load', spec: { megabytes } } },
  ];
}

interface Total {
  approach: string;
  rss: number;
  /** Shared pages split between their sharers: the one figure that adds up across processes. */
  pss: number;
  uss: number;
}

/** Which figure the totals compare: PSS, or RSS for every process where the kernel gives no PSS. */
type TotalFigure = 'PSS' | 'RSS';

function totalFigure(rows: readonly MemoryRow[]): TotalFigure {
  return rows.every((row) => row.pss !== null) ? 'PSS' : 'RSS';
}

/** Each approach's processes added up; without smaps_rollup the "pss" totals are RSS throughout. */
function totalsOf(approaches: readonly Approach[], rows: readonly MemoryRow[]): Total[] {
  const figure = totalFigure(rows);
  return approaches.map(({ approach }) => {
    const mine = rows.filter((row) => row.approach === approach);
    const sum = (value: (row: MemoryRow) => number): number => mine.reduce((total, row) => total + value(row), 0);
    return {
      approach,
      rss: sum((row) => row.rss),
      pss: sum((row) => (figure === 'PSS' ? (row.pss ?? 0) : row.rss)),
      uss: sum((row) => row.uss ?? row.rss),
    };
  });
}

function pythonReading(
  megabytes: number,
  workers: number,
  totals: readonly Total[],
  figure: TotalFigure,
): { summary: string; verdict: string } {
  const [hold, read, after] = totals;
  if (!hold || !read || !after) return { summary: 'Stopped before every approach was measured.', verdict: '' };
  const summary =
    `A ${megabytes} MB data set, ${workers} workers, ${figure} in all: ` +
    `${formatBytes(read.pss)} when loaded before the fork and read by the ` +
    `children, ` +
    `${formatBytes(after.pss)} when each child loads its part after the ` +
    `fork (${formatBytes(hold.pss)} if the children never touch the data).`;
  const verdict =
    read.pss > after.pss
      ? 'Loading everything, then forking, cost more once the children used the data: ' +
        'reading a Python object writes its reference count, so copy-on-write copied the ' +
        'pages into every child.'
      : 'Here loading first did not cost more in all: the children copied little of what they read.';
  return { summary, verdict };
}

/**
 * "Beware fork()". Load everything, then start the workers, against start the workers, then let
 * each load its part. Each process's memory is read from /proc; the totals add up PSS, which splits
 * a shared page between the processes sharing it, so pages shared after fork() are counted once.
 */
export async function forkMemoryExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const megabytes = options.megabytes ?? DEFAULT_MEGABYTES;
  const workers = options.workers;
  const python = scenario.runtime === 'python';
  const rows: MemoryRow[] = [];
  const steps: WorkerState[][] = [];
  const approaches = python ? pythonApproaches(megabytes, scenario.namePrefix) : nodeApproaches(megabytes, workers);
  let stopped = false;
  let pythonSaid: string | null = null;
  for (const { approach, options: groupOptions } of approaches) {
    context.step(`${approach}: the parent and ${workers} workers`);
    // Process 1 is the parent; 2..n+1 are its workers.
    const group = await context.startGroup({
      kind: 'processes',
      workers: workers + 1,
      ...groupOptions,
      spec: { ...groupOptions.spec, workers },
    });
    if (group.python) pythonSaid = pythonLine(group.python);
    stopped = !(await context.sleep(SETTLE_MS));
    if (!stopped) {
      const states = group.workerStates();
      steps.push(states);
      for (const state of states) {
        const memory = context.probe.memory(state.pid);
        if (memory)
          rows.push({
            approach,
            role: state.index === 1 ? 'parent' : `worker ${state.index - 1}`,
            pid: state.pid,
            ...memory,
          });
      }
    }
    await context.stopGroup(group);
    if (stopped) break;
  }
  const totals = totalsOf(approaches, rows);
  const figure = totalFigure(rows);
  const complete = !stopped && rows.length > 0;
  const [loadFirst, startFirst] = totals;
  const reading = python ? pythonReading(megabytes, workers, totals, figure) : null;
  const summary = !complete
    ? 'Stopped before every approach was measured.'
    : reading
      ? reading.summary
      : `A ${megabytes} MB data set, ${workers} workers, ${figure} in all: ` +
        `${formatBytes(loadFirst?.pss ?? 0)} when every process holds all of ` +
        `it, ${formatBytes(startFirst?.pss ?? 0)} when each worker loads only ` +
        `its part.`;
  const columns =
    figure === 'PSS'
      ? 'RSS counts a shared page in every process that maps it; PSS splits it between ' +
        'them (so PSS adds up); USS is what only that process holds.'
      : 'This kernel gives no PSS (no /proc/<pid>/smaps_rollup), so the totals add RSS, ' +
        'which counts a shared page in every process that maps it.';
  const lines = !complete
    ? []
    : reading
      ? [reading.verdict, columns, ...(pythonSaid ? [pythonSaid] : [])]
      : [
          "Node has no fork(): every process here starts fresh. 'load, then start' gives " +
            'the parent and each worker the whole data set, which is what fork() leaves each ' +
            "child once it has touched its copy; 'start, then load' gives each worker only " +
            'its share.',
          columns,
        ];
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
      lines,
      perWorker: perWorkerOfSteps(steps),
      details: { megabytes, rows, totals, totalsAre: figure.toLowerCase() },
      table: {
        columns: ['approach', 'process', 'PID', 'RSS MB', 'PSS MB', 'USS MB'],
        rows: [
          ...rows.map((row) => [row.approach, row.role, row.pid, mb(row.rss), mb(row.pss), mb(row.uss)]),
          ...totals.map((row) => [row.approach, 'total', '', mb(row.rss), mb(row.pss), mb(row.uss)]),
        ],
      },
      chart: {
        kind: 'bar',
        title: 'memory in all (PSS), MB',
        labels: totals.map((row) => row.approach),
        series: [{ title: 'PSS MB', values: totals.map((row) => row.pss / 1024 / 1024) }],
      },
    },
  );
}
