import type { PlacedTask } from './core-map.js';
import type { RunResult, RunSnapshot } from './lab-types.js';
import { type RecordingHeader, headerLine, labLine, sampleLine } from './recording.js';
import { toSampleRecord, toThreadRecord } from './sample-record.js';
import type { GpuSample, ProcessSample, SystemSample, ThreadSample } from './types.js';

export interface SampleSeen {
  system: SystemSample;
  processes: readonly ProcessSample[];
  /** The threads of the lab run's process, when they were read. */
  threads: { pid: number; threads: readonly ThreadSample[] } | null;
  /** The GPUs as last read (none without a GPU). */
  gpus?: readonly GpuSample[];
}

/**
 * What paratop saw, as a recording's lines, handed to `write` one at a time. The lab's state is
 * written when it changes (a run, its workers, its end, its result), not at every notice.
 */
export class RecordingLines {
  private lastRun: string | null = null;
  private lastResult: RunResult | null = null;

  constructor(
    private readonly write: (text: string) => void,
    private readonly context: { sampler: string; intervalSeconds: number },
  ) {}

  header(header: Omit<RecordingHeader, 'type' | 'version' | 'sampler' | 'intervalSeconds'>): void {
    this.write(headerLine({ ...header, sampler: this.context.sampler, intervalSeconds: this.context.intervalSeconds }));
  }

  sample(seen: SampleSeen): void {
    const record = toSampleRecord(seen.system, seen.processes, { ...this.context, gpus: seen.gpus ?? [] });
    if (seen.threads) record.threads = seen.threads.threads.map(toThreadRecord);
    this.write(sampleLine(record, seen.threads?.pid ?? null));
  }

  /** The lab as it is now; written only where it changed. `lastResult` is the engine's, kept across runs. */
  lab(run: RunSnapshot | null, result: RunResult | null, at: number): void {
    const when = new Date(at).toISOString();
    if (run) {
      const text = JSON.stringify(run);
      if (text !== this.lastRun) {
        this.lastRun = text;
        this.write(labLine({ type: 'lab', event: 'run', at: when, run }));
      }
    } else if (this.lastRun !== null) {
      this.lastRun = null;
      this.write(labLine({ type: 'lab', event: 'ended', at: when }));
    }
    if (result && result !== this.lastResult) this.write(labLine({ type: 'lab', event: 'result', at: when, result }));
    this.lastResult = result;
  }

  /** Seen before recording began: not written again. */
  knownResult(result: RunResult | null): void {
    this.lastResult = result;
  }

  placements(tasks: readonly PlacedTask[], at: number): void {
    this.write(labLine({ type: 'lab', event: 'placements', at: new Date(at).toISOString(), tasks: [...tasks] }));
  }
}
