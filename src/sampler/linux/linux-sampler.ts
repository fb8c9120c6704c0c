import { readdirSync } from 'node:fs';
import { coreLoadBetween, cpuPercent, perSecond } from '../../model/cpu-load.js';
import type {
  CoreUsage,
  MemorySample,
  ProcessIdentity,
  ProcessSample,
  SystemSample,
  ThreadSample,
} from '../../model/types.js';
import type { Sampler } from '../sampler.js';
import { parsePasswd } from './parse-passwd.js';
import { parseCmdline, parsePidStat, parsePidStatus } from './parse-process-files.js';
import { type MemInfo, type ProcStat, parseLoadavg, parseMeminfo, parseProcStat, parseUptime } from './parse-system-files.js';
import { ProcReader } from './proc-reader.js';

export interface LinuxSamplerOptions {
  /** Where procfs is mounted; tests point this at captured fixture trees. */
  procRoot?: string;
  passwdFile?: string;
  /** USER_HZ: 100 on every mainstream Linux architecture. */
  clockTicksPerSecond?: number;
  /** Wall clock for time stamps; tests fix it. */
  now?: () => number;
  /** Monotonic clock, ms, that decides which readings belong to one tick; tests step it. */
  monotonic?: () => number;
}

/** What the previous scan saw of one task, to turn cumulative counters into rates. */
interface TaskCounters {
  startTicks: number;
  cpuSeconds: number;
  ctxSwitches: number;
}

interface CachedCommand {
  startTicks: number;
  command: string;
  readAtScan: number;
}

/** A process may rewrite its command line (setproctitle), so cached ones are re-read now and then. */
const COMMAND_REFRESH_SCANS = 10;
/** A task younger than this has too little history for a meaningful lifetime average. */
const MIN_AGE_FOR_AVERAGE_SECONDS = 0.05;
const PASSWD_RELOAD_MS = 30_000;
/** Readings this close together belong to the same tick. */
const UPTIME_REUSE_MS = 20;

function isPidName(name: string): boolean {
  const first = name.charCodeAt(0);
  return first >= 48 && first <= 57;
}

/** Reads /proc directly. Spawns nothing; each process costs two small file reads per scan. */
export class LinuxSampler implements Sampler {
  readonly kind = 'linux-proc' as const;
  readonly hasThreads = true;

  private readonly root: string;
  private readonly passwdFile: string;
  private readonly hz: number;
  private readonly now: () => number;
  private readonly monotonic: () => number;
  private readonly reader = new ProcReader();

  private previousStat: ProcStat | null = null;
  private lastCores: CoreUsage[] | null = null;
  private lastCpu: SystemSample['cpu'] = null;
  private bootTime: number | null = null;
  private memTotalBytes: number | null = null;

  private scanCount = 0;
  private previousScanUptime: number | null = null;
  private previousProcesses = new Map<number, TaskCounters>();
  private commands = new Map<number, CachedCommand>();
  private previousThreads = new Map<number, { uptime: number; tasks: Map<number, TaskCounters> }>();

  private uptimeReading: { at: number; seconds: number } | null = null;
  private userNames = new Map<number, string>();
  private passwdLoadedAt = Number.NEGATIVE_INFINITY;

  constructor(options: LinuxSamplerOptions = {}) {
    this.root = options.procRoot ?? '/proc';
    this.passwdFile = options.passwdFile ?? '/etc/passwd';
    this.hz = options.clockTicksPerSecond ?? 100;
    this.now = options.now ?? Date.now;
    this.monotonic = options.monotonic ?? (() => performance.now());
  }

  async sampleSystem(): Promise<SystemSample> {
    const stat = this.readProcStat();
    const memory = this.readMemory();
    this.updateCoreLoads(stat);
    return {
      at: this.now(),
      cores: this.lastCores,
      cpu: this.lastCpu,
      memory: toMemorySample(memory),
      loadAverage: parseLoadavg(this.reader.readKeepingOpen(`${this.root}/loadavg`) ?? ''),
      uptimeSeconds: this.readUptime(),
    };
  }

