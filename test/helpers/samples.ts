import type { MachineFacts, ProcessSample } from '../../src/model/types.js';

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
