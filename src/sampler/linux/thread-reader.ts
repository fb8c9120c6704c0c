import { readdirSync } from 'node:fs';
import { cpuPercent, perSecond } from '../../model/cpu-load.js';
import type { ThreadSample } from '../../model/types.js';
import { parsePidStat, parsePidStatus } from './parse-process-files.js';
import { type ProcSource, perSecondOfLife } from './proc-source.js';

/** What the previous reading saw of one thread, to turn cumulative counters into rates. */
interface TaskCounters {
  startTicks: number;
  cpuSeconds: number;
  ctxSwitches: number;
}

/** The threads of one process at a time (the thread view, a lab run): /proc/<pid>/task/<tid>/stat and status. */
export class ThreadReader {
  private previous = new Map<number, { uptime: number; tasks: Map<number, TaskCounters> }>();

  constructor(private readonly source: ProcSource) {}

  sample(pid: number, restart = false): ThreadSample[] | null {
    if (restart) this.previous.delete(pid);
    const { root, reader, hz } = this.source;
    let tids: string[];
    try {
      tids = readdirSync(`${root}/${pid}/task`);
    } catch {
      this.previous.delete(pid);
      return null;
    }
    const uptime = this.source.uptime();
    const previous = this.previous.get(pid);
    const elapsed = previous ? uptime - previous.uptime : null;
    const seen = new Map<number, TaskCounters>();
    const threads: ThreadSample[] = [];
    for (const name of tids) {
      const dir = `${root}/${pid}/task/${name}`;
      const stat = parsePidStat(reader.read(`${dir}/stat`) ?? '');
      const statusText = stat && reader.read(`${dir}/status`);
      if (!stat || !statusText) continue; // gone mid-scan
      const status = parsePidStatus(statusText);
      const counters: TaskCounters = {
        startTicks: stat.startTicks,
        cpuSeconds: stat.cpuTicks / hz,
        ctxSwitches: status.ctxVoluntary + status.ctxInvoluntary,
      };
      seen.set(stat.pid, counters);
      const rates = this.rates(counters, previous?.tasks.get(stat.pid), elapsed, uptime);
      threads.push({
        tid: stat.pid,
        pid,
        name: stat.comm,
        state: stat.state,
        cpu: rates.cpu,
        cpuSeconds: counters.cpuSeconds,
        ctxVoluntary: status.ctxVoluntary,
        ctxInvoluntary: status.ctxInvoluntary,
        ctxPerSecond: rates.ctxPerSecond,
      });
    }
    this.previous.set(pid, { uptime, tasks: seen });
    return threads;
  }

  /** Forget the processes not in `alive` (they have exited). */
  forgetExcept(alive: ReadonlyMap<number, unknown>): void {
    for (const pid of this.previous.keys()) if (!alive.has(pid)) this.previous.delete(pid);
  }

  /** CPU% and context switches per second of one thread since the previous reading of it. */
  private rates(
    now: TaskCounters,
    before: TaskCounters | undefined,
    elapsed: number | null,
    uptime: number,
  ): { cpu: number | null; ctxPerSecond: number | null } {
    if (before && before.startTicks === now.startTicks && elapsed !== null) {
      return {
        cpu: cpuPercent(before.cpuSeconds, now.cpuSeconds, elapsed),
        ctxPerSecond: perSecond(before.ctxSwitches, now.ctxSwitches, elapsed),
      };
    }
    const age = this.source.ageIfNew(now.startTicks, uptime, elapsed === null ? null : uptime - elapsed);
    return { cpu: perSecondOfLife(now.cpuSeconds * 100, age), ctxPerSecond: perSecondOfLife(now.ctxSwitches, age) };
  }
}
