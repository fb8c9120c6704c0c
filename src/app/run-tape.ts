import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirectory } from '../lab/compare-history.js';
import type { DashboardState } from '../model/dashboard-state.js';
import { type Recording, headerLine, parseRecording } from '../model/recording.js';
import { RecordingLines } from '../model/recording-lines.js';
import { DashboardRecorder, type RuntimeObserver } from './dashboard-recorder.js';
import type { DashboardEvent } from './events.js';

/** A run longer than this keeps its first lines only: at four placements a second, over an hour of them. */
const MAX_LINES = 20_000;

/**
 * The last lab run, kept in memory for its trace (T): its events, placements and samples of its own
 * processes only, from its start until the next run starts. Bounded; nothing is written until asked.
 */
export class RunTape implements RuntimeObserver {
  private lines: string[] = [];
  private recorder: DashboardRecorder | null = null;
  private recordingLines: RecordingLines | null = null;
  private startedAt: number | null = null;
  private pids: readonly number[] = [];
  private header = '';

  constructor(private readonly context: { sampler: string; intervalSeconds: number; cores: number[] }) {}

  event(event: DashboardEvent, state: DashboardState): void {
    if (event.type === 'lab-changed' && event.run && event.run.startedAt !== this.startedAt) {
      this.begin(event.run.startedAt);
      // The result it carries is the run before's: not this run's to mark.
      this.recordingLines?.knownResult(event.result);
    }
    if (event.type === 'lab-changed' && event.run) this.pids = event.run.pids;
    if (!this.recorder) return;
    if (event.type === 'processes-sampled') {
      const ofRun = event.processes.filter((process) => this.pids.includes(process.pid));
      this.recorder.event({ ...event, processes: ofRun }, state);
    } else this.recorder.event(event, state);
  }

  tickDone(state: DashboardState): void {
    if (state.lab.run) this.recorder?.tickDone();
  }

  private begin(startedAt: number): void {
    this.startedAt = startedAt;
    this.lines = [];
    this.header = headerLine({
      startedAt: new Date(startedAt).toISOString(),
      source: 'dashboard',
      sampler: this.context.sampler,
      intervalSeconds: this.context.intervalSeconds,
      cores: this.context.cores,
      machine: null,
    });
    const write = (text: string): void => {
      if (this.lines.length < MAX_LINES) this.lines.push(text);
    };
    this.recordingLines = new RecordingLines(write, this.context);
    this.recorder = new DashboardRecorder(this.recordingLines);
  }

  /** The last run as a recording; null before any run. */
  recording(): Recording | null {
    return this.recorder ? parseRecording(this.header + this.lines.join('')) : null;
  }

  /** Writes the last run's trace into paratop's data folder; resolves to its path. */
  async writeTrace(env: NodeJS.ProcessEnv = process.env): Promise<string> {
    // Loaded on T only: most sessions never write a trace.
    const { recordingToTrace } = await import('../model/chrome-trace.js');
    const recording = this.recording();
    if (!recording) throw new Error('no run has been seen yet');
    const folder = join(dataDirectory(env), 'traces');
    mkdirSync(folder, { recursive: true });
    const run = recording.entries.find((entry) => entry.line.type === 'lab' && entry.line.event === 'run');
    const id = run?.line.type === 'lab' && run.line.event === 'run' ? run.line.run.scenarioId : 'run';
    const stamp = recording.header.startedAt.replace(/[:.]/g, '-');
    const path = join(folder, `${id.replace(/[^\w-]/g, '_')}-${stamp}.trace.json`);
    writeFileSync(path, JSON.stringify(recordingToTrace(recording)));
    return path;
  }
}
