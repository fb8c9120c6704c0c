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
import { type PidStat, type PidStatus, parseCmdline, parsePidStat, parsePidStatus } from './parse-process-files.js';
import {
  type MemInfo,
  type ProcStat,
  parseLoadavg,
  parseMeminfo,
  parseProcStat,
  parseUptime,
} from './parse-system-files.js';
import { type KeptFile, ProcReader } from './proc-reader.js';

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
  /** Bytes per memory page; by default this machine's, found from /proc/self. */
  pageSize?: number;
}

/** What the previous scan saw of one task, to turn cumulative counters into rates. */
interface TaskCounters {
  startTicks: number;
  cpuSeconds: number;
  ctxSwitches: number;
}

/** The files of one process read on every scan, kept open. */
interface ProcessFiles {
  stat: KeptFile;
  schedstat: KeptFile;
  status: KeptFile;
}

/** What the sampler remembers of one process between scans. */
interface ProcessRecord {
  /** What the last scan showed (CPU time, command, name...); handed out again while nothing changes. */
  sample: ProcessSample;
  files: ProcessFiles;
  /** The stat line that sample was made from. */
  statText: string;
  /**
   * The main thread's schedstat as last read (ns on a CPU, ns waiting, times run), or null where
   * the kernel has none. Unchanged, the thread has not run since.
   */
  schedText: string | null;
  startTicks: number;
  /** /proc/uptime when this process was last scanned */
  scannedAt: number;
  status: PidStatus;
  statusScan: number;
  /** When the command line was last read; a new name (the sample's) means a new command line. */
  commandScan: number;
  /** The user names the sample's user came from (they are reloaded when an unknown uid turns up). */
  userNames: Map<number, string>;
}

/** What one scan knows of the whole machine, for every process in it. */
interface ScanClock {
  uptime: number;
  previousScan: number | null;
  bootTime: number;
  memTotal: number;
}

/**
 * A process may rewrite its command line (setproctitle) without changing its name, so cached ones
 * are re-read now and then; at once when the name changes (exec, or a title set with the name).
 */
const COMMAND_REFRESH_SCANS = 10;
/**
 * /proc/<pid>/status is the dearest file to read. A process whose main thread has not run since
 * the last scan (schedstat says so) has made no context switch: its rate is 0 without reading it.
 * It is still re-read this often, for a user that changed (setuid).
 */
const STATUS_REFRESH_SCANS = 10;
/** A task younger than this has too little history for a meaningful lifetime average. */
const MIN_AGE_FOR_AVERAGE_SECONDS = 0.05;
const PASSWD_RELOAD_MS = 30_000;
/** Readings this close together belong to the same tick. */
const UPTIME_REUSE_MS = 20;

/** A count spread over a lifetime, or null when there is no lifetime to spread it over. */
function perSecondOfLife(count: number, ageSeconds: number | null): number | null {
  return ageSeconds === null ? null : perSecond(0, count, ageSeconds);
}

function isPidName(name: string): boolean {
  const first = name.charCodeAt(0);
  return first >= 48 && first <= 57;
}

