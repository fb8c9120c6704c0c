import { type CommandRequest, CommandLineError } from '../lab/command-line.js';
import { runnableCommand } from '../lab/command-request.js';
import type { DashboardState } from '../model/dashboard-state.js';
import { type CpuAffinity, createCpuAffinity } from '../sampler/cpu-affinity.js';
import type { Sampler } from '../sampler/sampler.js';
import type { GpuSource } from '../sampler/gpu-source.js';
import { withGpuUse } from '../model/gpu-use.js';
import type { TaskProbe } from '../sampler/task-probe.js';
import { CORE_MAP_SLICE_MS } from '../model/core-map.js';
import type { DashboardEvent, Effect } from './events.js';
import { labProcessesChanged, processScanDue, processScanEveryMs } from '../model/scan-cadence.js';
import { OwnCpuAverage } from '../model/cpu-load.js';
import { reduce } from './reducer.js';
import { pinTask } from './pin-task.js';
import { sendSignal } from './send-signal.js';
import type { RuntimeObserver } from './dashboard-recorder.js';
import { messageOf } from '../model/error-message.js';
import { placeWorkers } from './place-workers.js';

export interface Renderer {
  render(state: DashboardState): void;
}

/** The part of the lab engine the runtime drives. */
export interface LabControl {
  start(scenarioId: string, options: { workers: number }): Promise<void>;
  startCommand(request: CommandRequest, output: { outputPerSecond: number }): Promise<void>;
  stop(): Promise<unknown>;
}

export interface RuntimeDeps {
  sampler: Sampler;
  renderer: Renderer;
  lab: LabControl;
  /** Where the lab's threads run, for the core map; without it the map shows only the process scans. */
  probe?: Pick<TaskProbe, 'placement'>;
  /** Reads and sets the cores a task may run on (a); this platform's own where not given. */
  affinity?: CpuAffinity;
  onQuit(): void;
  /** The GPUs, where there are any (started and closed by whoever made it); without one nothing is asked. */
  gpus?: GpuSource;
  /** Look for the distributed engines; what is found comes back as engine-found events. */
  findEngines?(): void;
  /** Writes the last run's trace (T); resolves to where. */
  exportTrace?(): Promise<string>;
  /** See every event and the end of every tick: the recording (--record) and the last run's tape. */
  observers?: RuntimeObserver[];
  /** Wall-clock time, ms since the epoch (state timestamps, status expiry). */
  now?: () => number;
  /** A monotonic clock, ms (when ticks are due); tests drive it and the timers by hand. */
  monotonic?: () => number;
}

/**
 * How much of a command's output the dashboard reads per second. Far more than anyone can read;
 * a program printing flat out (yes) waits on its writes instead of costing paratop a whole core.
 */
const DASHBOARD_OUTPUT_PER_SECOND = 1_000_000;
/** After a signal, or when lab workers come or go, look again soon: the list should show it promptly. */
const RESCAN_SOON_MS = 300;
/** The header's own-CPU figure covers this long, and so changes this often. */
const OWN_CPU_BLOCK_MS = 5000;

/**
 * The one event loop: timers drive the sampler, samples and input become events, the reducer makes
 * the next state, and a frame is drawn once per turn of the event loop, never in a tight loop.
 */
export class DashboardRuntime {
  private tickTimer: NodeJS.Timeout | undefined;
  private lastScanAt = Number.NEGATIVE_INFINITY;
  private statusTimer: NodeJS.Timeout | undefined;
  private timedStatus: DashboardState['status'] = null;
  /** Bumped on every reschedule, so a sample that was under way when timing changed is not rescheduled twice. */
  private generation = 0;
  private renderQueued = false;
  private stopped = false;
  private readonly ownCpu = new OwnCpuAverage(OWN_CPU_BLOCK_MS);
  private placementTimer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly monotonic: () => number;
  private readonly affinity: CpuAffinity;

  constructor(
    private state: DashboardState,
    private readonly deps: RuntimeDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.monotonic = deps.monotonic ?? (() => performance.now());
    this.affinity = deps.affinity ?? createCpuAffinity();
  }

  get current(): DashboardState {
    return this.state;
  }

  start(firstDelayMs: number): void {
    this.schedule(firstDelayMs);
    this.queueRender();
  }

  stop(): void {
    this.stopped = true;
    this.generation += 1;
    clearTimeout(this.tickTimer);
    clearTimeout(this.statusTimer);
    clearTimeout(this.placementTimer);
  }

