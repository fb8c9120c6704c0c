import { cpus } from 'node:os';
import type { CpuTimes } from '../../model/types.js';
import type { TaskProbe } from '../task-probe.js';

/** How often the lab's processes are asked about again while it keeps asking. */
const REFRESH_MS = 500;
/** A PID not asked about for this long is dropped from the question. */
const FORGET_MS = 5000;

type Usage = (pids: number[]) => Promise<Record<string, { ctime: number; memory: number } | null>>;

/**
 * Where there is no /proc (macOS): the lab's processes' CPU time and memory from pidusage, which asks
 * one `ps` for every PID at once. The probe is synchronous and ps is not, so each answer is the
 * latest reading (at most REFRESH_MS old), refreshed in the background only while someone asks;
 * per-core times come from Node itself. Threads, switches and placements are not known here.
 */
export class PidusageTaskProbe implements TaskProbe {
  private readonly latest = new Map<number, { cpuSeconds: number; rss: number }>();
  private readonly askedAt = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;

  /** `usage`: pidusage itself unless given; loaded on the first question, so Linux never loads it. */
  constructor(private usage?: Usage) {}

  processCpuSeconds(pid: number): number | null {
    this.ask(pid);
    return this.latest.get(pid)?.cpuSeconds ?? null;
  }

  memory(pid: number): { rss: number; pss: null; uss: null } | null {
    this.ask(pid);
    const reading = this.latest.get(pid);
    return reading ? { rss: reading.rss, pss: null, uss: null } : null;
  }

  /** Node's own per-core times (ms), as clock ticks of 10 ms like /proc's: only their ratios are used. */
  coreTimes(): CpuTimes[] {
    return cpus().map(({ times }) => ({
      user: times.user / 10,
      nice: times.nice / 10,
      system: times.sys / 10,
      idle: times.idle / 10,
      iowait: 0,
      irq: times.irq / 10,
      softirq: 0,
      steal: 0,
    }));
  }

  threadCpuSeconds(): null {
    return null;
  }
  contextSwitches(): null {
    return null;
  }
  threadState(): null {
    return null;
  }
  placement(): null {
    return null;
  }

  /** Ask now if nothing is under way, then again every REFRESH_MS while PIDs keep being asked about. */
  private ask(pid: number): void {
    this.askedAt.set(pid, Date.now());
    if (!this.inFlight) void this.refresh();
    this.timer ??= setInterval(() => void this.refresh(), REFRESH_MS).unref();
  }

  private async refresh(): Promise<void> {
    if (this.inFlight) return;
    const now = Date.now();
    for (const [pid, at] of this.askedAt) if (now - at > FORGET_MS) this.askedAt.delete(pid);
    const pids = [...this.askedAt.keys()];
    if (pids.length === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    this.inFlight = true;
    try {
      this.usage ??= (await import('pidusage')).default as unknown as Usage;
      const answers = await this.usage(pids);
      for (const pid of pids) {
        const answer = answers[String(pid)];
        if (answer) this.latest.set(pid, { cpuSeconds: answer.ctime / 1000, rss: answer.memory });
        else this.latest.delete(pid);
      }
    } catch {
      // ps failed this time (a process gone mid-question): the last readings stand until the next.
    } finally {
      this.inFlight = false;
    }
  }
}