  async sampleProcesses(): Promise<ProcessSample[]> {
    const uptime = this.readUptime();
    const elapsed = this.previousScanUptime === null ? null : uptime - this.previousScanUptime;
    const bootTime = this.bootTime ?? this.readProcStat().bootTime;
    const memTotal = this.memTotalBytes ?? this.readMemory().totalBytes;
    this.scanCount += 1;

    const seen = new Map<number, TaskCounters>();
    const processes: ProcessSample[] = [];
    for (const name of readdirSync(this.root)) {
      if (!isPidName(name)) continue;
      const dir = `${this.root}/${name}`;
      const stat = parsePidStat(this.reader.readKeepingOpen(`${dir}/stat`) ?? '');
      const statusText = stat && this.reader.readKeepingOpen(`${dir}/status`);
      if (!stat || !statusText) continue; // gone mid-scan
      const status = parsePidStatus(statusText);
      const counters: TaskCounters = {
        startTicks: stat.startTicks,
        cpuSeconds: stat.cpuTicks / this.hz,
        ctxSwitches: status.ctxVoluntary + status.ctxInvoluntary,
      };
      seen.set(stat.pid, counters);
      const rates = this.rates(counters, this.previousProcesses.get(stat.pid), elapsed, uptime);
      processes.push({
        pid: stat.pid,
        ppid: stat.ppid,
        user: this.userName(status.uid),
        uid: status.uid,
        state: stat.state,
        name: stat.comm,
        command: this.command(dir, stat.pid, stat.startTicks, stat.comm),
        cpu: rates.cpu,
        cpuSeconds: counters.cpuSeconds,
        rssBytes: status.rssBytes,
        memPercent: memTotal > 0 ? (status.rssBytes / memTotal) * 100 : 0,
        threads: stat.threads,
        startedAt: (bootTime + stat.startTicks / this.hz) * 1000,
        startToken: String(stat.startTicks),
        ctxVoluntary: status.ctxVoluntary,
        ctxInvoluntary: status.ctxInvoluntary,
        ctxPerSecond: rates.ctxPerSecond,
      });
    }
    this.previousProcesses = seen;
    this.previousScanUptime = uptime;
    this.forgetVanished(seen);
    return processes;
  }

