import type { Sampler } from '../../src/sampler/sampler.js';
import type { CoreUsage, ProcessIdentity, ProcessSample, SystemSample, ThreadSample } from '../../src/model/types.js';
import { processSample } from './samples.js';

/**
 * The Sampler interface's third implementation, beside /proc and the fallback (Node and ps): scripted
 * readings, for tests of what drives a sampler (the dashboard's runtime). It counts every call, and
 * can be told to fail.
 */
export class FakeSampler implements Sampler {
  readonly kind = 'linux-proc';
  readonly hasThreads = true;
  readonly calls = { system: 0, processes: 0, threads: [] as { pid: number; restart: boolean }[], identify: 0 };
  processes: ProcessSample[] = [processSample({ pid: 1, name: 'init' }), processSample({ pid: 4242, name: 'paratop' })];
  threads = new Map<number, ThreadSample[]>();
  /** When set, sampleSystem rejects with it. */
  systemFailure: Error | null = null;

  async sampleSystem(): Promise<SystemSample> {
    this.calls.system += 1;
    if (this.systemFailure) throw this.systemFailure;
    const core = (id: number): CoreUsage => ({
      id,
      user: 10,
      system: 5,
      iowait: 0,
      steal: 0,
      idle: 85,
      total: 15,
    });
    return {
      at: this.calls.system * 1000,
      cores: [core(0), core(1)],
      cpu: { user: 10, system: 5, iowait: 0, steal: 0, idle: 85, total: 15 },
      memory: {
        totalBytes: 8 * 2 ** 30,
        usedBytes: 2 ** 30,
        availableBytes: 7 * 2 ** 30,
        freeBytes: 6 * 2 ** 30,
        buffersBytes: 0,
        cachedBytes: 2 ** 29,
        swapTotalBytes: 0,
        swapUsedBytes: 0,
      },
      loadAverage: [0.1, 0.2, 0.3],
      uptimeSeconds: 1000 + this.calls.system,
      kernel: null,
    };
  }

  async sampleProcesses(): Promise<ProcessSample[]> {
    this.calls.processes += 1;
    return this.processes;
  }

  async sampleThreads(pid: number, restart = false): Promise<ThreadSample[] | null> {
    this.calls.threads.push({ pid, restart });
    return this.threads.get(pid) ?? null;
  }

  async identify(pid: number): Promise<ProcessIdentity | null> {
    this.calls.identify += 1;
    const found = this.processes.find((process) => process.pid === pid);
    return found ? { pid, startToken: found.startToken } : null;
  }
}
