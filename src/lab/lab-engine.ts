import { type ScenarioDefinition, findScenario } from './scenarios.js';
import type { CommandOutput, RunPhase, RunResult, RunSnapshot } from '../model/lab-types.js';
import type { CacheLevel } from '../model/types.js';
import { readCaches } from '../sampler/caches/read-caches.js';
import type { OutputLine } from '../model/output-log.js';
import type { CommandRequest } from './command-line.js';
import { CommandRun } from './command-run.js';
import type { CommandOutputListener, Experiment, ExperimentContext, StartOptions } from './experiment.js';
import { commandScenario } from './experiments/command.js';
import { launchWorkload } from './launch-workload.js';
import type { LiveGroup } from './live-group.js';
import { python } from './python-runtime.js';
import { ENGINE_PACKAGES, findEngine, gridEngineOf } from './engine-runtime.js';
import { createTaskProbe, createTreeScanner } from '../sampler/create-probes.js';
import type { ProcessTreeScanner } from '../sampler/process-tree-scanner.js';
import { type CpuAffinity, createCpuAffinity } from '../sampler/cpu-affinity.js';
import type { TaskProbe } from '../sampler/task-probe.js';
import { deferred } from './deferred.js';
import { type GroupOptions, WorkloadGroup } from './workload-group.js';
import { workerCountProblem } from './worker-counts.js';

export type { StartOptions } from './experiment.js';

export interface LabEngineOptions {
  cores: number;
  probe?: TaskProbe;
  /** Sets the cores of the workers (the pinned experiment); this platform's own by default. */
  affinity?: CpuAffinity;
  launch?: typeof launchWorkload;
  /** Called when something worth redrawing changed: a phase, a new worker, or once a second while running. */
  onChange?: () => void;
  /** How long the GIL-like lock is held before it is handed on; CPython's default. */
  switchIntervalMs?: number;
  /** How long each stage of stopping waits before the next, harsher one. */
  stageMs?: { ask: number; terminate: number; kill: number };
  /** The caches as the OS reports them; by default read from the OS on first use. */
  reportedCaches?: () => CacheLevel[];
}

/** Raised for requests the engine refuses (unknown scenario, bad worker count); the message says why. */
export class LabRequestError extends Error {
  readonly code = 'PARATOP_LAB_REQUEST';
}

const SAMPLE_MS = 1000;

/** One listener that tells both (either may be missing). */
function bothListeners(
  first: CommandOutputListener | undefined,
  second: CommandOutputListener | undefined,
): CommandOutputListener | undefined {
  if (!first || !second) return first ?? second;
  return (stream, text) => {
    first(stream, text);
    second(stream, text);
  };
}
/** How long a stopped experiment gets to wind down before its workers are killed outright. */
const STOP_GRACE_MS = 8000;

interface Run {
  scenario: ScenarioDefinition;
  workers: number;
  startedAt: number;
  abort: AbortController;
  /** Every group this run started: all are stopped and, at the last resort, killed with it. */
  groups: Set<LiveGroup>;
  /** The group on screen: the latest one started. */
  current: LiveGroup | null;
  /** A command run's output, as it comes (for `lab exec`), and how fast to read it. */
  onOutput?: (stream: OutputLine['stream'], text: string) => void;
  outputPerSecond?: number;
  step: string | null;
  workerHosts: string[];
  stopping: boolean;
  done: Promise<RunResult | null>;
}

/** The experiments' code is loaded when one first runs: most sessions start none, and it costs RSS. */
async function loadExperiment(scenario: ScenarioDefinition): Promise<Experiment> {
  const { experimentFor } = await import('./experiments/index.js');
  return experimentFor(scenario);
}

/**
 * Starts experiments on real threads and processes, follows their PIDs, TIDs, work and CPU time,
 * stops them in stages (ask, wait, terminate, kill), and keeps the result of the last one.
 */
export class LabEngine {
  private run: Run | null = null;
  /** Counts stop() and killNow() calls: a start that began before one of them does not start. */
  private stopRequests = 0;
  private latestResult: RunResult | null = null;
  /** Work per second with one worker, per scenario, from this session's runs: the speedup baseline. */
  private readonly baselines = new Map<string, number>();
  private readonly probe: TaskProbe;
  private readonly affinity: CpuAffinity;
  private readonly launch: typeof launchWorkload;
  private readonly stageMs: { ask: number; terminate: number; kill: number };
  /** Samples the running workers every second; only while something runs, so an idle lab never wakes paratop. */
  private sampleTimer: NodeJS.Timeout | null = null;
  /** Who is related to whom, for following a command's process tree; made on first use. */
  private scanner: ProcessTreeScanner | null = null;
  /** The latest command run: its output stays readable after it ends. */
  private command: CommandRun | null = null;
  /** The OS's cache sizes, read on first use: reading them may start getconf. */
  private caches: CacheLevel[] | null = null;

