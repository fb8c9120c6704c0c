import type { DashboardState } from '../model/dashboard-state.js';
import type { RecordingLines } from '../model/recording-lines.js';
import type { GpuSample, ProcessSample, SystemSample, ThreadSample } from '../model/types.js';
import type { DashboardEvent } from './events.js';

/** Sees every event the runtime dispatches (before the reducer), and the end of each tick. */
export interface RuntimeObserver {
  event(event: DashboardEvent, state: DashboardState): void;
  tickDone(state: DashboardState): void;
}

/**
 * The dashboard's samples as a recording: the readings the runtime already has, a line per tick
 * (the meters' reading with the latest process list), the lab's events, and the run's placements.
 */
export class DashboardRecorder implements RuntimeObserver {
  private system: SystemSample | null = null;
  private fresh = false;
  private processes: readonly ProcessSample[] = [];
  private threads: { pid: number; threads: readonly ThreadSample[] } | null = null;
  private gpus: readonly GpuSample[] = [];

  constructor(
    private readonly lines: RecordingLines,
    private readonly now: () => number = Date.now,
  ) {}

  event(event: DashboardEvent, state: DashboardState): void {
    switch (event.type) {
      case 'system-sampled':
        this.system = event.sample;
        this.fresh = true;
        return;
      case 'processes-sampled':
        this.processes = event.processes;
        return;
      case 'gpus-sampled':
        this.gpus = event.gpus;
        return;
      case 'threads-sampled': {
        // The threads of the lab's run, as its thread view read them.
        const ofRun = state.lab.run?.pids.includes(event.pid) ?? false;
        this.threads = ofRun && event.threads ? { pid: event.pid, threads: event.threads } : null;
        return;
      }
      case 'lab-changed':
        if (!event.run) this.threads = null;
        this.lines.lab(event.run, event.result, this.now());
        return;
      case 'placements-sampled':
        if (event.tasks.length > 0) this.lines.placements(event.tasks, this.now());
        return;
      default:
        return;
    }
  }

  tickDone(): void {
    if (!this.fresh || !this.system) return;
    this.fresh = false;
    this.lines.sample({ system: this.system, processes: this.processes, threads: this.threads, gpus: this.gpus });
  }
}
