import {
  type CpuTimes,
  type MachineFacts,
  type ProcessSample,
  type SystemSample,
  UNKNOWN_SCHEDULING,
  NO_GPU_USE,
} from '../../src/model/types.js';
import type { HostSample } from '../../src/model/host-sample.js';

/** A process reading with dull defaults; tests set the fields they care about. */
export function processSample(fields: Partial<ProcessSample> & { pid: number }): ProcessSample {
  return {
    ppid: 1,
    user: 'root',
    uid: 0,
    state: 'S',
    name: `p${fields.pid}`,
    command: `/bin/p${fields.pid}`,
    cpu: 0,
    cpuSeconds: 0,
    rssBytes: 0,
    memPercent: 0,
    threads: 1,
    startedAt: 0,
    startToken: '1',
    ctxVoluntary: 0,
    ctxInvoluntary: 0,
    ctxPerSecond: 0,
    ...UNKNOWN_SCHEDULING,
    ...NO_GPU_USE,
    ...fields,
  };
}

/** A small VM's machine facts, with no caches unless given. */
export function machineFacts(fields: Partial<MachineFacts> = {}): MachineFacts {
  return {
    hostname: 'vm',
    os: 'Debian 12',
    kernel: '6.1',
    arch: 'x64',
    cpuModel: 'Xeon',
    physicalCores: 2,
    logicalCores: 2,
    caches: [],
    memoryBytes: 2 ** 30,
    swapBytes: 0,
    ...fields,
  };
}

/** Another host as a round gives it: up, with `busy` % on each of its cores unless told otherwise. */
export function hostSample(fields: Partial<HostSample> & { host: string }, busy: number[] = [10, 20]): HostSample {
  return {
    name: fields.host,
    source: 'scrape',
    at: 1000,
    up: true,
    error: null,
    scrapeMs: 12,
    cores: busy.map((total, id) => ({ id, user: total, system: 0, iowait: 0, steal: 0, idle: 100 - total, total })),
    memory: {
      totalBytes: 8 * 2 ** 30,
      usedBytes: 2 * 2 ** 30,
      availableBytes: 6 * 2 ** 30,
      freeBytes: 4 * 2 ** 30,
      buffersBytes: 0,
      cachedBytes: 2 * 2 ** 30,
      swapTotalBytes: 0,
      swapUsedBytes: 0,
    },
    loadAverage: [0.5, 0.4, 0.3],
    processes: null,
    ...fields,
  };
}

/** A reading with the kernel's own counters, as the exporter turns into node_exporter's series. */
export function kernelSystemSample(coreTimes: (CpuTimes | undefined)[]): SystemSample {
  return {
    at: 1_800_000_000_000,
    cores: null,
    cpu: null,
    memory: {
      totalBytes: 8000,
      usedBytes: 1000,
      availableBytes: 6000,
      freeBytes: 5000,
      buffersBytes: 300,
      cachedBytes: 1700,
      swapTotalBytes: 4000,
      swapUsedBytes: 1000,
    },
    loadAverage: [0.5, 0.25, 0.125],
    uptimeSeconds: 100,
    kernel: {
      bootTimeSeconds: 1_799_999_900,
      ticksPerSecond: 100,
      coreTimes,
      pageCacheBytes: 1500,
      reclaimableSlabBytes: 200,
    },
  };
}
