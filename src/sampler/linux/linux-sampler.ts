import type { ProcessIdentity, ProcessSample, SystemSample, ThreadSample } from '../../model/types.js';
import type { Sampler } from '../sampler.js';
import { parsePidStat, parsePidStatus } from './parse-process-files.js';
import { ProcessScanner } from './process-scanner.js';
import { ProcReader } from './proc-reader.js';
import { ProcSource, type ProcSourceOptions } from './proc-source.js';
import { SystemReader } from './system-reader.js';
import { ThreadReader } from './thread-reader.js';
import { UserNames } from './user-names.js';

export interface LinuxSamplerOptions extends ProcSourceOptions {
  passwdFile?: string;
  /** Bytes per memory page; by default this machine's, found from /proc/self. */
  pageSize?: number;
}

/**
 * The sampler on Linux: reads /proc directly and spawns nothing. Its parts, by what they read: the
 * machine (system-reader.ts), every process (process-scanner.ts, where the scan's cost is kept
 * down), one process's threads (thread-reader.ts) and user names (user-names.ts), sharing one
 * reader and one reading of the uptime per tick (proc-source.ts).
 */
export class LinuxSampler implements Sampler {
  readonly kind = 'linux-proc' as const;
  readonly hasThreads = true;

  private readonly source: ProcSource;
  private readonly system: SystemReader;
  private readonly processes: ProcessScanner;
  private readonly threads: ThreadReader;

  constructor(options: LinuxSamplerOptions = {}) {
    this.source = new ProcSource(options);
    this.system = new SystemReader(this.source);
    const users = new UserNames(this.source, options.passwdFile);
    this.processes = new ProcessScanner(this.source, this.system, users, options.pageSize ?? systemPageSize());
    this.threads = new ThreadReader(this.source);
  }

  async sampleSystem(): Promise<SystemSample> {
    return this.system.sample();
  }

  async sampleProcesses(): Promise<ProcessSample[]> {
    const { processes, alive } = this.processes.scan();
    this.threads.forgetExcept(alive);
    return processes;
  }

  async sampleThreads(pid: number, restart = false): Promise<ThreadSample[] | null> {
    return this.threads.sample(pid, restart);
  }

  async identify(pid: number): Promise<ProcessIdentity | null> {
    const stat = parsePidStat(this.source.reader.read(`${this.source.root}/${pid}/stat`) ?? '');
    return stat ? { pid, startToken: String(stat.startTicks) } : null;
  }

  /** Close the files kept open between scans. */
  close(): void {
    this.processes.close();
    this.source.reader.closeAll();
  }
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
