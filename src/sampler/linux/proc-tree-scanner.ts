import { readdirSync } from 'node:fs';
import type { ProcessLink, ProcessTreeScanner, ThreadTime } from '../process-tree-scanner.js';
import { statFields } from './parse-process-files.js';
import { parseProcStat, parseUptime } from './parse-system-files.js';
import { ProcReader } from './proc-reader.js';

const STAT_FIELDS = [4, 5, 6, 14, 15, 16, 17, 20, 22];

/**
 * One /proc/<pid>/stat line as a link; null for a zombie, which has ended and only waits to be
 * reaped (by init, for an orphan, which may take its time). The start token and time are made as
 * the process scanner makes them, so a link and a ProcessSample of one process agree. Pure.
 */
export function parseStatLink(text: string, hz = 100, bootTimeSeconds = 0): ProcessLink | null {
  const fields = statFields(text, STAT_FIELDS);
  if (!fields || fields.state === 'Z') return null;
  const [
    ppid = Number.NaN,
    pgid = Number.NaN,
    sid = Number.NaN,
    utime = Number.NaN,
    stime = Number.NaN,
    cutime = Number.NaN,
    cstime = Number.NaN,
    threads = 1,
    startTicks = 0,
  ] = fields.values;
  if (!Number.isFinite(ppid) || !Number.isFinite(sid)) return null;
  return {
    pid: fields.pid,
    ppid,
    pgid,
    sid,
    startToken: String(startTicks),
    startedAt: (bootTimeSeconds + startTicks / hz) * 1000,
    name: fields.comm,
    cpuSeconds: (utime + stime) / hz,
    reapedCpuSeconds: (cutime + cstime) / hz,
    threads,
  };
}

/** The process-tree scanner on Linux: /proc/<pid>/stat for each process, task/<tid>/stat for threads. */
export class ProcTreeScanner implements ProcessTreeScanner {
  private readonly reader = new ProcReader();
  private bootTimeSeconds: number | null = null;

  constructor(
    private readonly procRoot = '/proc',
    private readonly hz = 100,
  ) {}

  read(): ProcessLink[] {
    const links: ProcessLink[] = [];
    for (const name of readdirSync(this.procRoot)) {
      const first = name.charCodeAt(0);
      if (first < 48 || first > 57) continue;
      const link = this.parse(`${this.procRoot}/${name}/stat`);
      if (link) links.push(link);
    }
    return links;
  }

  isSame(pid: number, startToken: string): boolean {
    return this.one(pid)?.startToken === startToken;
  }

  one(pid: number): ProcessLink | null {
    return this.parse(`${this.procRoot}/${pid}/stat`);
  }

  startClockNow(): number | null {
    const uptime = this.reader.read(`${this.procRoot}/uptime`);
    // Whole ticks, as start times are, so a process started now never reads as later than now.
    return uptime === null ? null : (this.bootTime() + Math.floor(parseUptime(uptime) * this.hz) / this.hz) * 1000;
  }

  threads(pid: number): ThreadTime[] {
    let tids: string[];
    try {
      tids = readdirSync(`${this.procRoot}/${pid}/task`);
    } catch {
      return [];
    }
    const threads: ThreadTime[] = [];
    for (const tid of tids) {
      const link = this.parse(`${this.procRoot}/${pid}/task/${tid}/stat`);
      if (link && link.cpuSeconds !== null)
        threads.push({ tid: link.pid, name: link.name, cpuSeconds: link.cpuSeconds });
    }
    return threads;
  }

  private parse(path: string): ProcessLink | null {
    return parseStatLink(this.reader.read(path) ?? '', this.hz, this.bootTime());
  }

  /** Read once: the boot time does not change while paratop runs. */
  private bootTime(): number {
    this.bootTimeSeconds ??= parseProcStat(this.reader.read(`${this.procRoot}/stat`) ?? '').bootTime;
    return this.bootTimeSeconds;
  }
}
