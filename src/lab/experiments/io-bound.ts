import { APPROX_MS_PER_UNIT } from '../protocol.js';
import { type Component, bottleneckOf } from '../../model/bottleneck.js';
import { coreLoadBetween } from '../../model/cpu-load.js';
import { pythonLine, type RunResult, type WorkerState } from '../../model/lab-types.js';
import type { CpuTimes } from '../../model/types.js';
import type { ExperimentContext } from '../experiment.js';
import { experimentResult, perWorkerOfSteps, pythonBound } from '../run-results.js';

/** How long the service takes to answer one request: a database or web API on a fast network. */
const DELAY_MS = 50;
/** Requests in all, shared between the threads: 3.2 s of waiting for one thread. */
const REQUESTS = 64;
/** The CPU-bound job: about this long for one core. */
const CPU_JOB_SECONDS = 1.5;
/** About what one unit of the Python workload's pure-Python loop costs (20,000 steps); only sizes the job. */
const PYTHON_MS_PER_UNIT = 1;
/** How often each thread's state (running, asleep) is looked at while it works. */
const STATE_SAMPLE_MS = 20;

type Work = 'I/O' | 'CPU';

interface Measured {
  work: Work;
  threads: number;
  wallSeconds: number;
  /** Requests answered (I/O) or work units done (CPU). */
  done: number;
  perSecond: number;
  coresUsed: number;
  /** Share of the thread-state samples that found a worker asleep (S) or in disk wait (D), from /proc. */
  asleepShare: number | null;
  ioShare: number;
  lockShare: number;
  /** Whether the lock waits were timed by the workers (paratop's lock) or worked out (CPython's GIL). */
  lockTimed: boolean;
  /** The machine's iowait over the run, % of all cores' time: only waits on block devices count. */
  iowaitPercent: number | null;
  bottleneck: { component: Component; why: string };
  /** For CPython: which Python it was. */
  python: { version: string; freeThreaded: boolean } | null;
  workers: WorkerState[];
}

function iowaitBetween(
  before: readonly (CpuTimes | undefined)[] | null,
  after: readonly (CpuTimes | undefined)[] | null,
): number | null {
  if (!before || !after) return null;
  const loads = after.flatMap((times, core) => {
    const start = before[core];
    const load = times && start ? coreLoadBetween(start, times) : null;
    return load ? [load.iowait] : [];
  });
  return loads.length > 0 ? loads.reduce((sum, value) => sum + value, 0) / loads.length : null;
}

async function measureRun(context: ExperimentContext, work: Work, threads: number): Promise<Measured | null> {
  const python = context.scenario.runtime === 'python';
  const waits = new Map<number, { ioMs: number; lockMs: number | null }>();
  const cpuUnits = Math.ceil((CPU_JOB_SECONDS * 1000) / (python ? PYTHON_MS_PER_UNIT : APPROX_MS_PER_UNIT) / threads);
  const spec = work === 'I/O' ? { count: Math.ceil(REQUESTS / threads), delayMs: DELAY_MS } : { units: cpuUnits };
  const prefix = `${python ? 'py-' : ''}${work === 'I/O' ? 'io' : 'cpu'}`;
  const group = await context.startGroup({
    kind: 'threads',
    runtime: context.scenario.runtime,
    mode: work === 'I/O' ? 'io' : 'gil',
    namePrefix: prefix,
    workers: threads,
    spec,
    ...(python ? pythonBound((REQUESTS * DELAY_MS) / 1000 + CPU_JOB_SECONDS * 2) : {}),
    onMessage: (message) => {
      if (message.type === 'waits') waits.set(message.index, { ioMs: message.ioMs, lockMs: message.lockMs });
    },
  });
  let samples = 0;
  let asleep = 0;
  const sampler = setInterval(() => {
    for (const worker of group.workerStates()) {
      const state = worker.tid === null ? null : context.probe.threadState(worker.pid, worker.tid);
      if (state === null) continue;
      samples += 1;
      if (state === 'S' || state === 'D') asleep += 1;
    }
  }, STATE_SAMPLE_MS);
  const finished = await context.untilFinished(group).finally(() => clearInterval(sampler));
  const measured = group.measure();
  await context.stopGroup(group);
  if (!finished) return null;
  const wall = Math.max(measured.wallSeconds, 1e-3);
  const threadTime = threads * wall;
  // The process's CPU time: a thread's own stops being readable once it has ended.
  const cpu = measured.cpuSeconds ?? 0;
  const ioShare = Math.min(1, [...waits.values()].reduce((sum, wait) => sum + wait.ioMs, 0) / 1000 / threadTime);
  const timedLock = waits.size === threads && [...waits.values()].every((wait) => wait.lockMs !== null);
  const lockShare = timedLock
    ? Math.min(1, [...waits.values()].reduce((sum, wait) => sum + (wait.lockMs ?? 0), 0) / 1000 / threadTime)
    : Math.max(0, 1 - cpu / threadTime - ioShare);
  const coresUsed = cpu / wall;
  return {
    work,
    threads,
    wallSeconds: wall,
    done: measured.units,
    perSecond: measured.units / wall,
    coresUsed,
    asleepShare: samples > 0 ? asleep / samples : null,
    ioShare,
    lockShare,
    lockTimed: timedLock,
    iowaitPercent: iowaitBetween(measured.coresBefore, measured.coresAfter),
    bottleneck: bottleneckOf({ threads, cores: context.cores, coresUsed, ioShare, lockShare }),
    python: group.python,
    workers: measured.workerStates,
  };
}