  constructor(private readonly options: LabEngineOptions) {
    this.probe = options.probe ?? createTaskProbe();
    this.affinity = options.affinity ?? createCpuAffinity();
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
    return [...(this.run?.groups ?? [])].flatMap((group) => group.livePids());
  }

  /** What the latest command printed, while it runs and after; null before any command ran. */
  commandOutput(): CommandOutput | null {
    const command = this.command;
    if (!command) return null;
    return {
      display: command.request.display,
      lines: command.outputLines(),
      total: command.output.total,
      running: this.run?.current === command,
    };
  }

  snapshot(): RunSnapshot | null {
    const run = this.run;
    if (!run) return null;
    const group = run.current;
    const phase: RunPhase = run.stopping ? 'stopping' : group && group.readyAt > 0 ? 'running' : 'starting';
    const elapsedSeconds = group?.elapsedSeconds() ?? 0;
    const cpu = group?.cpuSeconds() ?? null;
    return {
      scenarioId: run.scenario.id,
      title: run.scenario.title,
      kind: group?.kind ?? run.scenario.kind,
      // An engine's run has a scheduler or mpirun besides its workers: the workers asked for are the count.
      workers:
        run.scenario.procedure === 'grid-search' && group instanceof CommandRun
          ? run.workers
          : (group?.workerCount ?? run.workers),
      phase,
      startedAt: run.startedAt,
      pids: group?.pids() ?? [],
      hostName: group?.hostName ?? null,
      step: run.step,
      ctxPerSecond: group?.ctxPerSecond ?? null,
      workerStates: group?.workerStates() ?? [],
      elapsedSeconds,
      units: group?.units() ?? 0,
      coresUsed: cpu !== null && elapsedSeconds > 0 ? cpu / elapsedSeconds : null,
      ...(run.workerHosts.length > 0 ? { workerHosts: run.workerHosts } : {}),
    };
  }

  /** Start an experiment, stopping whatever runs first. Resolves once its first workers have reported in. */
  async start(id: string, options: StartOptions): Promise<void> {
    const stopRequests = this.stopRequests;
    const scenario = findScenario(id);
    if (!scenario) throw new LabRequestError(`unknown scenario "${id}".`);
    const problem = workerCountProblem(scenario, options.workers, this.options.cores);
    if (problem) throw new LabRequestError(problem);
    const engine = scenario.procedure === 'grid-search' ? gridEngineOf(scenario, options) : 'local';
    if (engine !== 'local') {
      const found = await findEngine(engine);
      if (!found.available)
        throw new LabRequestError(
          `${scenario.id} on ${engine} needs ${ENGINE_PACKAGES[engine].title}: ${found.reason}.`,
        );
    } else if (scenario.engine === 'gpu') {
      const found = await findEngine('gpu');
      if (!found.available)
        throw new LabRequestError(`${scenario.id} needs ${ENGINE_PACKAGES.gpu.title}: ${found.reason}.`);
    } else if (scenario.runtime === 'python') {
      const found = await python();
      if (!found.available) throw new LabRequestError(`${scenario.id} runs real Python, and ${found.reason}.`);
    }
    await this.begin(scenario, options, stopRequests);
  }

  /**
   * Start the user's command as a run, stopping whatever runs first. Resolves once it is running;
   * a program that cannot be started rejects with the reason. Check the request (findExecutable)
   * before calling: that gives the clearer message.
   */
  async startCommand(request: CommandRequest, output: Pick<Run, 'onOutput' | 'outputPerSecond'> = {}): Promise<void> {
    await this.begin(commandScenario(request), { workers: 1, command: request }, this.stopRequests, output);
  }

  /** `stopRequests`: the count when the start was asked for; a stop since then cancels it. */
  private async begin(
    scenario: ScenarioDefinition,
    options: StartOptions,
    stopRequests: number,
    output: Pick<Run, 'onOutput' | 'outputPerSecond'> = {},
  ): Promise<void> {
    // Loaded first: from here on the run starts without a pause in which a later start could stop it.
    const experiment = await loadExperiment(scenario);
    // Two starts may wait on the same stop: the second must stop the first's run, not orphan it.
    while (this.run) await this.stopRun();
    // Stopped (or quitting) while this start waited: it must not start anything now.
    if (this.stopRequests !== stopRequests) return;

    const started = deferred<'ready' | 'done'>();
    const firstGroup = (how: 'ready' | 'done'): void => started.resolve(how);
    const run: Run = {
      scenario,
      workers: options.workers,
      startedAt: Date.now(),
      abort: new AbortController(),
      groups: new Set<LiveGroup>(),
      current: null,
      ...output,
      step: null,
      workerHosts: [],
      stopping: false,
      done: Promise.resolve(null),
    };
    const context = this.contextFor(run, options, () => firstGroup('ready'));
    this.run = run;
    this.sampleWhileRunning();
    run.done = experiment(context).then(
      (result) => this.finish(run, result),
      (error: unknown) => {
        this.finish(run, null);
        throw error;
      },
    );
    run.done.then(
      () => firstGroup('done'),
      () => undefined,
    );
    this.options.onChange?.();
    // A failure to start is the caller's to see; later failures end the run without a result.
    await Promise.race([started.promise, run.done]);
  }

