import type { AffinityOutcome, AffinityReading, CpuAffinity } from '../cpu-affinity.js';

const WHY = `CPU affinity cannot be read or set on ${process.platform}: it needs Linux (/proc and taskset).`;

/** Where there is no /proc and no taskset (macOS has no CPU affinity to set at all). */
export class NoCpuAffinity implements CpuAffinity {
  async read(): Promise<AffinityReading> {
    return { ok: false, reason: WHY };
  }

  async set(): Promise<AffinityOutcome> {
    return { ok: false, failure: 'unsupported', detail: WHY };
  }
}
