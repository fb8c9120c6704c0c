import { CORE_MAP_SLICES, emptyCoreMap } from '../model/core-map.js';
import { type DashboardState, noReadings } from '../model/dashboard-state.js';
import type { RunResult, RunSnapshot } from '../model/lab-types.js';
import {
  type Recording,
  type RecordingEntry,
  type SampleLine,
  processFromRecord,
  systemFromRecord,
  threadFromRecord,
} from '../model/recording.js';
import type { Renderer } from './dashboard-runtime.js';
import type { DashboardEvent, Effect } from './events.js';
import { HISTORY_CAPACITY, reduce } from './reducer.js';

/** A wait between two lines is never longer than this, however slow the speed or long the gap recorded. */
const MAX_WAIT_MS = 5000;

export interface ReplayDeps {
  renderer: Renderer;
  onQuit(): void;
  now?: () => number;
}

/**
 * The dashboard fed from a recording instead of the sampler: the same events through the same
 * reducer, so the same screens. It holds no sampler, no lab and no signal sender: a replay can
 * show a kill dialog's refusal, but has nothing to send a signal with.
 */
export class ReplayRuntime {
  /** Index of the next entry to apply. */
  private next = 0;
  /** Entry index of each sample line. */
  private readonly sampleAt: number[];
  private timer: NodeJS.Timeout | undefined;
  private renderQueued = false;
  private stopped = false;
  private labRun: RunSnapshot | null = null;
  private result: RunResult | null = null;
  private lastSample: SampleLine | null = null;
  private readonly now: () => number;
  private readonly first: number;

  constructor(
    private state: DashboardState,
    private readonly recording: Recording,
    private readonly deps: ReplayDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.sampleAt = recording.entries.flatMap((entry, index) => (entry.line.type === 'sample' ? [index] : []));
    this.first = recording.entries[this.sampleAt[0] ?? 0]?.at ?? 0;
  }

  get current(): DashboardState {
    return this.state;
  }

