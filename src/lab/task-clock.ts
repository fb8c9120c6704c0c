import type { CpuTimes } from '../model/types.js';
import { parsePidStat, parsePidStatus } from '../sampler/linux/parse-process-files.js';
import { parseProcStat } from '../sampler/linux/parse-system-files.js';
import { ProcReader } from '../sampler/linux/proc-reader.js';

/** CPU time of the lab's own processes and threads, read from the kernel rather than trusted from them. */
export interface TaskClock {
  /** A whole process, all its threads; null when gone or unknown. */
  processCpuSeconds(pid: number): number | null;
  /** One thread; null when gone or unknown. */
  threadCpuSeconds(pid: number, tid: number): number | null;
  /** Cumulative times per core, by core number; null where there is no /proc/stat. */
  coreTimes(): (CpuTimes | undefined)[] | null;
  /** Context switches (voluntary + involuntary) of one thread so far; null when gone or unknown. */
  contextSwitches(pid: number, tid: number): number | null;
  /** Memory of a whole process: resident, proportional (shared pages split) and unique, in bytes. */
  memory(pid: number): { rss: number; pss: number | null; uss: number | null } | null;
  /** One thread's scheduler state now: R running or runnable, S asleep, D in uninterruptible I/O, ...; null when gone or unknown. */
  threadState(pid: number, tid: number): string | null;
}

export class ProcTaskClock implements TaskClock {
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

  private ticks(path: string): number | null {
    const stat = parsePidStat(this.reader.read(path) ?? '');
    return stat ? stat.cpuTicks / this.hz : null;
  }
}

/** Where there is no /proc: runs still report wall time and work, but not CPU time. */
export class UnknownTaskClock implements TaskClock {
  processCpuSeconds(): null {
    return null;
  }
  threadCpuSeconds(): null {
    return null;
  }
  coreTimes(): null {
    return null;
  }
  contextSwitches(): null {
    return null;
  }
  memory(): null {
    return null;
  }
  threadState(): null {
    return null;
  }
}

export function createTaskClock(): TaskClock {
  return process.platform === 'linux' ? new ProcTaskClock() : new UnknownTaskClock();
}
