import type si from 'systeminformation';
import { cpuPercent } from '../../model/cpu-load.js';
import type {
  CoreLoad,
  CoreUsage,
  ProcessIdentity,
  ProcessSample,
  SystemSample,
  ThreadSample,
} from '../../model/types.js';
import { UNKNOWN_SCHEDULING } from '../../model/types.js';
import type { Sampler } from '../sampler.js';
import { type CpuTimeReading, type SystemInfoSource, systemInfoSource } from './system-info-source.js';

type CoreData = si.Systeminformation.CurrentLoadCpuData;
type ProcessData = si.Systeminformation.ProcessesProcessData;

/** systeminformation names states in words; the table shows ps's letters. */
const STATE_LETTERS: Record<string, string> = {
  running: 'R',
  sleeping: 'S',
  blocked: 'D',
  stopped: 'T',
  zombie: 'Z',
  paging: 'W',
  dead: 'X',
  idle: 'I',
};

/** systeminformation's shares of an interval, in paratop's terms (it has no iowait figure). */
function toCoreLoad(load: {
  user: number;
  nice: number;
  system: number;
  irq: number;
  steal: number;
  idle: number;
  total: number;
}): CoreLoad {
  return {
    user: load.user + load.nice,
    system: load.system + load.irq,
    iowait: 0,
    steal: load.steal,
    idle: load.idle,
    total: load.total,
  };
}

function toCoreUsage(core: CoreData, id: number): CoreUsage {
  const {
    loadUser: user,
    loadNice: nice,
    loadSystem: system,
    loadIrq: irq,
    loadSteal: steal,
    loadIdle: idle,
    load: total,
  } = core;
  return { id, ...toCoreLoad({ user, nice, system, irq, steal, idle, total }) };
}

function commandLine(process: ProcessData): string {
  const command = [process.command, process.params].filter(Boolean).join(' ').trim();
  return command || `[${process.name}]`;
}

/**
 * For platforms without /proc (macOS first). Slower and coarser: systeminformation runs `ps`, and
 * there are no per-thread figures or context switches. Used automatically where /proc is missing.
 */
export class FallbackSampler implements Sampler {
  readonly kind = 'systeminformation' as const;
  readonly hasThreads = false;

  private primed = false;
  private previousCpuTimes = new Map<number, CpuTimeReading & { startToken: string }>();

  constructor(private readonly source: SystemInfoSource = systemInfoSource) {}

  async sampleSystem(): Promise<SystemSample> {
    const [load, memory] = await Promise.all([this.source.currentLoad(), this.source.mem()]);
    // systeminformation measures since its previous call; the first call measures since boot.
    const measured = this.primed;
    this.primed = true;
    return {
      at: Date.now(),
      cores: measured ? load.cpus.map(toCoreUsage) : null,
      cpu: measured
        ? toCoreLoad({
            user: load.currentLoadUser,
            nice: load.currentLoadNice,
            system: load.currentLoadSystem,
            irq: load.currentLoadIrq,
            steal: load.currentLoadSteal,
            idle: load.currentLoadIdle,
            total: load.currentLoad,
          })
        : null,
      memory: {
        totalBytes: memory.total,
        usedBytes: memory.active,
        availableBytes: memory.available,
        freeBytes: memory.free,
        buffersBytes: memory.buffers,
        cachedBytes: memory.cached,
        swapTotalBytes: memory.swaptotal,
        swapUsedBytes: memory.swapused,
      },
      loadAverage: this.source.loadAverage(),
      uptimeSeconds: this.source.uptimeSeconds(),
      kernel: null,
    };
  }

  async sampleProcesses(): Promise<ProcessSample[]> {
    const [{ list }, memory] = await Promise.all([this.source.processes(), this.source.mem()]);
    const cpuTimes = await this.source.cpuTimes(list.map((process) => process.pid));
    const seen = new Map<number, CpuTimeReading & { startToken: string }>();
    const processes: ProcessSample[] = [];
    for (const process of list) {
      const reading = cpuTimes.get(process.pid);
      if (!reading) continue; // gone between the two questions
      const startToken = process.started;
      const before = this.previousCpuTimes.get(process.pid);
      seen.set(process.pid, { ...reading, startToken });
      const rssBytes = process.memRss * 1024;
      processes.push({
        pid: process.pid,
        ppid: process.parentPid,
        user: process.user,
        uid: -1,
        state: STATE_LETTERS[process.state] ?? '?',
        name: process.name,
        command: commandLine(process),
        cpu:
          before && before.startToken === startToken
            ? cpuPercent(before.ctime / 1000, reading.ctime / 1000, (reading.timestamp - before.timestamp) / 1000)
            : null,
        cpuSeconds: reading.ctime / 1000,
        rssBytes,
        memPercent: memory.total > 0 ? (rssBytes / memory.total) * 100 : 0,
        threads: null,
        startedAt: Date.parse(process.started.replace(' ', 'T')),
        startToken,
        ctxVoluntary: null,
        ctxInvoluntary: null,
        ctxPerSecond: null,
        ...UNKNOWN_SCHEDULING,
      });
    }
    this.previousCpuTimes = seen;
    return processes;
  }

  async sampleThreads(): Promise<ThreadSample[] | null> {
    return null;
  }

  async identify(pid: number): Promise<ProcessIdentity | null> {
    const { list } = await this.source.processes();
    const process = list.find((candidate) => candidate.pid === pid);
    return process ? { pid, startToken: process.started } : null;
  }
}
