import { CORE_MAP_SLICE_MS } from '../model/core-map.js';
import type { RunResult, RunSnapshot } from '../model/lab-types.js';
import type { ProcessSample, ThreadSample } from '../model/types.js';
import { withGpuUse } from '../model/gpu-use.js';
import type { GpuSource } from '../sampler/gpu-source.js';
import type { Sampler } from '../sampler/sampler.js';
import type { TaskProbe } from '../sampler/task-probe.js';
import type { RecordingSession } from './recording-session.js';
import { placeWorkers } from './place-workers.js';

/**
 * A recording without a screen (`paratop record`, `lab run --record`): the sampler every interval,
 * the lab run's threads with each sample, and while a run is on its threads' places four times a
 * second, as the dashboard takes them for its core map.
 */
export class HeadlessRecorder {
  private sampleTimer: NodeJS.Timeout | undefined;
  private placementTimer: NodeJS.Timeout | undefined;
  private run: RunSnapshot | null = null;
  private stopped = false;
  private sampling: Promise<void> = Promise.resolve();
  samples = 0;

  constructor(
    private readonly session: RecordingSession,
    private readonly sampler: Sampler,
    private readonly intervalMs: number,
    private readonly probe?: Pick<TaskProbe, 'placement'>,
    private readonly gpus?: GpuSource,
  ) {}

  /** Primes the sampler, so the first line covers a whole interval, then samples on a fixed schedule. */
  async start(): Promise<void> {
    await Promise.all([this.sampler.sampleSystem(), this.sampler.sampleProcesses()]);
    let next = performance.now();
    const step = (): void => {
      if (this.stopped) return;
      next += this.intervalMs;
      this.sampleTimer = setTimeout(
        () => {
          this.sampling = this.sampleOnce().finally(step);
        },
        Math.max(0, next - performance.now()),
      );
    };
    step();
  }

  /** The lab as it is now: written where it changed; a running run's threads are placed from now on. */
  lab(run: RunSnapshot | null, result: RunResult | null): void {
    if (this.stopped) return;
    this.run = run;
    this.session.lines.lab(run, result, Date.now());
    if (run && this.placementTimer === undefined) this.place();
  }

  private place(): void {
    this.placementTimer = undefined;
    const run = this.run;
    if (this.stopped || !run || !this.probe) return;
    this.placementTimer = setTimeout(() => this.place(), CORE_MAP_SLICE_MS);
    const tasks = placeWorkers(this.probe, run.workerStates);
    if (tasks.length > 0) this.session.lines.placements(tasks, Date.now());
  }

  private async sampleOnce(): Promise<void> {
    try {
      const [system, processes] = await Promise.all([this.sampler.sampleSystem(), this.sampler.sampleProcesses()]);
      const hostPid = this.run?.kind === 'threads' ? this.run.pids[0] : undefined;
      let threads: { pid: number; threads: ThreadSample[] } | null = null;
      if (hostPid !== undefined && this.sampler.hasThreads) {
        const found = await this.sampler.sampleThreads(hostPid);
        if (found) threads = { pid: hostPid, threads: found };
      }
      if (this.stopped) return;
      const gpus = this.gpus && this.gpus.kind !== 'none' ? this.gpus : null;
      const withGpus = gpus ? withGpuUse(processes, gpus.sampleProcessUse(processes.map((p) => p.pid))) : processes;
      const seen = { system, processes: withGpus as readonly ProcessSample[], threads };
      this.session.lines.sample(gpus ? { ...seen, gpus: gpus.sampleGpus() } : seen);
      this.samples += 1;
    } catch {
      // A reading that failed is a gap in the recording, not the end of it.
    }
  }

  /** Stops sampling, waits for a reading under way, and closes the file. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.sampleTimer);
    clearTimeout(this.placementTimer);
    await this.sampling;
    this.session.close();
  }
}