/** Reads /proc directly. Spawns nothing; a process costs one or two small reads of files kept open. */
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
  private records = new Map<number, ProcessRecord>();
  private readonly pageSize: number;
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
    this.pageSize = options.pageSize ?? systemPageSize();
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
    const clock: ScanClock = {
      uptime,
      previousScan: this.previousScanUptime,
      bootTime: this.bootTime ?? this.readProcStat().bootTime,
      memTotal: this.memTotalBytes ?? this.readMemory().totalBytes,
    };
    this.scanCount += 1;

    const records = new Map<number, ProcessRecord>();
    const processes: ProcessSample[] = [];
    const names = readdirSync(this.root);
    // Indexed: interpreted code (see app/v8-lean-mode.ts) allocates an iterator result per for-of step.
    for (let index = 0; index < names.length; index += 1) {
      const name = names[index] ?? '';
      if (!isPidName(name)) continue;
      const pid = Number(name);
      const record = this.nextRecord(pid, this.records.get(pid), clock);
      if (!record) continue; // gone
      records.set(pid, record);
      processes.push(record.sample);
    }
    this.forgetVanished(records);
    this.records = records;
    this.previousScanUptime = uptime;
    return processes;
  }

  /**
   * With the same stat line (so no CPU time, memory, state or name changed) and no run since
   * (schedstat): whether the previous scan's sample still holds, nothing being due for a re-read and
   * the sample already showing the process idle. Most processes are, most of the time (kernel
   * threads, daemons); their samples are handed out again without parsing or building anything.
   * The re-reads due every few scans also catch what can change while a process sleeps: memory
   * reclaimed, a new parent, a name written to its comm.
   */
  private stillIdle(kept: ProcessRecord): boolean {
    return (
      kept.sample.cpu === 0 &&
      kept.sample.ctxPerSecond === 0 &&
      this.scanCount - kept.statusScan < STATUS_REFRESH_SCANS &&
      this.scanCount - kept.commandScan < COMMAND_REFRESH_SCANS &&
      kept.userNames === this.userNames
    );
  }

  /**
   * This scan's record of one process: the last one again while it is idle, else a new one; null
   * when it has gone (a process seen for the first time then keeps no file open; a known one's
   * close with the vanished).
   */
  private nextRecord(pid: number, kept: ProcessRecord | undefined, clock: ScanClock): ProcessRecord | null {
    const files = kept?.files ?? this.processFiles(pid);
    const idle = kept !== undefined && this.stillIdle(kept);
    // Single-threaded (most kernel threads and sleepers): if its one thread has not run since,
    // nothing in its stat line can have changed, so that is not read at all.
    const schedFirst = idle && kept.sample.threads === 1 ? this.readText(files.schedstat) : undefined;
    if (idle && schedFirst && schedFirst === kept.schedText) return this.stillHolds(kept, clock.uptime);
    const statText = this.readText(files.stat);
    let record: ProcessRecord | null = null;
    if (statText !== null) {
      const schedText = schedFirst ?? this.readText(files.schedstat);
      const unchanged = idle && statText === kept.statText && schedText !== null && schedText === kept.schedText;
      record = unchanged
        ? this.stillHolds(kept, clock.uptime)
        : this.scanProcess(pid, files, statText, schedText, kept, clock);
    }
    if (!record && !kept) this.releaseFiles(files);
    return record;
  }

  /** An idle process's last record, handed out again. */
  private stillHolds(kept: ProcessRecord, uptime: number): ProcessRecord {
    kept.scannedAt = uptime;
    return kept;
  }

  /** A kept file's text; null when it is gone or empty. */
  private readText(file: KeptFile): string | null {
    const length = this.reader.reread(file);
    return length ? this.reader.text(length) : null;
  }

  /** The files a scan reads of a process seen for the first time. */
  private processFiles(pid: number): ProcessFiles {
    const dir = `${this.root}/${pid}`;
    return {
      stat: this.reader.keep(`${dir}/stat`),
      schedstat: this.reader.keep(`${dir}/schedstat`),
      status: this.reader.keep(`${dir}/status`),
    };
  }

  /** Read what changed of one process and make its sample; null when it vanished between its files. */
  private scanProcess(
    pid: number,
    files: ProcessFiles,
    statText: string,
    schedText: string | null,
    kept: ProcessRecord | undefined,
    clock: ScanClock,
  ): ProcessRecord | null {
    const stat = parsePidStat(statText);
    if (!stat) return null;
    const { uptime, previousScan } = clock;
    const before = kept?.startTicks === stat.startTicks ? kept : undefined; // else the PID was reused
    // Without schedstat there is no telling whether it ran: status is read on every scan.
    const idle = before !== undefined && schedText !== null && schedText === before.schedText;
    let status = before?.status;
    let statusScan = before?.statusScan ?? this.scanCount;
    let ctxPerSecond: number | null = idle ? 0 : null;
    if (!before || !idle || this.scanCount - before.statusScan >= STATUS_REFRESH_SCANS) {
      const text = this.readText(files.status);
      if (!text) return null;
      status = parsePidStatus(text);
      const switches = status.ctxVoluntary + status.ctxInvoluntary;
      // Scans that skipped status saw no run, hence no switch: the change is all since the last scan.
      ctxPerSecond = before
        ? perSecond(before.status.ctxVoluntary + before.status.ctxInvoluntary, switches, uptime - before.scannedAt)
        : perSecondOfLife(switches, this.ageIfNew(stat.startTicks, uptime, previousScan));
      statusScan = this.scanCount;
    }
    if (!status) return null;
    const fresh =
      before && before.sample.name === stat.comm && this.scanCount - before.commandScan < COMMAND_REFRESH_SCANS;
    const cpuSeconds = stat.cpuTicks / this.hz;
    const rssBytes = stat.rssPages * this.pageSize;
    const sample: ProcessSample = {
      pid: stat.pid,
      ppid: stat.ppid,
      user: this.userName(status.uid),
      uid: status.uid,
      state: stat.state,
      name: stat.comm,
      command: fresh ? before.sample.command : this.readCommand(pid, stat),
      cpu: before
        ? cpuPercent(before.sample.cpuSeconds, cpuSeconds, uptime - before.scannedAt)
        : perSecondOfLife(cpuSeconds * 100, this.ageIfNew(stat.startTicks, uptime, previousScan)),
      cpuSeconds,
      rssBytes,
      memPercent: clock.memTotal > 0 ? (rssBytes / clock.memTotal) * 100 : 0,
      threads: stat.threads,
      startedAt: (clock.bootTime + stat.startTicks / this.hz) * 1000,
      startToken: String(stat.startTicks),
      ctxVoluntary: status.ctxVoluntary,
      ctxInvoluntary: status.ctxInvoluntary,
      ctxPerSecond,
    };
    return {
      sample,
      files,
      statText,
      schedText,
      startTicks: stat.startTicks,
      scannedAt: uptime,
      status,
      statusScan,
      commandScan: fresh ? before.commandScan : this.scanCount,
      userNames: this.userNames,
    };
  }

  /**
   * The age of a task born since the previous scan, whose lifetime average stands in for a rate;
   * null for an older task seen for the first time (the first scan of all): no guess is made.
   */
  private ageIfNew(startTicks: number, uptime: number, previousScan: number | null): number | null {
    const startedAt = startTicks / this.hz;
    if (previousScan === null || startedAt < previousScan) return null;
    const age = uptime - startedAt;
    return age >= MIN_AGE_FOR_AVERAGE_SECONDS ? age : null;
  }

  async sampleThreads(pid: number, restart = false): Promise<ThreadSample[] | null> {
    if (restart) this.previousThreads.delete(pid);
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
      if (!stat || !statusText) continue; // gone mid-scan
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
    const age = this.ageIfNew(now.startTicks, uptime, elapsed === null ? null : uptime - elapsed);
    return { cpu: perSecondOfLife(now.cpuSeconds * 100, age), ctxPerSecond: perSecondOfLife(now.ctxSwitches, age) };
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

  private readCommand(pid: number, stat: PidStat): string {
    // A kernel thread's command line is empty, and kworkers rename themselves all the time.
    if (stat.kernelThread) return `[${stat.comm}]`;
    const text = this.reader.read(`${this.root}/${pid}/cmdline`, 64 * 1024);
    return (text && parseCmdline(text)) || `[${stat.comm}]`;
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

  private forgetVanished(alive: Map<number, ProcessRecord>): void {
    for (const [pid, record] of this.records) if (!alive.has(pid)) this.releaseFiles(record.files);
    for (const pid of this.previousThreads.keys()) if (!alive.has(pid)) this.previousThreads.delete(pid);
  }

  /** Close the files kept open between scans. */
  close(): void {
    for (const record of this.records.values()) this.releaseFiles(record.files);
    this.records.clear();
    this.reader.closeAll();
  }

  private releaseFiles(files: ProcessFiles): void {
    this.reader.release(files.stat);
    this.reader.release(files.schedstat);
    this.reader.release(files.status);
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

let cachedPageSize: number | undefined;

/**
 * This machine's page size (4 KiB on x86-64; 4, 16 or 64 KiB on arm64), from how /proc/self counts
 * the same resident memory in pages (stat) and in kB (status). Node has no direct way to ask.
 */
function systemPageSize(): number {
  if (cachedPageSize !== undefined) return cachedPageSize;
  cachedPageSize = 4096;
  try {
    const reader = new ProcReader(0);
    const pages = parsePidStat(reader.read('/proc/self/stat') ?? '')?.rssPages ?? 0;
    const bytes = parsePidStatus(reader.read('/proc/self/status') ?? '').rssBytes;
    if (pages > 0 && bytes > 0) cachedPageSize = 2 ** Math.round(Math.log2(bytes / pages));
  } catch {
    // keep the common default
  }
  return cachedPageSize;
}
