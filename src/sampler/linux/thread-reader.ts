import { readdirSync } from 'node:fs';
import { cpuPercent, perSecond } from '../../model/cpu-load.js';
import type { ThreadSample } from '../../model/types.js';
import { parseMigrations, parsePidStat, parsePidStatus, parseSchedstat } from './parse-process-files.js';
import { type ProcSource, perSecondOfLife } from './proc-source.js';

/** What the previous reading saw of one thread, to turn cumulative counters into rates. */
interface TaskCounters {
  startTicks: number;
  cpuSeconds: number;
  ctxVoluntary: number;
  ctxInvoluntary: number;
  /** Seconds runnable but waiting for a core, and moves between cores; null where the kernel has none. */
  waitSeconds: number | null;
  migrations: number | null;
}

type Rates = Pick<
  ThreadSample,
  'cpu' | 'ctxPerSecond' | 'ctxVoluntaryPerSecond' | 'ctxInvoluntaryPerSecond' | 'waitPercent' | 'migrationsPerSecond'
>;

/**
 * The threads of one process at a time (the thread view, a lab run): /proc/<pid>/task/<tid>/stat,
 * status, schedstat (time waiting for a core) and sched (migrations). Only the process shown is read.
 */
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
      const sched = parseSchedstat(reader.read(`${dir}/schedstat`) ?? '');
      const counters: TaskCounters = {
        startTicks: stat.startTicks,
        cpuSeconds: stat.cpuTicks / hz,
        ctxVoluntary: status.ctxVoluntary,
        ctxInvoluntary: status.ctxInvoluntary,
        waitSeconds: sched ? sched.waitNs / 1e9 : null,
        migrations: parseMigrations(reader.read(`${dir}/sched`, 16 * 1024) ?? ''),
      };
      seen.set(stat.pid, counters);
      const rates = this.rates(counters, previous?.tasks.get(stat.pid), elapsed, uptime);
      threads.push({
        tid: stat.pid,
        pid,
        name: stat.comm,
        state: stat.state,
        cpuSeconds: counters.cpuSeconds,
        ctxVoluntary: status.ctxVoluntary,
        ctxInvoluntary: status.ctxInvoluntary,
        lastCpu: stat.lastCpu,
        waitSeconds: counters.waitSeconds,
        ...rates,
      });
    }
    this.previous.set(pid, { uptime, tasks: seen });
    return threads;
  }

  /** Forget the processes not in `alive` (they have exited). */
  forgetExcept(alive: ReadonlyMap<number, unknown>): void {
    for (const pid of this.previous.keys()) if (!alive.has(pid)) this.previous.delete(pid);
  }

  /** CPU%, switches, waiting and migrations of one thread since the previous reading of it. */
  private rates(now: TaskCounters, before: TaskCounters | undefined, elapsed: number | null, uptime: number): Rates {
    const nullable = (from: number | null, to: number | null, rate: (a: number, b: number) => number | null) =>
      from === null || to === null ? null : rate(from, to);
    if (before && before.startTicks === now.startTicks && elapsed !== null) {
      const voluntary = perSecond(before.ctxVoluntary, now.ctxVoluntary, elapsed);
      const involuntary = perSecond(before.ctxInvoluntary, now.ctxInvoluntary, elapsed);
      return {
        cpu: cpuPercent(before.cpuSeconds, now.cpuSeconds, elapsed),
        ctxPerSecond: voluntary === null || involuntary === null ? null : voluntary + involuntary,
        ctxVoluntaryPerSecond: voluntary,
        ctxInvoluntaryPerSecond: involuntary,
        waitPercent: nullable(before.waitSeconds, now.waitSeconds, (a, b) => cpuPercent(a, b, elapsed)),
        migrationsPerSecond: nullable(before.migrations, now.migrations, (a, b) => perSecond(a, b, elapsed)),
      };
    }
    // A thread seen for the first time: its figures over its life, where it began since the last reading.
    const age = this.source.ageIfNew(now.startTicks, uptime, elapsed === null ? null : uptime - elapsed);
    const overLife = (value: number | null): number | null => (value === null ? null : perSecondOfLife(value, age));
    return {
      cpu: perSecondOfLife(now.cpuSeconds * 100, age),
      ctxPerSecond: perSecondOfLife(now.ctxVoluntary + now.ctxInvoluntary, age),
      ctxVoluntaryPerSecond: perSecondOfLife(now.ctxVoluntary, age),
      ctxInvoluntaryPerSecond: perSecondOfLife(now.ctxInvoluntary, age),
      waitPercent: overLife(now.waitSeconds === null ? null : now.waitSeconds * 100),
      migrationsPerSecond: overLife(now.migrations),
    };
  }
}