const percent = (share: number | null): string => (share === null ? '-' : `${Math.round(share * 100)}%`);

/**
 * "Every program is bottlenecked by one component: CPU-bound or IO-bound." Threads under the GIL (
 * paratop's lock, or CPython's own) that wait on a slow service: they give the lock back while they
 * wait, so N of them wait at once and finish about N times sooner, with the CPU near idle. The same
 * thread counts on CPU-bound work: about one core, and no faster. Each run says what held it back.
 */
export async function ioBoundExperiment(context: ExperimentContext): Promise<RunResult> {
  const { scenario, options } = context;
  const many = Math.max(2, options.workers);
  const plan: [Work, number][] = [
    ['I/O', 1],
    ['I/O', many],
    ['CPU', 1],
    ['CPU', many],
  ];
  const runs: Measured[] = [];
  for (const [work, threads] of plan) {
    context.step(`${work}-bound, ${threads} thread${threads === 1 ? '' : 's'}`);
    const run = await measureRun(context, work, threads);
    if (!run) break;
    runs.push(run);
  }
  const find = (work: Work, threads: number): Measured | undefined =>
    runs.find((run) => run.work === work && run.threads === threads);
  const speedup = (run: Measured): number | null => {
    const one = find(run.work, 1);
    return one && one.perSecond > 0 ? run.perSecond / one.perSecond : null;
  };
  const [ioOne, ioMany, cpuOne, cpuMany] = [find('I/O', 1), find('I/O', many), find('CPU', 1), find('CPU', many)];
  const stopped = runs.length < plan.length;
  const python = runs.find((run) => run.python)?.python;
  const lines: string[] = python ? [pythonLine(python)] : [];
  if (ioOne && ioMany) {
    lines.push(
      `I/O-bound: ${many} threads finished ` +
        `${(speedup(ioMany) ?? 0).toFixed(1)}x as fast as 1, with ` +
        `${ioMany.coresUsed.toFixed(2)} cores busy: they wait together.`,
    );
  }
  if (cpuOne && cpuMany) {
    lines.push(
      `CPU-bound: ${many} threads did ${(speedup(cpuMany) ?? 0).toFixed(2)}x ` +
        `the work of 1, on ${cpuMany.coresUsed.toFixed(2)} cores: they take ` +
        `turns on the lock.`,
    );
  }
  for (const run of runs)
    lines.push(
      `${run.work}-bound, ${run.threads} ` +
        `thread${run.threads === 1 ? '' : 's'}: ${run.bottleneck.component} (${run.bottleneck.why}).`,
    );
  lines.push(
    `The I/O is real: each request goes over a loopback socket to a ` +
      `service that answers after ${DELAY_MS} ms, and the waiting threads ` +
      `sleep in the kernel (state S). iowait counts only waits on disks, so ` +
      `it stays near 0 here.`,
  );
  if (runs.some((run) => !run.lockTimed))
    lines.push(
      '* CPython does not say how long a thread waited for the GIL: that share is what CPU time and I/O waits leave.',
    );
  return experimentResult(
    {
      scenarioId: scenario.id,
      title: scenario.title,
      kind: 'threads',
      workers: many,
      wallSeconds: runs.reduce((sum, run) => sum + run.wallSeconds, 0),
      stoppedBy: stopped ? 'asked' : 'finished',
      summary:
        ioOne && ioMany && cpuMany
          ? `${many} I/O-bound threads: ${(speedup(ioMany) ?? 0).toFixed(1)}x ` +
            `faster than 1 on ${ioMany.coresUsed.toFixed(2)} cores; ${many} ` +
            `CPU-bound threads: ${(speedup(cpuMany) ?? 0).toFixed(2)}x, on ` +
            `${cpuMany.coresUsed.toFixed(2)} cores.`
          : `Stopped after ${runs.length} of ${plan.length} runs.`,
    },
    {
      lines,
      perWorker: perWorkerOfSteps(runs.map((run) => run.workers)),
      table: {
        columns: [
          'work',
          'threads',
          'wall s',
          'speedup',
          'cores used',
          'asleep',
          'I/O wait',
          'lock wait',
          'iowait',
          'bottleneck',
        ],
        rows: runs.map((run) => [
          run.work,
          run.threads,
          run.wallSeconds.toFixed(2),
          speedup(run)?.toFixed(2) ?? '-',
          run.coresUsed.toFixed(2),
          percent(run.asleepShare),
          percent(run.ioShare),
          `${percent(run.lockShare)}${run.lockTimed ? '' : '*'}`,
          run.iowaitPercent === null ? '-' : `${run.iowaitPercent.toFixed(1)}%`,
          run.bottleneck.component,
        ]),
      },
      chart: {
        kind: 'bar',
        title: 'speedup over 1 thread',
        labels: runs.filter((run) => run.threads > 1).map((run) => `${run.work}, ${run.threads}`),
        series: [{ title: 'speedup x', values: runs.filter((run) => run.threads > 1).map((run) => speedup(run) ?? 0) }],
      },
      details: {
        delayMs: DELAY_MS,
        requests: REQUESTS,
        runs: runs.map((run) => {
          const { workers: _workers, python: _python, ...figures } = run;
          return { ...figures, speedup: speedup(run) };
        }),
      },
    },
  );
}