  async sampleThreads(pid: number): Promise<ThreadSample[] | null> {
    let tids: string[];
    try {
      tids = readdirSync(`${this.root}/${pid}/task`);
    } catch {
      this.previousThreads.delete(pid);
      return null;
    }
    const uptime = this.readUptime();
    const previous = this.previousThreads.get(pid);
    const elapsed = previous ? uptime - previous.uptime : null;
    const seen = new Map<number, TaskCounters>();
    const threads: ThreadSample[] = [];
    for (const name of tids) {
      const dir = `${this.root}/${pid}/task/${name}`;
      const stat = parsePidStat(this.reader.read(`${dir}/stat`) ?? '');
      const statusText = stat && this.reader.read(`${dir}/status`);
      if (!stat || !statusText) continue;
      const status = parsePidStatus(statusText);
      const counters: TaskCounters = {
        startTicks: stat.startTicks,
        cpuSeconds: stat.cpuTicks / this.hz,
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
    this.previousThreads.set(pid, { uptime, tasks: seen });
    return threads;
  }

  async identify(pid: number): Promise<ProcessIdentity | null> {
    const stat = parsePidStat(this.reader.read(`${this.root}/${pid}/stat`) ?? '');
    return stat ? { pid, startToken: String(stat.startTicks) } : null;
  }

  /**
   * CPU% and context switches per second of one task. With no earlier reading of the same task,
   * a task born since the last scan gets its lifetime average; an older one gets null, not a guess.
   */
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
    const previousScan = elapsed === null ? null : uptime - elapsed;
    const startedAt = now.startTicks / this.hz;
    if (previousScan !== null && startedAt >= previousScan) {
      const age = uptime - startedAt;
      if (age >= MIN_AGE_FOR_AVERAGE_SECONDS) {
        return { cpu: cpuPercent(0, now.cpuSeconds, age), ctxPerSecond: perSecond(0, now.ctxSwitches, age) };
      }
    }
    return { cpu: null, ctxPerSecond: null };
  }

  private updateCoreLoads(stat: ProcStat): void {
    const previous = this.previousStat;
    this.previousStat = stat;
    if (!previous) return;
    const cores: CoreUsage[] = [];
    for (const [id, current] of stat.cores.entries()) {
      const before = previous.cores[id];
      if (!current || !before) continue;
      const load = coreLoadBetween(before, current);
      // Two readings within one clock tick: keep showing the last real figures.
      if (!load) return;
      cores.push({ id, ...load });
    }
    const cpu = coreLoadBetween(previous.total, stat.total);
    if (!cpu) return;
    this.lastCores = cores;
    this.lastCpu = cpu;
  }

  private readProcStat(): ProcStat {
    const stat = parseProcStat(this.reader.readKeepingOpen(`${this.root}/stat`) ?? '');
    this.bootTime = stat.bootTime;
    return stat;
  }

  private readMemory(): MemInfo {
    const memory = parseMeminfo(this.reader.readKeepingOpen(`${this.root}/meminfo`) ?? '');
    this.memTotalBytes = memory.totalBytes;
    return memory;
  }

  /** One reading of /proc/uptime serves everything sampled in the same tick. */
  private readUptime(): number {
    const now = this.monotonic();
    if (this.uptimeReading && now - this.uptimeReading.at < UPTIME_REUSE_MS) return this.uptimeReading.seconds;
    const seconds = parseUptime(this.reader.readKeepingOpen(`${this.root}/uptime`) ?? '');
    this.uptimeReading = { at: now, seconds };
    return seconds;
  }

  private command(dir: string, pid: number, startTicks: number, comm: string): string {
    const cached = this.commands.get(pid);
    if (cached && cached.startTicks === startTicks && this.scanCount - cached.readAtScan < COMMAND_REFRESH_SCANS) {
      return cached.command;
    }
    const text = this.reader.read(`${dir}/cmdline`, 64 * 1024);
    const command = (text && parseCmdline(text)) || `[${comm}]`;
    this.commands.set(pid, { startTicks, command, readAtScan: this.scanCount });
    return command;
  }

  private userName(uid: number): string {
    let name = this.userNames.get(uid);
    if (name === undefined && this.now() - this.passwdLoadedAt > PASSWD_RELOAD_MS) {
      this.passwdLoadedAt = this.now();
      this.userNames = parsePasswd(this.reader.read(this.passwdFile) ?? '');
      name = this.userNames.get(uid);
    }
    return name ?? String(uid);
  }

  private forgetVanished(alive: Map<number, TaskCounters>): void {
    for (const pid of this.commands.keys()) {
      if (alive.has(pid)) continue;
      this.commands.delete(pid);
      this.reader.closeUnder(`${this.root}/${pid}/`);
    }
    for (const pid of this.previousThreads.keys()) if (!alive.has(pid)) this.previousThreads.delete(pid);
  }

  /** Close the files kept open between scans. */
  close(): void {
    this.reader.closeAll();
  }
}

function toMemorySample(memory: MemInfo): MemorySample {
  return {
    totalBytes: memory.totalBytes,
    // As free(1) and htop count it: what neither programs' free pages, buffers nor cache explain.
    usedBytes: Math.max(0, memory.totalBytes - memory.freeBytes - memory.buffersBytes - memory.cachedBytes),
    availableBytes: memory.availableBytes,
    freeBytes: memory.freeBytes,
    buffersBytes: memory.buffersBytes,
    cachedBytes: memory.cachedBytes,
    swapTotalBytes: memory.swapTotalBytes,
    swapUsedBytes: Math.max(0, memory.swapTotalBytes - memory.swapFreeBytes),
  };
}
