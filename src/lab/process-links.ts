import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { statFields } from '../sampler/linux/parse-process-files.js';
import { ProcReader } from '../sampler/linux/proc-reader.js';

/** How one process hangs together with the others: enough to follow a command's process tree. */
export interface ProcessLink {
  pid: number;
  ppid: number;
  /** Process group and session: a command started by paratop leads both, and its children inherit them. */
  pgid: number;
  sid: number;
  /** Start time after boot in clock ticks, so a reused PID is not taken for the process it replaced (0: unknown). */
  startTicks: number;
  comm: string;
  /** Seconds of CPU: the process itself, and the children it has waited for (null: unknown). */
  ownCpuSeconds: number | null;
  reapedCpuSeconds: number | null;
  threads: number;
}

/** Every process on the machine, as links. Synchronous: it runs once a second while a command runs. */
export interface ProcessLinkSource {
  read(): ProcessLink[];
  /** The threads of one process, with their CPU time; empty where threads cannot be seen. */
  threads(pid: number): { tid: number; name: string; cpuSeconds: number }[];
  /**
   * Whether `pid` is still the process that was followed (same start time), checked just before
   * a signal so a reused PID is never hit. Where start times are unknown (ps), whether it exists.
   */
  isSame(pid: number, startTicks: number): boolean;
}

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

export class ProcLinkSource implements ProcessLinkSource {
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

  /** One process read afresh (null: gone, or a zombie). */
  private one(pid: number): ProcessLink | null {
    return parseStatLink(this.reader.read(`${this.procRoot}/${pid}/stat`) ?? '', this.hz);
  }

  threads(pid: number): { tid: number; name: string; cpuSeconds: number }[] {
    let tids: string[];
    try {
      tids = readdirSync(`${this.procRoot}/${pid}/task`);
    } catch {
      return [];
    }
    const threads: { tid: number; name: string; cpuSeconds: number }[] = [];
    for (const tid of tids) {
      const link = parseStatLink(this.reader.read(`${this.procRoot}/${pid}/task/${tid}/stat`) ?? '', this.hz);
      if (link && link.ownCpuSeconds !== null)
        threads.push({ tid: link.pid, name: link.comm, cpuSeconds: link.ownCpuSeconds });
    }
    return threads;
  }
}

/** `ps` CPU time: "[DD-]HH:MM:SS" (procps) or "MM:SS.ss" (BSD, macOS). Pure. */
export function parsePsTime(text: string): number | null {
  const match = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!match) return null;
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds);
}

/** Output of `ps -A -o pid=,ppid=,pgid=,time=,comm=` as links; ps has no session ID everywhere, so the group stands in. Pure. */
export function parsePsLinks(text: string): ProcessLink[] {
  const links: ProcessLink[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, pid = '', ppid = '', pgid = '', time = '', comm = ''] = match;
    links.push({
      pid: Number(pid),
      ppid: Number(ppid),
      pgid: Number(pgid),
      sid: Number(pgid),
      startTicks: 0,
      comm: basename(comm.trim()),
      ownCpuSeconds: parsePsTime(time),
      reapedCpuSeconds: null,
      threads: 1,
    });
  }
  return links;
}

/** Where there is no /proc (macOS): ps, once a second. No per-thread figures. */
export class PsLinkSource implements ProcessLinkSource {
  read(): ProcessLink[] {
    return parsePsLinks(
      execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,time=,comm='], {
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
      }),
    );
  }

  threads(): { tid: number; name: string; cpuSeconds: number }[] {
    return [];
  }

  isSame(pid: number): boolean {
    // ps gives no start time here: the check is only that the PID still exists.
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
}

export function createLinkSource(): ProcessLinkSource {
  return process.platform === 'linux' ? new ProcLinkSource() : new PsLinkSource();
}
