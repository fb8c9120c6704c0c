import { execFileSync } from 'node:child_process';
import { basename } from 'node:path';
import type { ProcessLink, ProcessTreeScanner, ThreadTime } from '../process-tree-scanner.js';

/** `ps` CPU time: "[DD-]HH:MM:SS" (procps) or "MM:SS.ss" (BSD, macOS). Pure. */
export function parsePsTime(text: string): number | null {
  const match = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!match) return null;
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds);
}

/**
 * Output of `ps -A -o pid=,ppid=,pgid=,time=,comm=` as links; ps has no session ID everywhere, so the group stands in.
 * Pure.
 */
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
      startToken: '',
      startedAt: 0,
      name: basename(comm.trim()),
      cpuSeconds: parsePsTime(time),
      reapedCpuSeconds: null,
      threads: 1,
    });
  }
  return links;
}

/** Where there is no /proc (macOS): ps, once a second. No per-thread figures. */
export class PsTreeScanner implements ProcessTreeScanner {
  read(): ProcessLink[] {
    return parsePsLinks(
      execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,time=,comm='], {
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
      }),
    );
  }

  threads(): ThreadTime[] {
    return [];
  }

  one(pid: number): ProcessLink | null {
    return this.read().find((link) => link.pid === pid) ?? null;
  }

  startClockNow(): null {
    return null;
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
