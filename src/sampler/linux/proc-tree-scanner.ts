import { readdirSync } from 'node:fs';
import type { ProcessLink, ProcessTreeScanner, ThreadTime } from '../process-tree-scanner.js';
import { statFields } from './parse-process-files.js';
import { parseUptime } from './parse-system-files.js';
import { ProcReader } from './proc-reader.js';

const STAT_FIELDS = [4, 5, 6, 14, 15, 16, 17, 20, 22];

/**
 * One /proc/<pid>/stat line as a link; null for a zombie, which has ended and only waits to be
 * reaped (by init, for an orphan, which may take its time). Pure.
 */
export function parseStatLink(text: string, hz = 100): ProcessLink | null {
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
    startTicks,
    comm: fields.comm,
    ownCpuSeconds: (utime + stime) / hz,
    reapedCpuSeconds: (cutime + cstime) / hz,
    threads,
  };
}

/** The process-tree scanner on Linux: /proc/<pid>/stat for each process, task/<tid>/stat for threads. */
export class ProcTreeScanner implements ProcessTreeScanner {
  private readonly reader = new ProcReader();

  constructor(
    private readonly procRoot = '/proc',
    private readonly hz = 100,
  ) {}

  read(): ProcessLink[] {
    const links: ProcessLink[] = [];
    for (const name of readdirSync(this.procRoot)) {
      const first = name.charCodeAt(0);
      if (first < 48 || first > 57) continue;
      const link = parseStatLink(this.reader.read(`${this.procRoot}/${name}/stat`) ?? '', this.hz);
      if (link) links.push(link);
    }
    return links;
  }

  isSame(pid: number, startTicks: number): boolean {
    return this.one(pid)?.startTicks === startTicks;
  }

  one(pid: number): ProcessLink | null {
    return parseStatLink(this.reader.read(`${this.procRoot}/${pid}/stat`) ?? '', this.hz);
  }

  ticksSinceBoot(): number | null {
    const uptime = this.reader.read(`${this.procRoot}/uptime`);
    return uptime === null ? null : Math.floor(parseUptime(uptime) * this.hz);
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
      const link = parseStatLink(this.reader.read(`${this.procRoot}/${pid}/task/${tid}/stat`) ?? '', this.hz);
      if (link && link.ownCpuSeconds !== null)
        threads.push({ tid: link.pid, name: link.comm, cpuSeconds: link.ownCpuSeconds });
    }
    return threads;
  }
}