  dispatch(event: DashboardEvent): void {
    if (this.stopped) return;
    for (const observer of this.deps.observers ?? []) observer.event(event, this.state);
    const step = reduce(this.state, event, this.now());
    const before = this.state;
    this.state = step.state;
    if (labProcessesChanged(before, this.state)) this.rescanSoon();
    for (const effect of step.effects) this.run(effect);
    // A run's threads are placed while it runs (the panel reads the map), and whenever the map is open.
    if (this.placementTimer === undefined && (this.state.coreMap || this.state.lab.run)) this.placeLabThreads();
    this.expireStatusLater();
    this.queueRender();
  }

  private run(effect: Effect): void {
    switch (effect.type) {
      case 'quit':
        this.deps.onQuit();
        return;
      case 'timing-changed':
        this.schedule(this.state.paused ? null : 0);
        return;
      case 'sample-threads':
        // Asked for when a thread view opens: its first reading starts afresh.
        void this.sampleThreads(effect.pid, true);
        return;
      case 'find-engines':
        this.deps.findEngines?.();
        return;
      case 'export-trace': {
        const writing = this.deps.exportTrace?.() ?? Promise.reject(new Error('this dashboard keeps no trace'));
        writing.then(
          (path) =>
            this.dispatch({
              type: 'notice',
              ok: true,
              text: `Trace of the last run: ${path} (open it in ui.perfetto.dev)`,
            }),
          (error: unknown) => this.reportFailure('writing the trace', error),
        );
        return;
      }
      case 'replay-seek':
        // Only a replay has a recording to move through.
        return;
      case 'lab-start':
        this.deps.lab.start(effect.scenarioId, { workers: effect.workers }).catch((error: unknown) => {
          this.dispatch({
            type: 'lab-failed',
            message: `Could not start ${effect.scenarioId}: ${messageOf(error)}`,
          });
        });
        return;
      case 'lab-run-command': {
        let request: CommandRequest;
        try {
          request = runnableCommand({ line: effect.line });
        } catch (error) {
          const message = error instanceof CommandLineError ? error.message : String(error);
          this.dispatch({ type: 'lab-failed', message: `Cannot run that: ${message}` });
          return;
        }
        this.run({ type: 'lab-start-command', request });
        return;
      }
      case 'lab-start-command':
        this.deps.lab
          .startCommand(effect.request, { outputPerSecond: DASHBOARD_OUTPUT_PER_SECOND })
          .catch((error: unknown) => {
            this.dispatch({
              type: 'lab-failed',
              message: `Could not run ${effect.request.display}: ${messageOf(error)}`,
            });
          });
        return;
      case 'lab-stop':
        this.deps.lab.stop().catch((error: unknown) => this.reportFailure('stopping the experiment', error));
        return;
      case 'send-signal':
        void sendSignal(effect.target, effect.signal, {
          identify: (pid) => this.deps.sampler.identify(pid),
          selfPid: this.state.selfPid,
        }).then((outcome) => {
          this.dispatch({ type: 'notice', ...outcome });
          this.rescanSoon();
        });
        return;
      case 'read-affinity': {
        const { pid, tid } = effect;
        void this.affinity.read(pid, tid ?? undefined).then((reading) =>
          this.dispatch({
            type: 'affinity-read',
            pid,
            tid,
            cores: reading.ok ? reading.cores : null,
            reason: reading.ok ? null : reading.reason,
          }),
        );
        return;
      }
      case 'set-affinity':
        // taskset starts only here, after the user pressed Enter in the dialog.
        void pinTask(effect.target, effect.cores, {
          identify: (pid) => this.deps.sampler.identify(pid),
          selfPid: this.state.selfPid,
          setAffinity: (pid, cores, allThreads) => this.affinity.set(pid, cores, allThreads),
          hasThread: async (pid, tid) => (await this.affinity.read(pid, tid)).ok,
        }).then((outcome) => this.dispatch({ type: 'notice', ...outcome }));
        return;
    }
  }

  /** (Re)start ticking after `delayMs`; null stops it (paused). */
  private schedule(delayMs: number | null): void {
    this.generation += 1;
    clearTimeout(this.tickTimer);
    if (delayMs === null || this.stopped) return;
    const generation = this.generation;
    this.tickTimer = setTimeout(() => void this.tick(generation), delayMs);
  }

