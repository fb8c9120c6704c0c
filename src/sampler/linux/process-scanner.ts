import { readdirSync } from 'node:fs';
import { cpuPercent, perSecond } from '../../model/cpu-load.js';
import { NO_GPU_USE, type ProcessSample } from '../../model/types.js';
import {
  type PidStat,
  type PidStatus,
  parseCmdline,
  parsePidStat,
  parsePidStatus,
  parseSchedstat,
} from './parse-process-files.js';
import type { KeptFile } from './proc-reader.js';
import { type ProcSource, perSecondOfLife } from './proc-source.js';
import type { SystemReader } from './system-reader.js';
import type { UserNames } from './user-names.js';

/**
 * Every process on the machine, scanned from /proc. Most of what paratop costs is here, so a scan
 * reads as little as it can; what it does to stay cheap, in one place:
 *
 * - Each process's stat, schedstat and status files stay open between scans (in its record), and are
 *   re-read from offset 0 with one readv each (ProcReader): no path is built, no file opened per scan.
 * - schedstat (a few bytes) says whether the process's main thread has run since the last scan. If
 *   it has not, it made no context switch: status, the dearest file, is not read (re-read every
 *   STATUS_REFRESH_SCANS scans all the same, for a changed user).
 * - A process that showed 0% and no switches last time, whose stat line is unchanged and which has
 *   not run, gets its previous sample handed out again, unparsed. If it has one thread, even its
 *   stat line is skipped: nothing in it can change while that thread sleeps. Most processes (kernel
 *   threads, daemons) are like this most of the time.
 * - Command lines are cached, re-read every COMMAND_REFRESH_SCANS scans and at once when the name
 *   changes; kernel threads have none, and are never read (kworkers rename themselves constantly).
 * - The scan loop is indexed, not for-of: while V8 runs paratop unoptimised (app/v8-lean-mode.ts),
 *   an iterator allocates a result object per step.
 */

/** The files of one process read on every scan, kept open. */
interface ProcessFiles {
  stat: KeptFile;
  schedstat: KeptFile;
  status: KeptFile;
}

/** What the scanner remembers of one process between scans. */
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
/** status is re-read this often even for a process that has not run, for a user that changed (setuid). */
const STATUS_REFRESH_SCANS = 10;

/** Context switches per second over the interval: both kinds, and each. */
interface SwitchRates {
  total: number | null;
  voluntary: number | null;
  involuntary: number | null;
}

const NO_SWITCHES: SwitchRates = { total: 0, voluntary: 0, involuntary: 0 };
const UNKNOWN_SWITCHES: SwitchRates = { total: null, voluntary: null, involuntary: null };

function switchesBetween(before: PidStatus, now: PidStatus, elapsed: number): SwitchRates {
  const voluntary = perSecond(before.ctxVoluntary, now.ctxVoluntary, elapsed);
  const involuntary = perSecond(before.ctxInvoluntary, now.ctxInvoluntary, elapsed);
  return { total: voluntary === null || involuntary === null ? null : voluntary + involuntary, voluntary, involuntary };
}

/** A newcomer's switches over its life so far (null when it is older than the last scan). */
function switchesOver(status: PidStatus, age: number | null): SwitchRates {
  return {
    total: perSecondOfLife(status.ctxVoluntary + status.ctxInvoluntary, age),
    voluntary: perSecondOfLife(status.ctxVoluntary, age),
    involuntary: perSecondOfLife(status.ctxInvoluntary, age),
  };
}

function isPidName(name: string): boolean {
  const first = name.charCodeAt(0);
  return first >= 48 && first <= 57;
}

export class ProcessScanner {
  private scanCount = 0;
  private previousScanUptime: number | null = null;
  private records = new Map<number, ProcessRecord>();

  constructor(
    private readonly source: ProcSource,
    private readonly system: SystemReader,
    private readonly users: UserNames,
    private readonly pageSize: number,
  ) {}

  /** One scan: every process now, and the PIDs seen (for the thread reader to forget the rest). */
  scan(): { processes: ProcessSample[]; alive: ReadonlyMap<number, unknown> } {
    const uptime = this.source.uptime();
    const clock: ScanClock = {
      uptime,
      previousScan: this.previousScanUptime,
      bootTime: this.system.bootTimeSeconds(),
      memTotal: this.system.memTotalBytes(),
    };
    this.scanCount += 1;

    const records = new Map<number, ProcessRecord>();
    const processes: ProcessSample[] = [];
    const names = readdirSync(this.source.root);
    for (let index = 0; index < names.length; index += 1) {
      const name = names[index] ?? '';
      if (!isPidName(name)) continue;
      const pid = Number(name);
      const record = this.nextRecord(pid, this.records.get(pid), clock);
      if (!record) continue; // gone
      records.set(pid, record);
      processes.push(record.sample);
    }
    for (const [pid, record] of this.records) if (!records.has(pid)) this.releaseFiles(record.files);
    this.records = records;
    this.previousScanUptime = uptime;
    return { processes, alive: records };
  }

