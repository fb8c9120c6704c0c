import { type ScenarioDefinition, findScenario } from '../../scenarios/definitions.js';
import type { ToEngine, WorkloadSpec } from '../../scenarios/workloads/protocol.js';
import type { CpuTimes } from '../model/types.js';
import { type LaunchedWorkload, type WorkloadProgram, launchWorkload } from './launch-workload.js';
import { summariseRun } from './run-results.js';
import { type TaskClock, createTaskClock } from './task-clock.js';
import type { JoinedResult, RunPhase, RunResult, RunSnapshot, StopReason, WorkerState } from '../model/lab-types.js';
import { workerCountProblem } from './worker-counts.js';

export interface LabEngineOptions {
  cores: number;
  clock?: TaskClock;
  launch?: typeof launchWorkload;
  /** Called when something worth redrawing changed: a phase, a new worker, or once a second while running. */
  onChange?: () => void;
  /** How long the GIL-like lock is held before it is handed on; CPython's default. */
  switchIntervalMs?: number;
  /** How long each stage of stopping waits before the next, harsher one. */
  stageMs?: { ask: number; terminate: number; kill: number };
}

export interface StartOptions {
  workers: number;
  /** Size of a finite job (threads-join), in seconds of one core's work per worker. */
  jobSeconds?: number;
}

/** Raised for requests the engine refuses (unknown scenario, bad worker count); the message says why. */
export class LabRequestError extends Error {
  readonly code = 'PARATOP_LAB_REQUEST';
}

const SAMPLE_MS = 1000;
const READY_TIMEOUT_MS = 15_000;
const DEFAULT_JOB_SECONDS = 4;

interface ActiveRun {
  scenario: ScenarioDefinition;
  workers: number;
  launched: LaunchedEntry[];
  states: Map<number, WorkerState>;
  joined: JoinedResult[];
  phase: RunPhase;
  startedAt: number;
  /** performance.now() when every worker had reported in; measurement starts there */
  readyAt: number | null;
  cpuAtReady: Map<number, number>;
  workerCpuAtReady: Map<number, number>;
  coresAtReady: (CpuTimes | undefined)[] | null;
  /** latest CPU total per process, kept so a process that dies still counts */
  lastProcessCpu: Map<number, number>;
  lastSampleAt: number;
  lastWorkerCpu: Map<number, number>;
  timer: NodeJS.Timeout | undefined;
  stopping: Promise<RunResult> | null;
  /** Resolves with the result however the run ends. */
  done: Promise<RunResult>;
  settle: (result: RunResult) => void;
}

interface LaunchedEntry {
  workload: LaunchedWorkload;
  spec: WorkloadSpec;
}

/**
 * Starts scenarios as real threads and processes, follows their PIDs, TIDs, work and CPU time, stops
 * them in stages (ask, wait, terminate, kill) and turns what it measured into a result.
 */
export class LabEngine {
  private run: ActiveRun | null = null;
  private latestResult: RunResult | null = null;
  /** Work per second with one worker, per scenario, from this session's runs: the speedup baseline. */
  private readonly baselines = new Map<string, number>();
  private readonly clock: TaskClock;
  private readonly launch: typeof launchWorkload;
  private readonly stageMs: { ask: number; terminate: number; kill: number };

  constructor(private readonly options: LabEngineOptions) {
    this.clock = options.clock ?? createTaskClock();
    this.launch = options.launch ?? launchWorkload;
    this.stageMs = options.stageMs ?? { ask: 1500, terminate: 1000, kill: 1000 };
  }

  get lastResult(): RunResult | null {
    return this.latestResult;
  }

  get running(): boolean {
    return this.run !== null;
  }

  /** Every workload PID still alive (for highlighting, and for the last-resort kill). */
  pids(): number[] {
    return this.run ? this.run.launched.filter(({ workload }) => workload.alive).map(({ workload }) => workload.pid) : [];
  }

  snapshot(): RunSnapshot | null {
    const run = this.run;
    if (!run) return null;
    const elapsedSeconds = run.readyAt === null ? 0 : (performance.now() - run.readyAt) / 1000;
    const cpu = this.runCpuSeconds(run);
    return {
      scenarioId: run.scenario.id,
      title: run.scenario.title,
      kind: run.scenario.kind,
      workers: run.workers,
      phase: run.phase,
      startedAt: run.startedAt,
      pids: run.launched.map(({ workload }) => workload.pid),
      hostName: run.scenario.kind === 'threads' ? `${run.scenario.namePrefix}-main` : null,
      workerStates: [...run.states.values()].sort((a, b) => a.index - b.index).map((state) => ({ ...state })),
      elapsedSeconds,
      units: this.totalUnits(run),
      coresUsed: cpu !== null && elapsedSeconds > 0 ? cpu / elapsedSeconds : null,
    };
  }