  /**
   * Stop the running experiment in stages and return its result (null when nothing runs). A start
   * still on its way (loading, checking Python, waiting for the last run to stop) is cancelled.
   */
  async stop(): Promise<RunResult | null> {
    this.stopRequests += 1;
    return this.stopRun();
  }

  private async stopRun(): Promise<RunResult | null> {
    const run = this.run;
    if (!run) return null;
    run.stopping = true;
    run.abort.abort();
    this.options.onChange?.();
    const grace = new Promise<null>((resolve) => setTimeout(() => resolve(null), STOP_GRACE_MS).unref());
    const result = await Promise.race([run.done.catch(() => null), grace]);
    if (this.run === run) {
      // The experiment did not wind down in time: nothing of it may survive.
      for (const group of run.groups) group.killNow();
      this.finish(run, null);
    }
    return result;
  }

  /** Resolves with the result when the run ends by itself (a finite job) or is stopped. */
  async whenDone(): Promise<RunResult | null> {
    return this.run ? this.run.done.catch(() => null) : this.latestResult;
  }

  /** Last resort, synchronous: SIGKILL every workload process now (crash and signal exits). */
  killNow(): void {
    this.stopRequests += 1;
    for (const group of this.run?.groups ?? []) group.killNow();
  }

  private finish(run: Run, result: RunResult | null): RunResult | null {
    if (this.run === run) {
      this.run = null;
      clearInterval(this.sampleTimer ?? undefined);
      this.sampleTimer = null;
    }
    for (const group of run.groups) group.killNow();
    if (result) this.latestResult = result;
    this.options.onChange?.();
    return result;
  }

  private sampleWhileRunning(): void {
    if (this.sampleTimer) return;
    this.sampleTimer = setInterval(() => {
      if (!this.run?.current) return;
      this.run.current.sample();
      this.options.onChange?.();
    }, SAMPLE_MS);
    this.sampleTimer.unref();
  }

  private contextFor(run: Run, options: StartOptions, onFirstGroup: () => void): ExperimentContext {
    const aborted = new Promise<void>((resolve) =>
      run.abort.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    return {
      scenario: run.scenario,
      options,
      cores: this.options.cores,
      probe: this.probe,
      affinity: this.affinity,
      signal: run.abort.signal,
      startGroup: async (groupOptions: GroupOptions) => {
        if (run.abort.signal.aborted) throw new Error('stopped');
        run.current = null;
        this.options.onChange?.();
        const group = await WorkloadGroup.start(
          groupOptions,
          {
            launch: this.launch,
            probe: this.probe,
            switchIntervalMs: this.options.switchIntervalMs ?? 5,
            stageMs: this.stageMs,
            onChange: () => this.options.onChange?.(),
          },
          process.pid,
          (starting) => run.groups.add(starting),
        );
        run.current = group;
        onFirstGroup();
        this.options.onChange?.();
        return group;
      },
      startCommand: async (request: CommandRequest, onOutput?: CommandOutputListener) => {
        if (run.abort.signal.aborted) throw new Error('stopped');
        this.scanner ??= createTreeScanner();
        const command = await CommandRun.start(
          request,
          {
            scanner: this.scanner,
            probe: this.probe,
            stageMs: this.stageMs,
            onChange: () => this.options.onChange?.(),
            onOutput: bothListeners(run.onOutput, onOutput),
            outputPerSecond: run.outputPerSecond,
          },
          (starting) => {
            run.groups.add(starting);
            this.command = starting;
          },
        );
        run.current = command;
        onFirstGroup();
        this.options.onChange?.();
        return command;
      },
      stopGroup: async (group) => {
        const stoppedBy = await group.stop();
        run.groups.delete(group);
        if (run.current === group) run.current = null;
        this.options.onChange?.();
        return stoppedBy;
      },
      step: (text) => {
        run.step = text;
        this.options.onChange?.();
      },
      workerHosts: (hosts) => {
        run.workerHosts = [...hosts];
        this.options.onChange?.();
      },
      sleep: (ms) => {
        if (run.abort.signal.aborted) return Promise.resolve(false);
        let timer: NodeJS.Timeout | undefined;
        const elapsed = Number.isFinite(ms)
          ? new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), ms)))
          : new Promise<boolean>(() => undefined);
        return Promise.race([elapsed, aborted.then(() => false)]).finally(() => clearTimeout(timer));
      },
      untilFinished: (group) =>
        Promise.race([group.finished.then(() => !run.abort.signal.aborted), aborted.then(() => false)]),
      baseline: {
        get: () => this.baselines.get(run.scenario.id) ?? null,
        set: (value) => this.baselines.set(run.scenario.id, value),
      },
      reportedCaches: () => {
        this.caches ??= (this.options.reportedCaches ?? readCaches)();
        return this.caches;
      },
    };
  }
}
