import type { PythonMode, ToEngine, ToWorkload, WorkloadMode, WorkloadSpec } from './protocol.js';
import type { JoinedResult, ScenarioKind, StopReason, WorkerState } from '../model/lab-types.js';
import type { CpuTimes } from '../model/types.js';
import type { LaunchedWorkload, WorkloadProgram, launchWorkload } from './launch-workload.js';
import type { LiveGroup } from './live-group.js';
import { cpuPercent, perSecond } from '../model/cpu-load.js';
import { CounterTrack } from './counter-track.js';
import { deferred } from './deferred.js';
import { signalQuietly } from './signal-quietly.js';
import { climbStopLadder, stopStages } from './stop-ladder.js';
import type { TaskProbe } from '../sampler/task-probe.js';

export interface GroupOptions {
  kind: ScenarioKind;
  /** Node workloads (the default), or the Python one: a single Python process runs every worker. */
  runtime?: 'node' | 'python';
  mode: WorkloadMode | PythonMode;
  namePrefix: string;
  workers: number;
  /** Settings every worker gets (units, count, megabytes, ...). */
  spec?: Partial<WorkloadSpec>;
  /** Settings for one worker process (process groups), by its index from 1. */
  specFor?: (index: number) => Partial<WorkloadSpec>;
  /**
   * Hears every message from the first one on: subscribed before any worker starts, so nothing a
   * fast worker sends early is missed (onMessage() on a started group hears only what comes later).
   */
  onMessage?: (message: ToEngine, from: LaunchedWorkload) => void;
  /** Python: how long the workload may run at most before it ends itself (default 600 s). */
  maxSeconds?: number;
}

/** A Python workload ends itself after this long when the experiment gives no bound of its own. */
const DEFAULT_PYTHON_MAX_SECONDS = 600;

export interface GroupDeps {
  launch: typeof launchWorkload;
  probe: TaskProbe;
  switchIntervalMs: number;
  stageMs: { ask: number; terminate: number; kill: number };
  /** Something worth redrawing happened (a worker reported in, or died). */
  onChange(): void;
}

/** What a group measured at one moment, before anything was stopped. */
export interface GroupMeasure {
  wallSeconds: number;
  cpuSeconds: number | null;
  units: number;
  coresBefore: (CpuTimes | undefined)[] | null;
  coresAfter: (CpuTimes | undefined)[] | null;
  workerStates: WorkerState[];
}

interface Launched {
  workload: LaunchedWorkload;
  spec: WorkloadSpec;
}

const READY_TIMEOUT_MS = 15_000;

/**
 * The workers of one step of an experiment: one thread host, or one process per worker. Follows
 * their PIDs, TIDs, work and CPU time from the moment all have reported in, passes messages both
 * ways, and stops them in stages (ask, wait, SIGTERM, wait, SIGKILL).
 */
export class WorkloadGroup implements LiveGroup {
  readonly launched: Launched[] = [];
  readonly states = new Map<number, WorkerState>();
  readonly joined: JoinedResult[] = [];
  /** performance.now() when every worker had reported in: measuring starts there. */
  readyAt = 0;
  ctxPerSecond: number | null = null;
  /** What a Python workload said of itself. */
  python: { version: string; freeThreaded: boolean } | null = null;
  private readonly listeners: ((message: ToEngine, from: LaunchedWorkload) => void)[] = [];
  /** CPU seconds of each worker process, by PID. */
  private readonly processCpu = new CounterTrack<number>();
  /** CPU seconds and context switches of each worker, by its index. */
  private readonly workerCpu = new CounterTrack<number>();
  private readonly switches = new CounterTrack<number>();
  private lastSampleAt = 0;
  private coresAtReady: (CpuTimes | undefined)[] | null = null;
  private finishedCount = 0;
  private stopping: Promise<StopReason> | null = null;
  /** performance.now() when the workers were asked to stop; 0 before. */
  private stopAskedAt = 0;
  /** Workload processes that sent their counts after being asked to stop: those counts are exact. */
  private readonly countedAfterStop = new Set<number>();
  /** Every workload ended on being asked (none needed a signal), so each sent its last count. */
  private stoppedWhenAsked = false;
  private readonly allFinished = deferred();
  /** Resolves when every worker process has said it finished, or has exited. */
  readonly finished = this.allFinished.promise;

