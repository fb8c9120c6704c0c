import { countCacheMissesWithPerf } from './linux/perf-counters.js';

/** Hardware cache counters over a window, or why there are none here. */
export type CacheCounters =
  | { kind: 'counted'; misses: number; references: number; missRate: number }
  | { kind: 'unavailable'; reason: string };

/**
 * Cache misses and references of `pids` over `seconds`, counted by the CPU: through Linux perf
 * (linux/perf-counters.ts); elsewhere there is no such tool, and the answer says so.
 */
export async function countCacheMisses(pids: readonly number[], seconds: number): Promise<CacheCounters> {
  if (process.platform !== 'linux') {
    return {
      kind: 'unavailable',
      reason: 'hardware cache counters are read with Linux perf, which this OS does not have',
    };
  }
  return countCacheMissesWithPerf(pids, seconds);
}
