import { cpuPercent } from '../../model/cpu-load.js';
import {
  type ProcessIdentity,
  type ProcessSample,
  type SystemSample,
  type ThreadSample,
  UNKNOWN_SCHEDULING,
  NO_GPU_USE,
} from '../../model/types.js';
import type { Sampler } from '../sampler.js';
import { type FallbackSource, nodeSource } from './fallback-source.js';
import { NodeSystemReader } from './node-system-reader.js';
import { type PsProcess, parsePsProcessLine, parsePsProcesses } from './parse-ps-processes.js';
import { type PsThread, parsePsThreads } from './parse-ps-threads.js';
import { type PsDialect, psDialectFor, psProcessArgs, psThreadArgs } from './ps-dialect.js';

/** What the previous scan saw of one process, for its CPU% over the interval. */
interface Seen {
  startToken: string;
  cpuSeconds: number;
}

/** The previous reading of one process's threads. */
interface ThreadReading {
  at: number;
  /** Keyed by TID; on BSD by the row's place, so a thread that comes or goes resets the rates. */
  threads: Map<number, number>;
  count: number;
}

/**
 * For platforms without /proc (macOS first). Per-core load and memory from Node (and vm_stat on
 * macOS, once a refresh); every process from one `ps` per scan, its CPU% from the change in CPU time;
 * one process's threads from one `ps` while a thread view is open. Nothing is started per process.
 * Coarser than /proc: no context switches, no iowait, and CPU time in ps's units (hundredths of a
 * second on macOS, whole seconds from procps).
 */
export class FallbackSampler implements Sampler {
  readonly kind = 'ps' as const;
  /** macOS's ps -M and procps's -L list threads; other BSDs' -M means something else. */
  readonly hasThreads: boolean;

  private readonly system: NodeSystemReader;
  private readonly dialect: PsDialect;
  private previousScan: { at: number; processes: Map<number, Seen> } | null = null;
  private names = new Map<number, string>();
  private threadReadings = new Map<number, ThreadReading>();

  constructor(private readonly source: FallbackSource = nodeSource) {
    this.system = new NodeSystemReader(source);
    this.dialect = psDialectFor(source.platform);
    this.hasThreads = source.platform === 'darwin' || source.platform === 'linux';
  }

  async sampleSystem(): Promise<SystemSample> {
    return this.system.sample();
  }

  async sampleProcesses(): Promise<ProcessSample[]> {
    const { stdout, exitCode, pid: psPid } = await this.source.run('ps', psProcessArgs(this.dialect));
    const rows = parsePsProcesses(stdout, this.dialect).filter((row) => row.pid !== psPid);
    // ps may exit non-zero having listed what it could (a process gone mid-read); with nothing, it failed.
    if (rows.length === 0) throw new Error(`ps listed no processes (exit code ${exitCode})`);
    const at = this.source.monotonic();
    const total = this.system.totalBytes();
    const before = this.previousScan;
    const seen = new Map<number, Seen>();
    const names = new Map<number, string>();
    const processes: ProcessSample[] = [];
    for (const row of rows) {
      seen.set(row.pid, { startToken: row.startToken, cpuSeconds: row.cpuSeconds });
      names.set(row.pid, row.name);
      const previous = before?.processes.get(row.pid);
      processes.push({
        ...row,
        cpu:
          before && previous?.startToken === row.startToken
            ? cpuPercent(previous.cpuSeconds, row.cpuSeconds, (at - before.at) / 1000)
            : null,
        memPercent: total > 0 ? (row.rssBytes / total) * 100 : 0,
        ctxVoluntary: null,
        ctxInvoluntary: null,
        ctxPerSecond: null,
        ...UNKNOWN_SCHEDULING,
        ...NO_GPU_USE,
      });
    }
    this.previousScan = { at, processes: seen };
    this.names = names;
    for (const pid of this.threadReadings.keys()) if (!seen.has(pid)) this.threadReadings.delete(pid);
    return processes;
  }

  async sampleThreads(pid: number, restart = false): Promise<ThreadSample[] | null> {
    if (!this.hasThreads) return null;
    if (restart) this.threadReadings.delete(pid);
    const { stdout } = await this.source.run('ps', psThreadArgs(this.dialect, pid));
    const rows = parsePsThreads(stdout, this.dialect, pid);
    if (rows.length === 0) {
      this.threadReadings.delete(pid);
      return null; // gone (ps -p exits 1 and prints no row)
    }
    const at = this.source.monotonic();
    const previous = this.threadReadings.get(pid);
    const comparable = previous !== undefined && (this.dialect.id === 'procps' || previous.count === rows.length);
    this.threadReadings.set(pid, {
      at,
      count: rows.length,
      threads: new Map(rows.map((row) => [row.tid, row.cpuSeconds])),
    });
    return rows.map((row) => this.threadSample(pid, row, comparable ? previous : undefined, at));
  }

  async identify(pid: number): Promise<ProcessIdentity | null> {
    const { stdout } = await this.source.run('ps', psProcessArgs(this.dialect, pid));
    for (const line of stdout.split('\n')) {
      const row: PsProcess | null = parsePsProcessLine(line, this.dialect);
      if (row?.pid === pid) return { pid, startToken: row.startToken };
    }
    return null;
  }

  private threadSample(pid: number, row: PsThread, previous: ThreadReading | undefined, at: number): ThreadSample {
    const before = previous?.threads.get(row.tid);
    return {
      tid: row.tid,
      pid,
      name: row.name || this.names.get(pid) || '',
      state: row.state,
      cpu: previous && before !== undefined ? cpuPercent(before, row.cpuSeconds, (at - previous.at) / 1000) : null,
      cpuSeconds: row.cpuSeconds,
      ctxVoluntary: null,
      ctxInvoluntary: null,
      ctxPerSecond: null,
      ...UNKNOWN_SCHEDULING,
    };
  }
}