  private constructor(
    readonly options: GroupOptions,
    private readonly deps: GroupDeps,
  ) {}

  get kind(): ScenarioKind {
    return this.options.kind;
  }

  get workerCount(): number {
    return this.options.workers;
  }

  get hostName(): string | null {
    return this.options.kind === 'threads' ? `${this.options.namePrefix}-main` : null;
  }

  /**
   * Launch every worker and wait until all have reported in; on failure nothing is left running.
   * `track` hears of the group at once, before any worker starts, so a caller that must kill
   * everything at short notice never misses a group still starting.
   */
  static async start(
    options: GroupOptions,
    deps: GroupDeps,
    parentPid: number,
    track: (group: WorkloadGroup) => void = () => undefined,
  ): Promise<WorkloadGroup> {
    const group = new WorkloadGroup(options, deps);
    if (options.onMessage) group.listeners.push(options.onMessage);
    track(group);
    // It may fail while workers are still being launched, before anyone awaits it.
    const ready = deferred(true);
    const failed = (error: Error): void => ready.reject(error);
    const timeout = setTimeout(
      () => failed(new Error(`workers did not start within ${READY_TIMEOUT_MS / 1000} s`)),
      READY_TIMEOUT_MS,
    );
    const specs = group.specs(deps.switchIntervalMs, parentPid);
    // Every process launched and every worker reported in: the clock starts, and so do the workers.
    const checkReady = (): void => {
      if (group.readyAt !== 0 || group.launched.length < specs.length || group.states.size < options.workers) return;
      group.beginMeasuring();
      group.send({ type: 'go' });
      ready.resolve();
    };
    try {
      for (const spec of specs) {
        // Each launch forks paratop synchronously (milliseconds each): let the screen and keys
        // have the event loop between launches, or starting 50 workers freezes it for a second.
        if (group.launched.length > 0) await new Promise((resolve) => setImmediate(resolve));
        const entry = { spec } as Launched;
        const program: WorkloadProgram =
          options.runtime === 'python' ? 'python' : options.kind === 'threads' ? 'thread-host' : 'process-worker';
        entry.workload = await deps.launch(program, spec, (message) => {
          group.receive(entry, message);
          checkReady();
        });
        group.launched.push(entry);
        checkReady();
        void entry.workload.ended.then((end) => {
          if (group.stopping) return;
          const how = end.signal ? `killed by ${end.signal}` : `exited with code ${end.code}`;
          if (group.readyAt === 0)
            failed(new Error(`a worker ${how} while starting${end.stderr ? `: ${end.stderr.trim()}` : ''}`));
          for (const state of group.states.values())
            if (state.pid === entry.workload.pid && !state.exit) state.exit = how;
          if (!group.alive()) group.allFinished.resolve();
          deps.onChange();
        });
      }
      await ready.promise;
      return group;
    } catch (error) {
      group.killNow();
      throw error;
    } finally {
      clearTimeout(timeout);
    }
  }

  /** The processes launched, then any worker processes they started themselves (Python's multiprocessing). */
  pids(): number[] {
    const pids = this.launched.map(({ workload }) => workload.pid);
    for (const state of this.states.values()) if (!pids.includes(state.pid)) pids.push(state.pid);
    return pids;
  }

  livePids(): number[] {
    return this.launched.filter(({ workload }) => workload.alive).map(({ workload }) => workload.pid);
  }

  alive(): boolean {
    return this.launched.some(({ workload }) => workload.alive);
  }

  workerStates(): WorkerState[] {
    return [...this.states.values()].sort((a, b) => a.index - b.index).map((state) => ({ ...state }));
  }

  units(): number {
    let units = 0;
    for (const state of this.states.values()) units += state.units;
    return units;
  }

  /** Hear messages from now on; to hear those sent during start-up, pass GroupOptions.onMessage. */
  onMessage(listener: (message: ToEngine, from: LaunchedWorkload) => void): void {
    this.listeners.push(listener);
  }

