import type { CpuTimes } from '../../model/types.js';
import type { TaskProbe } from '../task-probe.js';
import { parsePidStat, parsePidStatus } from './parse-process-files.js';
import { parseProcStat } from './parse-system-files.js';
import { ProcReader } from './proc-reader.js';

/** The task probe on Linux: /proc/<pid>/stat, task/<tid>/stat and status, smaps_rollup, /proc/stat. */
export class ProcTaskProbe implements TaskProbe {
  private readonly reader = new ProcReader();

  constructor(
    private readonly procRoot = '/proc',
    private readonly hz = 100,
  ) {}

  processCpuSeconds(pid: number): number | null {
    return this.ticks(`${this.procRoot}/${pid}/stat`);
  }

  threadCpuSeconds(pid: number, tid: number): number | null {
    return this.ticks(`${this.procRoot}/${pid}/task/${tid}/stat`);
  }

  coreTimes(): (CpuTimes | undefined)[] | null {
    const text = this.reader.read(`${this.procRoot}/stat`);
    return text ? parseProcStat(text).cores : null;
  }

  contextSwitches(pid: number, tid: number): number | null {
    const text = this.reader.read(`${this.procRoot}/${pid}/task/${tid}/status`);
    if (!text) return null;
    const status = parsePidStatus(text);
    return status.ctxVoluntary + status.ctxInvoluntary;
  }

  memory(pid: number): { rss: number; pss: number | null; uss: number | null } | null {
    const status = this.reader.read(`${this.procRoot}/${pid}/status`);
    if (!status) return null;
    const rss = parsePidStatus(status).rssBytes;
    // smaps_rollup (Linux 4.14+) sums the mappings: Pss splits shared pages, Private_* is the unique part.
    const rollup = this.reader.read(`${this.procRoot}/${pid}/smaps_rollup`);
    if (!rollup) return { rss, pss: null, uss: null };
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) * 1024;
    return { rss, pss: kb('Pss'), uss: kb('Private_Clean') + kb('Private_Dirty') };
  }

  threadState(pid: number, tid: number): string | null {
    return parsePidStat(this.reader.read(`${this.procRoot}/${pid}/task/${tid}/stat`) ?? '')?.state ?? null;
  }

  placement(pid: number, tid: number): { cpu: number | null; state: string } | null {
    const stat = parsePidStat(this.reader.read(`${this.procRoot}/${pid}/task/${tid}/stat`) ?? '');
    return stat ? { cpu: stat.lastCpu, state: stat.state } : null;
  }

  private ticks(path: string): number | null {
    const stat = parsePidStat(this.reader.read(path) ?? '');
    return stat ? stat.cpuTicks / this.hz : null;
  }
}