  private rescanSoon(): void {
    if (this.state.paused || this.stopped) return;
    const generation = this.generation;
    setTimeout(() => void this.scanProcesses(generation), RESCAN_SOON_MS);
  }

  /**
   * One timer for everything, so each interval wakes paratop once and draws one frame: the meters
   * (and an open thread view) every tick, the process list on the ticks where its own, slower
   * cadence falls due.
   */
  private async tick(generation: number): Promise<void> {
    const startedAt = this.monotonic();
    try {
      const sample = await this.deps.sampler.sampleSystem();
      if (generation !== this.generation) return;
      this.dispatch({ type: 'system-sampled', sample, selfCpu: this.selfCpu() });
    } catch (error) {
      this.reportFailure('reading CPU and memory', error);
    }
    const gpus = this.deps.gpus;
    if (gpus && gpus.kind !== 'none') this.dispatch({ type: 'gpus-sampled', gpus: gpus.sampleGpus() });
    if (processScanDue(startedAt, this.lastScanAt, processScanEveryMs(this.state))) {
      this.lastScanAt = startedAt;
      await this.scanProcesses(generation);
    } else {
      await this.sampleOpenThreads();
    }
    if (generation !== this.generation || this.stopped) return;
    for (const observer of this.deps.observers ?? []) observer.tickDone(this.state);
    const delay = Math.max(0, startedAt + this.state.intervalMs - this.monotonic());
    this.tickTimer = setTimeout(() => void this.tick(generation), delay);
  }

  private async scanProcesses(generation: number): Promise<void> {
    try {
      const sampled = await this.deps.sampler.sampleProcesses();
      if (generation !== this.generation) return;
      const gpus = this.deps.gpus;
      const processes =
        gpus && gpus.kind !== 'none'
          ? withGpuUse(sampled, gpus.sampleProcessUse(sampled.map((process) => process.pid)))
          : sampled;
      this.dispatch({ type: 'processes-sampled', processes });
      await this.sampleOpenThreads();
    } catch (error) {
      this.reportFailure('reading processes', error);
    }
  }

  /** The thread view is one process the user is watching closely: it follows the meters' cadence. */
  private async sampleOpenThreads(): Promise<void> {
    const panel = this.state.threadPanel;
    if (panel && !panel.exited) await this.sampleThreads(panel.pid);
  }

  private async sampleThreads(pid: number, restart = false): Promise<void> {
    try {
      const threads = await this.deps.sampler.sampleThreads(pid, restart);
      this.dispatch({ type: 'threads-sampled', pid, threads });
    } catch (error) {
      this.reportFailure(`reading the threads of PID ${pid}`, error);
    }
  }

  /**
   * While the core map is open and the lab runs, where each of its threads is, several times a
   * second: a few small files per look. Without a run the map takes each process scan instead.
   */
  private placeLabThreads(): void {
    this.placementTimer = undefined;
    if (this.stopped || !(this.state.coreMap || this.state.lab.run)) return;
    // Set before dispatching: the dispatch below must not start a second loop.
    this.placementTimer = setTimeout(() => this.placeLabThreads(), CORE_MAP_SLICE_MS);
    const probe = this.deps.probe;
    const workers = this.state.lab.run?.workerStates ?? [];
    if (!probe || workers.length === 0 || this.state.paused) return;
    this.dispatch({ type: 'placements-sampled', tasks: placeWorkers(probe, workers) });
  }

  /** paratop's own CPU use, % of one core, over the latest few seconds. */
  private selfCpu(): number | null {
    const usage = process.cpuUsage();
    return this.ownCpu.add(this.monotonic(), (usage.user + usage.system) / 1000);
  }

  private reportFailure(what: string, error: unknown): void {
    this.dispatch({ type: 'notice', ok: false, text: `Failed ${what}: ${messageOf(error)}` });
  }

  /** Redraw when the status message runs out, even if nothing else happens (e.g. while paused). */
  private expireStatusLater(): void {
    const status = this.state.status;
    if (status === this.timedStatus) return;
    this.timedStatus = status;
    clearTimeout(this.statusTimer);
    if (!status || status.until <= this.state.now) return;
    this.statusTimer = setTimeout(() => this.dispatch({ type: 'tick' }), status.until - this.state.now + 20);
  }

  private queueRender(): void {
    if (this.renderQueued || this.stopped) return;
    this.renderQueued = true;
    setImmediate(() => {
      this.renderQueued = false;
      if (!this.stopped) this.deps.renderer.render(this.state);
    });
  }
}