  /** Send to one worker process (by PID), or to all. */
  send(message: ToWorkload, pid?: number): void {
    for (const { workload } of this.launched) if (pid === undefined || workload.pid === pid) workload.send(message);
  }

  elapsedSeconds(): number {
    return this.readyAt === 0 ? 0 : (performance.now() - this.readyAt) / 1000;
  }

  /** CPU time of every worker process since measuring began; a dead one counts up to its last reading. */
  cpuSeconds(): number | null {
    return this.processCpu.totalOver(this.pids());
  }

  /** Refresh per-worker CPU% and context switches from the kernel. */
  sample(): void {
    if (this.readyAt === 0) return;
    const now = performance.now();
    const elapsed = (now - this.lastSampleAt) / 1000;
    for (const pid of this.pids()) {
      const cpu = this.deps.probe.processCpuSeconds(pid);
      // A probe that answers late (ps on macOS) had nothing at the start: measuring starts at its first answer.
      if (cpu !== null && !this.processCpu.has(pid)) this.processCpu.start(pid, cpu);
      else if (cpu !== null) this.processCpu.read(pid, cpu);
    }
    let switches = 0;
    let counted = false;
    for (const state of this.states.values()) {
      const total = this.readWorkerCpu(state);
      if (total !== null && !this.workerCpu.has(state.index)) this.workerCpu.start(state.index, total);
      else if (total !== null) {
        const before = this.workerCpu.read(state.index, total);
        state.cpuSeconds = this.workerCpu.sinceStart(state.index);
        state.cpu = before === undefined ? null : cpuPercent(before, total, elapsed);
      }
      const ctx = this.readSwitches(state);
      const ctxBefore = ctx === null ? undefined : this.switches.read(state.index, ctx);
      if (ctx !== null && ctxBefore !== undefined) {
        switches += Math.max(0, ctx - ctxBefore);
        counted = true;
      }
    }
    this.ctxPerSecond = (counted ? perSecond(0, switches, elapsed) : null) ?? this.ctxPerSecond;
    this.lastSampleAt = now;
  }

  /** Everything measured so far, taken now (while the workers can still be read). */
  measure(): GroupMeasure {
    this.sample();
    return {
      wallSeconds: this.elapsedSeconds(),
      cpuSeconds: this.cpuSeconds(),
      units: this.units(),
      coresBefore: this.coresAtReady,
      coresAfter: this.deps.probe.coreTimes(),
      workerStates: this.workerStates(),
    };
  }

  /**
   * A measure taken while running, corrected after stop(): progress reports are only periodic, so the
   * work is taken from the counts each worker sends as it stops, and the wall time runs to the moment
   * they were asked to. Unchanged when a worker could not report (it was killed, or had ended).
   */
  exactAfterStop(measured: GroupMeasure): GroupMeasure {
    const all = this.stoppedWhenAsked && this.launched.every(({ workload }) => this.countedAfterStop.has(workload.pid));
    if (!all) return measured;
    const units = new Map([...this.states.values()].map((state) => [state.index, state.units]));
    return {
      ...measured,
      wallSeconds: (this.stopAskedAt - this.readyAt) / 1000,
      units: this.units(),
      workerStates: measured.workerStates.map((state) => ({ ...state, units: units.get(state.index) ?? state.units })),
    };
  }

  /** Stop in stages; resolves with the gentlest stage that was enough. */
  stop(): Promise<StopReason> {
    this.stopping ??= this.stopInStages();
    return this.stopping;
  }

  /** Last resort, synchronous: SIGKILL every worker process now, those the workloads started too. */
  killNow(): void {
    for (const { workload } of this.launched) workload.kill('SIGKILL');
    const launched = new Set(this.launched.map(({ workload }) => workload.pid));
    for (const pid of this.pids()) {
      if (!launched.has(pid)) signalQuietly(pid, 'SIGKILL');
    }
  }

