import type { ProcessIdentity, ProcessSample, SystemSample, ThreadSample } from '../model/types.js';

/**
 * One interface, one implementation per platform (as htop keeps one folder per platform).
 * Samplers are stateful: CPU percentages come from the difference with the previous call.
 */
export interface Sampler {
  /** Which implementation this is, for `paratop info` and bug reports. */
  readonly kind: 'linux-proc' | 'ps';
  /** Whether per-thread figures exist on this platform. */
  readonly hasThreads: boolean;
  /** Per-core load, memory, load average. Cheap: safe at a fast cadence. */
  sampleSystem(): Promise<SystemSample>;
  /** Every process the user may see. Processes that vanish mid-scan are skipped. */
  sampleProcesses(): Promise<ProcessSample[]>;
  /**
   * The threads of one process; null when the process is gone or threads are not available.
   * `restart`: a thread view has just opened, so earlier readings (from a view closed since) are
   * forgotten and this reading has no rates yet, rather than an average over the closed time.
   */
  sampleThreads(pid: number, restart?: boolean): Promise<ThreadSample[] | null>;
  /** PID + start token of a live process, or null when no such process exists. */
  identify(pid: number): Promise<ProcessIdentity | null>;
}