  /** Shows the first sample, then plays. */
  start(): void {
    if (this.recording.header.machine) this.dispatch({ type: 'facts-read', facts: this.recording.header.machine });
    this.applyThrough(this.sampleAt[0] ?? this.recording.entries.length - 1);
    this.moved();
    this.schedule();
    this.queueRender();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  dispatch(event: DashboardEvent): void {
    if (this.stopped) return;
    const step = reduce(this.state, event, this.now());
    this.state = step.state;
    for (const effect of step.effects) this.run(effect);
    this.queueRender();
  }

  /** The sample shown: the last sample line applied. */
  private position(): number {
    let position = -1;
    for (const [index, entry] of this.sampleAt.entries()) if (entry < this.next) position = index;
    return position;
  }

  private run(effect: Effect): void {
    switch (effect.type) {
      case 'quit':
        this.deps.onQuit();
        return;
      case 'timing-changed':
        if (!this.state.paused && this.state.replay?.ended) this.seekTo(0);
        this.schedule();
        return;
      case 'replay-seek':
        this.seekTo(this.position() + effect.step);
        return;
      case 'sample-threads':
        this.threadsOf(effect.pid);
        return;
      default:
        // Signals, pinning, the lab: the reducer refuses them in a replay, and there is nothing here to do them with.
        return;
    }
  }

  /** A thread view opened: the recording has the threads of the lab run's process only. */
  private threadsOf(pid: number): void {
    const line = this.lastSample;
    if (line?.threadsOf === pid && line.threads) {
      this.dispatch({ type: 'threads-sampled', pid, threads: line.threads.map(threadFromRecord) });
      return;
    }
    // The run's own process: its threads come with the next sample.
    if (this.labRun?.pids.includes(pid)) return;
    this.dispatch({
      type: 'notice',
      ok: false,
      text: `The recording has no threads of PID ${pid}: only those of the lab run's process.`,
    });
  }

  /** Plays on: the next line after as long as it came after the last, at the chosen speed. */
  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopped || this.state.paused || this.next >= this.recording.entries.length) return;
    const previous = this.recording.entries[this.next - 1]?.at;
    const upcoming = this.recording.entries[this.next]?.at ?? 0;
    const gap = previous === undefined ? 0 : Math.max(0, upcoming - previous);
    const speed = this.state.replay?.speed ?? 1;
    this.timer = setTimeout(
      () => {
        this.apply(this.recording.entries[this.next]);
        this.next += 1;
        this.moved();
        this.schedule();
      },
      Math.min(MAX_WAIT_MS, gap / speed),
    );
  }

  private moved(): void {
    const position = this.position();
    const at = this.recording.entries[this.sampleAt[position] ?? -1]?.at ?? this.first;
    const ended = this.next >= this.recording.entries.length;
    this.dispatch({ type: 'replay-moved', position, atMs: at - this.first, ended });
  }

  /** The lines up to entry `last`; samples before `listFrom` without their process list (a rebuild's). */
  private applyThrough(last: number, listFrom = 0): void {
    while (this.next <= last && this.next < this.recording.entries.length) {
      this.apply(this.recording.entries[this.next], this.next >= listFrom);
      this.next += 1;
    }
  }

  /**
   * Show sample `position`: the data is rebuilt from a window before it, long enough for the
   * meters' history (the lab's state is carried in from before the window), and the view stays as it is.
   */
  private seekTo(position: number): void {
    const target = Math.max(0, Math.min(this.sampleAt.length - 1, position));
    const atEnd = target === this.sampleAt.length - 1;
    // At the last sample, the lines after it too: the run's end and result come after its last sample.
    const last = atEnd ? this.recording.entries.length - 1 : this.sampleAt[target];
    if (last === undefined) return;
    if (target === this.position() && !atEnd) return;
    if (target > this.position()) {
      // Forward: the lines up to it, as playing would.
      this.applyThrough(last);
      this.moved();
      this.schedule();
      return;
    }
    const from = this.sampleAt[Math.max(0, target - HISTORY_CAPACITY)] ?? 0;
    // The lab as it was when the window opens.
    let run: RunSnapshot | null = null;
    let result: RunResult | null = null;
    for (const entry of this.recording.entries.slice(0, from)) {
      if (entry.line.type !== 'lab') continue;
      if (entry.line.event === 'run') run = entry.line.run;
      else if (entry.line.event === 'ended') run = null;
      else if (entry.line.event === 'result') result = entry.line.result;
    }
    const state = this.state;
    this.state = {
      ...state,
      ...noReadings(),
      threadPanel: null,
      coreMap: state.coreMap && emptyCoreMap(state.coreIds),
      lab: { ...state.lab, run: null, result: null, map: null },
    };
    this.labRun = null;
    this.result = null;
    this.lastSample = null;
    if (run || result) this.setLab(run, result);
    this.next = from;
    // Only the list shown needs the processes, and the core map's strip when it draws from them.
    const listFrom = this.state.coreMap ? (this.sampleAt[Math.max(0, target - CORE_MAP_SLICES)] ?? 0) : last;
    this.applyThrough(last, listFrom);
    this.moved();
    this.schedule();
  }

  private setLab(run: RunSnapshot | null, result: RunResult | null): void {
    this.labRun = run;
    this.result = result;
    this.dispatch({ type: 'lab-changed', run, result, output: null });
  }

  private apply(entry: RecordingEntry | undefined, withProcesses = true): void {
    if (!entry) return;
    const line = entry.line;
    if (line.type === 'sample') {
      this.lastSample = line;
      this.dispatch({ type: 'system-sampled', sample: systemFromRecord(line), selfCpu: null });
      // Recordings made before GPUs were recorded have no gpus; a machine without one, an empty list.
      if (line.gpus && line.gpus.length > 0) this.dispatch({ type: 'gpus-sampled', gpus: [...line.gpus] });
      if (withProcesses) this.dispatch({ type: 'processes-sampled', processes: line.processes.map(processFromRecord) });
      const panel = this.state.threadPanel;
      if (panel && line.threadsOf === panel.pid && line.threads)
        this.dispatch({ type: 'threads-sampled', pid: panel.pid, threads: line.threads.map(threadFromRecord) });
      return;
    }
    switch (line.event) {
      case 'run':
        this.setLab(line.run, this.result);
        return;
      case 'ended':
        this.setLab(null, this.result);
        return;
      case 'result':
        this.setLab(this.labRun, line.result);
        return;
      case 'placements':
        this.dispatch({ type: 'placements-sampled', tasks: line.tasks });
        return;
    }
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
