import type { ProcessSample } from '../../src/model/types.js';

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
