import type { ProcessIdentity, ProcessSample, SystemSample, ThreadSample } from '../model/types.js';
import type { Sampler } from '../sampler/sampler.js';

/** How old a reading may be and still serve a scrape, ms, per part. */
export interface Freshness {
  systemMs: number;
  processesMs: number;
}

export interface LatestFigures {
  system: SystemSample;
  processes: readonly ProcessSample[];
  systemAgeSeconds: number;
  processesAgeSeconds: number;
}

interface Kept<T> {
  value: T;
  at: number;
}

/**
 * A sampler that keeps its latest readings, so a scrape costs no extra sampling: the dashboard
 * samples through it on its own timers, and a scrape takes what it last read. Only when nobody
 * has read for longer than the freshness window (serve, or a paused dashboard) does a scrape read
 * once itself; scrapes that arrive together share that one reading.
 */
export class LatestSamples implements Sampler {
  readonly kind: Sampler['kind'];
  readonly hasThreads: boolean;
  private system: Kept<SystemSample> | null = null;
  private processes: Kept<ProcessSample[]> | null = null;
  private readingSystem: Promise<SystemSample> | null = null;
  private readingProcesses: Promise<ProcessSample[]> | null = null;

  constructor(
    private readonly inner: Sampler,
    private readonly freshness: Freshness,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.kind = inner.kind;
    this.hasThreads = inner.hasThreads;
  }

  async sampleSystem(): Promise<SystemSample> {
    this.readingSystem ??= this.inner.sampleSystem().then(
      (value) => {
        this.system = { value, at: this.clock() };
        this.readingSystem = null;
        return value;
      },
      (error: unknown) => {
        this.readingSystem = null;
        throw error;
      },
    );
    return this.readingSystem;
  }

  async sampleProcesses(): Promise<ProcessSample[]> {
    this.readingProcesses ??= this.inner.sampleProcesses().then(
      (value) => {
        this.processes = { value, at: this.clock() };
        this.readingProcesses = null;
        return value;
      },
      (error: unknown) => {
        this.readingProcesses = null;
        throw error;
      },
    );
    return this.readingProcesses;
  }

  sampleThreads(pid: number, restart?: boolean): Promise<ThreadSample[] | null> {
    return this.inner.sampleThreads(pid, restart);
  }

  identify(pid: number): Promise<ProcessIdentity | null> {
    return this.inner.identify(pid);
  }

  /** The latest readings, read afresh only where they are older than the window. */
  async latest(): Promise<LatestFigures> {
    const now = this.clock();
    const fresh = <T>(kept: Kept<T> | null, windowMs: number): kept is Kept<T> =>
      kept !== null && now - kept.at <= windowMs;
    const [system, processes] = await Promise.all([
      fresh(this.system, this.freshness.systemMs) ? this.system : this.sampleSystem().then(() => this.system),
      fresh(this.processes, this.freshness.processesMs)
        ? this.processes
        : this.sampleProcesses().then(() => this.processes),
    ]);
    if (!system || !processes) throw new Error('the sampler gave no reading');
    const after = this.clock();
    return {
      system: system.value,
      processes: processes.value,
      systemAgeSeconds: Math.max(0, after - system.at) / 1000,
      processesAgeSeconds: Math.max(0, after - processes.at) / 1000,
    };
  }
}
