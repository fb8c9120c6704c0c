import { coreLoadBetween } from '../model/cpu-load.js';
import type { CpuTimes } from '../model/types.js';
import type { CoreBusy, JoinedResult, RunResult, StopReason, WorkerState } from '../model/lab-types.js';

/** What a result keeps of each worker. */
export function perWorkerOf(states: readonly WorkerState[]): RunResult['perWorker'] {
  return states.map(({ index, pid, tid, name, units, cpuSeconds }) => ({ index, pid, tid, name, units, cpuSeconds }));
}

/** Every step's workers, one after another: what a result of several steps ran on. */
export function perWorkerOfSteps(steps: readonly (readonly WorkerState[])[]): RunResult['perWorker'] {
  return steps.flatMap((states) => perWorkerOf(states));
}

/** Time a Python workload gets beyond the run's own length before it ends itself. */
const PYTHON_MARGIN_SECONDS = 30;

/**
 * The bound passed to a Python workload: the run's length plus a margin, so a workload paratop lost
 * track of ends by itself; none given (the run lasts until stopped) leaves the workload's default.
 */
export function pythonBound(seconds: number | undefined): { maxSeconds?: number } {
  return seconds === undefined ? {} : { maxSeconds: Math.ceil(seconds + PYTHON_MARGIN_SECONDS) };
}

/** Busy share of each core between two readings of /proc/stat. */
export function perCoreBusy(
  before: readonly (CpuTimes | undefined)[] | null,
  after: readonly (CpuTimes | undefined)[] | null,
): CoreBusy[] | null {
  if (!before || !after) return null;
  const cores: CoreBusy[] = [];
  after.forEach((times, id) => {
    const start = before[id];
    const load = times && start ? coreLoadBetween(start, times) : null;
    if (load) cores.push({ id, busy: load.total });
  });
  return cores;
}

export interface RunMeasurements {
  scenarioId: string;
  title: string;
  kind: RunResult['kind'];
  workers: number;
  wallSeconds: number;
  cpuSeconds: number | null;
  units: number;
  coresBefore: (CpuTimes | undefined)[] | null;
  coresAfter: (CpuTimes | undefined)[] | null;
  /** Work per second of this scenario with one worker, if known. */
  baselineUnitsPerSecond: number | null;
  stoppedBy: StopReason;
  workerStates: readonly WorkerState[];
  joined: readonly JoinedResult[];
}

/** A result for experiments that are not about work rates: the figures they report go in alongside. */
export function experimentResult(
  base: Pick<RunResult, 'scenarioId' | 'title' | 'kind' | 'workers' | 'wallSeconds' | 'stoppedBy' | 'summary'>,
  extra: Partial<RunResult> = {},
): RunResult {
  return {
    ...base,
    cpuSeconds: null,
    coresUsed: null,
    units: 0,
    unitsPerSecond: 0,
    perCore: null,
    speedup: null,
    perWorker: [],
    joined: [],
    ...extra,
  };
}

function describe(result: Omit<RunResult, 'summary'>): string {
  const cores =
    result.coresUsed === null ? 'CPU time not measurable here' : `${result.coresUsed.toFixed(2)} cores busy on average`;
  const speedup = result.speedup === null ? '' : `, ${result.speedup.toFixed(2)}x the work of one worker`;
  return (
    `${result.workers} worker${result.workers === 1 ? '' : 's'} for ` +
    `${result.wallSeconds.toFixed(1)} s: ${cores}${speedup}.`
  );
}

/** The numbers a run leaves behind: wall and CPU time, cores used, work rate, speedup. Pure. */
export function summariseRun(run: RunMeasurements): RunResult {
  const unitsPerSecond = run.wallSeconds > 0 ? run.units / run.wallSeconds : 0;
  const result: Omit<RunResult, 'summary'> = {
    scenarioId: run.scenarioId,
    title: run.title,
    kind: run.kind,
    workers: run.workers,
    wallSeconds: run.wallSeconds,
    cpuSeconds: run.cpuSeconds,
    coresUsed: run.cpuSeconds !== null && run.wallSeconds > 0 ? run.cpuSeconds / run.wallSeconds : null,
    units: run.units,
    unitsPerSecond,
    perCore: perCoreBusy(run.coresBefore, run.coresAfter),
    speedup:
      run.baselineUnitsPerSecond && run.baselineUnitsPerSecond > 0 ? unitsPerSecond / run.baselineUnitsPerSecond : null,
    stoppedBy: run.stoppedBy,
    perWorker: perWorkerOf(run.workerStates),
    joined: [...run.joined].sort((a, b) => a.index - b.index),
  };
  return { ...result, summary: describe(result) };
}