  /** Close the files kept open between scans. */
  close(): void {
    for (const record of this.records.values()) this.releaseFiles(record.files);
    this.records.clear();
  }

  /**
   * Whether the previous scan's sample still holds for a process whose stat line and schedstat are
   * unchanged: nothing due for a re-read, and the sample already showing it idle.
   */
  private stillIdle(kept: ProcessRecord): boolean {
    return (
      kept.sample.cpu === 0 &&
      kept.sample.ctxPerSecond === 0 &&
      this.scanCount - kept.statusScan < STATUS_REFRESH_SCANS &&
      this.scanCount - kept.commandScan < COMMAND_REFRESH_SCANS &&
      kept.userNames === this.users.table
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
    const length = this.source.reader.reread(file);
    return length ? this.source.reader.text(length) : null;
  }

  /** The files a scan reads of a process seen for the first time. */
  private processFiles(pid: number): ProcessFiles {
    const dir = `${this.source.root}/${pid}`;
    const { reader } = this.source;
    return {
      stat: reader.keep(`${dir}/stat`),
      schedstat: reader.keep(`${dir}/schedstat`),
      status: reader.keep(`${dir}/status`),
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
    const hz = this.source.hz;
    const before = kept?.startTicks === stat.startTicks ? kept : undefined; // else the PID was reused
    // Without schedstat there is no telling whether it ran: status is read on every scan.
    const idle = before !== undefined && schedText !== null && schedText === before.schedText;
    let status = before?.status;
    let statusScan = before?.statusScan ?? this.scanCount;
    let switchRates: SwitchRates = idle ? NO_SWITCHES : UNKNOWN_SWITCHES;
    const age = (): number | null => this.source.ageIfNew(stat.startTicks, uptime, previousScan);
    if (!before || !idle || this.scanCount - before.statusScan >= STATUS_REFRESH_SCANS) {
      const text = this.readText(files.status);
      if (!text) return null;
      status = parsePidStatus(text);
      // Scans that skipped status saw no run, hence no switch: the change is all since the last scan.
      switchRates = before
        ? switchesBetween(before.status, status, uptime - before.scannedAt)
        : switchesOver(status, age());
      statusScan = this.scanCount;
    }
    if (!status) return null;
    const fresh =
      before && before.sample.name === stat.comm && this.scanCount - before.commandScan < COMMAND_REFRESH_SCANS;
    const cpuSeconds = stat.cpuTicks / hz;
    const sched = schedText === null ? null : parseSchedstat(schedText);
    const waitSeconds = sched ? sched.waitNs / 1e9 : null;
    const waitBefore = before?.sample.waitSeconds ?? null;
    const rssBytes = stat.rssPages * this.pageSize;
    const sample: ProcessSample = {
      pid: stat.pid,
      ppid: stat.ppid,
      user: this.users.name(status.uid),
      uid: status.uid,
      state: stat.state,
      name: stat.comm,
      command: fresh ? before.sample.command : this.readCommand(pid, stat),
      cpu: before
        ? cpuPercent(before.sample.cpuSeconds, cpuSeconds, uptime - before.scannedAt)
        : perSecondOfLife(cpuSeconds * 100, this.source.ageIfNew(stat.startTicks, uptime, previousScan)),
      cpuSeconds,
      rssBytes,
      memPercent: clock.memTotal > 0 ? (rssBytes / clock.memTotal) * 100 : 0,
      threads: stat.threads,
      startedAt: (clock.bootTime + stat.startTicks / hz) * 1000,
      startToken: String(stat.startTicks),
      ...NO_GPU_USE,
      ctxVoluntary: status.ctxVoluntary,
      ctxInvoluntary: status.ctxInvoluntary,
      ctxPerSecond: switchRates.total,
      ctxVoluntaryPerSecond: switchRates.voluntary,
      ctxInvoluntaryPerSecond: switchRates.involuntary,
      lastCpu: stat.lastCpu,
      waitSeconds,
      waitPercent:
        waitSeconds === null
          ? null
          : waitBefore !== null && before
            ? cpuPercent(waitBefore, waitSeconds, uptime - before.scannedAt)
            : perSecondOfLife(waitSeconds * 100, age()),
      migrationsPerSecond: null,
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
      userNames: this.users.table,
    };
  }

  private readCommand(pid: number, stat: PidStat): string {
    if (stat.kernelThread) return `[${stat.comm}]`;
    const text = this.source.reader.read(`${this.source.root}/${pid}/cmdline`, 64 * 1024);
    return (text && parseCmdline(text)) || `[${stat.comm}]`;
  }

  private releaseFiles(files: ProcessFiles): void {
    const { reader } = this.source;
    reader.release(files.stat);
    reader.release(files.schedstat);
    reader.release(files.status);
  }
}