  private async stopInStages(): Promise<StopReason> {
    const remaining = (): LaunchedWorkload[] =>
      this.launched.map(({ workload }) => workload).filter((workload) => workload.alive);
    const reason = await climbStopLadder(stopStages(this.deps.stageMs, null), {
      done: () => remaining().length === 0,
      send: ({ signal }) => {
        if (signal === null) this.stopAskedAt = performance.now();
        for (const workload of remaining()) {
          if (signal) workload.kill(signal);
          else workload.send({ type: 'stop' });
        }
      },
      waitForEnd: (ms) => allEnded(remaining(), ms),
    });
    // Let the last progress messages, sent just before exit, be read.
    await new Promise((resolve) => setImmediate(resolve));
    this.stoppedWhenAsked = reason === 'asked';
    return reason ?? 'exited';
  }

  private specs(switchIntervalMs: number, parentPid: number): WorkloadSpec[] {
    const { kind, runtime, mode, namePrefix, workers, spec, specFor, maxSeconds } = this.options;
    const base: WorkloadSpec = { mode, namePrefix, switchIntervalMs, parentPid, threads: 1, firstIndex: 1, ...spec };
    if (runtime === 'python') {
      return [
        {
          ...base,
          workers: base.workers ?? workers,
          threads: workers,
          firstIndex: 1,
          maxSeconds: maxSeconds ?? DEFAULT_PYTHON_MAX_SECONDS,
        },
      ];
    }
    if (kind === 'threads') return [{ ...base, threads: workers, firstIndex: 1 }];
    return Array.from({ length: workers }, (_, offset) => ({
      ...base,
      ...specFor?.(offset + 1),
      threads: 1,
      firstIndex: offset + 1,
    }));
  }

  private receive({ spec, workload }: Launched, message: ToEngine): void {
    switch (message.type) {
      case 'ready':
        this.states.set(message.index, {
          index: message.index,
          pid: message.pid,
          tid: message.tid,
          name: message.name,
          units: 0,
          cpuSeconds: null,
          cpu: null,
          exit: null,
        });
        this.deps.onChange();
        break;
      case 'progress':
        // Only a worker's last count is exact; a periodic one may have been on its way before the stop.
        if (this.stopAskedAt > 0 && message.final) this.countedAfterStop.add(workload.pid);
        message.units.forEach((units, slot) => {
          const state = this.states.get((message.first ?? spec.firstIndex) + slot);
          if (state) state.units = units;
        });
        break;
      case 'hello':
        this.python = { version: message.version, freeThreaded: message.freeThreaded };
        break;
      case 'result':
        this.joined.push({ index: message.index, argument: message.argument, result: message.result });
        break;
      case 'finished':
        this.finishedCount += 1;
        if (this.finishedCount === this.launched.length) this.allFinished.resolve();
        break;
      case 'error':
        for (const state of this.states.values())
          if (state.pid === workload.pid && !state.exit) state.exit = message.message;
        break;
      default:
        break;
    }
    for (const listener of this.listeners) listener(message, workload);
  }

  private beginMeasuring(): void {
    this.readyAt = performance.now();
    this.lastSampleAt = this.readyAt;
    this.coresAtReady = this.deps.probe.coreTimes();
    for (const pid of this.pids()) {
      const cpu = this.deps.probe.processCpuSeconds(pid);
      if (cpu !== null) this.processCpu.start(pid, cpu);
    }
    for (const state of this.states.values()) {
      const cpu = this.readWorkerCpu(state);
      if (cpu !== null) this.workerCpu.start(state.index, cpu);
      const ctx = this.readSwitches(state);
      if (ctx !== null) this.switches.start(state.index, ctx);
    }
  }

  /** Context switches of every worker thread since measuring began (as of the last sample). */
  contextSwitchesSinceReady(): number | null {
    return this.switches.total();
  }

  private readSwitches(state: WorkerState): number | null {
    return state.tid === null ? null : this.deps.probe.contextSwitches(state.pid, state.tid);
  }

  private readWorkerCpu(state: WorkerState): number | null {
    if (this.options.kind === 'processes' || state.tid === null) return this.deps.probe.processCpuSeconds(state.pid);
    return this.deps.probe.threadCpuSeconds(state.pid, state.tid);
  }
}

async function allEnded(workloads: readonly LaunchedWorkload[], timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  try {
    await Promise.race([Promise.all(workloads.map((workload) => workload.ended)), late]);
  } finally {
    clearTimeout(timer);
  }
}