  /** Start a scenario, stopping whatever runs first. Resolves once every worker has reported in. */
  async start(id: string, options: StartOptions): Promise<void> {
    const scenario = findScenario(id);
    if (!scenario) throw new LabRequestError(`unknown scenario "${id}".`);
    const problem = workerCountProblem(scenario, options.workers, this.options.cores);
    if (problem) throw new LabRequestError(problem);
    await this.stop();

    const specs = this.specsFor(scenario, options);
    let settle: (result: RunResult) => void = () => undefined;
    const done = new Promise<RunResult>((resolve) => {
      settle = resolve;
    });
    const run: ActiveRun = {
      scenario,
      workers: options.workers,
      launched: [],
      states: new Map(),
      joined: [],
      phase: 'starting',
      startedAt: Date.now(),
      readyAt: null,
      cpuAtReady: new Map(),
      workerCpuAtReady: new Map(),
      coresAtReady: null,
      lastProcessCpu: new Map(),
      lastSampleAt: 0,
      lastWorkerCpu: new Map(),
      timer: undefined,
      stopping: null,
      done,
      settle,
    };
    this.run = run;
    let allReady: () => void = () => undefined;
    let failed: (error: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      allReady = resolve;
      failed = reject;
    });
    // It may fail while workers are still being launched, before anyone awaits it.
    ready.catch(() => undefined);
    const timeout = setTimeout(() => failed(new Error(`${scenario.id} did not start within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    try {
      const program: WorkloadProgram = scenario.kind === 'threads' ? 'thread-host' : 'process-worker';
      for (const spec of specs) {
        const entry = { spec } as LaunchedEntry;
        entry.workload = await this.launch(program, spec, (message) => {
          if (this.run !== run) return;
          this.receive(run, entry, message);
          if (run.phase === 'starting' && run.states.size === run.workers) {
            this.beginMeasuring(run);
            allReady();
          }
        });
        run.launched.push(entry);
        const workload = entry.workload;
        void workload.ended.then((end) => {
          if (this.run !== run || run.stopping) return;
          const how = end.signal ? `killed by ${end.signal}` : `exited with code ${end.code}`;
          if (run.phase === 'starting') {
            failed(new Error(`a ${scenario.id} workload ${how} while starting${end.stderr ? `: ${end.stderr.trim()}` : ''}`));
            return;
          }
          for (const state of run.states.values()) if (state.pid === workload.pid) state.exit = how;
          if (!run.launched.some(({ workload: other }) => other.alive)) void this.finish(run, 'exited');
          this.options.onChange?.();
        });
      }
      this.options.onChange?.();
      await ready;
    } catch (error) {
      this.killNow();
      this.run = null;
      this.options.onChange?.();
      throw error;
    } finally {
      clearTimeout(timeout);
    }
  }

  /** Stop the running scenario in stages and return its result (null when nothing runs). */
  async stop(): Promise<RunResult | null> {
    return this.run ? this.finish(this.run, 'asked') : null;
  }

  /** Resolves with the result when the run ends by itself (a finite job) or is stopped. */
  async whenDone(): Promise<RunResult | null> {
    return this.run ? this.run.done : this.latestResult;
  }

  /** Last resort, synchronous: SIGKILL every workload process now (crash and signal exits). */
  killNow(): void {
    for (const { workload } of this.run?.launched ?? []) workload.kill('SIGKILL');
  }

  /** Refresh per-worker CPU figures from the kernel. */
  sample(): void {
    const run = this.run;
    if (!run || run.readyAt === null) return;
    const now = performance.now();
    const elapsed = (now - run.lastSampleAt) / 1000;
    for (const { workload } of run.launched) {
      const cpu = this.clock.processCpuSeconds(workload.pid);
      if (cpu !== null) run.lastProcessCpu.set(workload.pid, cpu);
    }
    for (const state of run.states.values()) {
      const total = this.workerCpu(run, state);
      if (total === null) continue;
      const before = run.lastWorkerCpu.get(state.index);
      state.cpuSeconds = total - (run.workerCpuAtReady.get(state.index) ?? total);
      state.cpu = before !== undefined && elapsed > 0 ? Math.max(0, ((total - before) / elapsed) * 100) : null;
      run.lastWorkerCpu.set(state.index, total);
    }
    run.lastSampleAt = now;
  }

  private specsFor(scenario: ScenarioDefinition, options: StartOptions): WorkloadSpec[] {
    const base = {
      mode: scenario.mode,
      namePrefix: scenario.namePrefix,
      switchIntervalMs: this.options.switchIntervalMs ?? 5,
      jobSeconds: options.jobSeconds ?? DEFAULT_JOB_SECONDS,
      parentPid: process.pid,
    };
    if (scenario.kind === 'threads') return [{ ...base, threads: options.workers, firstIndex: 1 }];
    return Array.from({ length: options.workers }, (_, index) => ({ ...base, threads: 1, firstIndex: index + 1 }));
  }

  private receive(run: ActiveRun, { spec, workload }: LaunchedEntry, message: ToEngine): void {
    switch (message.type) {
      case 'ready':
        run.states.set(message.index, {
          index: message.index,
          pid: message.pid,
          tid: message.tid,
          name: message.name,
          units: 0,
          cpuSeconds: null,
          cpu: null,
          exit: null,
        });
        this.options.onChange?.();
        return;
      case 'progress':
        message.units.forEach((units, slot) => {
          const state = run.states.get(spec.firstIndex + slot);
          if (state) state.units = units;
        });
        return;
      case 'result':
        run.joined.push({ index: message.index, argument: message.argument, result: message.result });
        return;
      case 'finished':
        void this.finish(run, 'finished');
        return;
      case 'error':
        for (const state of run.states.values()) if (state.pid === workload.pid) state.exit = message.message;
        return;
    }
  }

  private beginMeasuring(run: ActiveRun): void {
    run.phase = 'running';
    run.readyAt = performance.now();
    run.lastSampleAt = run.readyAt;
    run.coresAtReady = this.clock.coreTimes();
    for (const { workload } of run.launched) {
      const cpu = this.clock.processCpuSeconds(workload.pid);
      if (cpu !== null) {
        run.cpuAtReady.set(workload.pid, cpu);
        run.lastProcessCpu.set(workload.pid, cpu);
      }
    }
    for (const state of run.states.values()) {
      const cpu = this.workerCpu(run, state);
      if (cpu !== null) {
        run.workerCpuAtReady.set(state.index, cpu);
        run.lastWorkerCpu.set(state.index, cpu);
      }
    }
    run.timer = setInterval(() => {
      this.sample();
      this.options.onChange?.();
    }, SAMPLE_MS);
    run.timer.unref();
    this.options.onChange?.();
  }

  private finish(run: ActiveRun, reason: StopReason): Promise<RunResult> {
    if (run.stopping) return run.stopping;
    run.stopping = this.stopInStages(run, reason);
    return run.stopping;
  }

  private async stopInStages(run: ActiveRun, reason: StopReason): Promise<RunResult> {
    clearInterval(run.timer);
    // Measure first, while every process can still be read; stopping is not part of the run.
    const measuredAt = performance.now();
    this.sample();
    const coresAfter = this.clock.coreTimes();
    run.phase = 'stopping';
    this.options.onChange?.();

    let stoppedBy = reason;
    const alive = (): LaunchedWorkload[] => run.launched.map(({ workload }) => workload).filter((workload) => workload.alive);
    const stages: [NodeJS.Signals | null, number, StopReason][] = [
      [null, this.stageMs.ask, reason],
      ['SIGTERM', this.stageMs.terminate, 'terminated'],
      ['SIGKILL', this.stageMs.kill, 'killed'],
    ];
    for (const [signal, waitMs, label] of stages) {
      const remaining = alive();
      if (remaining.length === 0) break;
      if (signal) stoppedBy = label;
      for (const workload of remaining) {
        if (signal) workload.kill(signal);
        else workload.send({ type: 'stop' });
      }
      await allEnded(remaining, waitMs);
    }
    // Let the last progress messages, sent just before exit, be read.
    await new Promise((resolve) => setImmediate(resolve));

    const result = summariseRun({
      scenarioId: run.scenario.id,
      title: run.scenario.title,
      kind: run.scenario.kind,
      workers: run.workers,
      wallSeconds: run.readyAt === null ? 0 : (measuredAt - run.readyAt) / 1000,
      cpuSeconds: this.runCpuSeconds(run),
      units: this.totalUnits(run),
      coresBefore: run.coresAtReady,
      coresAfter,
      baselineUnitsPerSecond: this.baselines.get(run.scenario.id) ?? null,
      stoppedBy,
      workerStates: [...run.states.values()].sort((a, b) => a.index - b.index),
      joined: run.joined,
    });
    if (run.workers === 1 && (stoppedBy === 'asked' || stoppedBy === 'finished') && result.wallSeconds > 0.5) {
      this.baselines.set(run.scenario.id, result.unitsPerSecond);
    }
    if (this.run === run) this.run = null;
    this.latestResult = result;
    run.settle(result);
    this.options.onChange?.();
    return result;
  }

  private workerCpu(run: ActiveRun, state: WorkerState): number | null {
    if (run.scenario.kind === 'processes' || state.tid === null) return this.clock.processCpuSeconds(state.pid);
    return this.clock.threadCpuSeconds(state.pid, state.tid);
  }

  /** CPU time of every workload process since measuring began; a process that died counts up to its last reading. */
  private runCpuSeconds(run: ActiveRun): number | null {
    let total = 0;
    for (const { workload } of run.launched) {
      const start = run.cpuAtReady.get(workload.pid);
      const latest = run.lastProcessCpu.get(workload.pid);
      if (start === undefined || latest === undefined) return null;
      total += latest - start;
    }
    return total;
  }

  private totalUnits(run: ActiveRun): number {
    let units = 0;
    for (const state of run.states.values()) units += state.units;
    return units;
  }
}

async function allEnded(workloads: readonly LaunchedWorkload[], timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([Promise.all(workloads.map((workload) => workload.ended)).then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
