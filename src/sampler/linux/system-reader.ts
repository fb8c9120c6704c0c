import { coreLoadBetween } from '../../model/cpu-load.js';
import type { CoreUsage, MemorySample, SystemSample } from '../../model/types.js';
import { type MemInfo, type ProcStat, parseLoadavg, parseMeminfo, parseProcStat } from './parse-system-files.js';
import type { ProcSource } from './proc-source.js';

/** The machine as a whole: per-core load from /proc/stat, memory, load average, uptime. */
export class SystemReader {
  private previousStat: ProcStat | null = null;
  private lastCores: CoreUsage[] | null = null;
  private lastCpu: SystemSample['cpu'] = null;
  private bootTime: number | null = null;
  private memTotal: number | null = null;

  constructor(private readonly source: ProcSource) {}

  sample(): SystemSample {
    const stat = this.readProcStat();
    const memory = this.readMemory();
    this.updateCoreLoads(stat);
    return {
      at: this.source.now(),
      cores: this.lastCores,
      cpu: this.lastCpu,
      memory: toMemorySample(memory),
      loadAverage: parseLoadavg(this.source.reader.readKeepingOpen(`${this.source.root}/loadavg`) ?? ''),
      uptimeSeconds: this.source.uptime(),
      kernel: {
        bootTimeSeconds: stat.bootTime,
        ticksPerSecond: this.source.hz,
        coreTimes: stat.cores,
        pageCacheBytes: memory.pageCacheBytes,
        reclaimableSlabBytes: memory.reclaimableSlabBytes,
      },
    };
  }

  /** When the machine booted, seconds since the epoch (read once, then as /proc/stat is read). */
  bootTimeSeconds(): number {
    return this.bootTime ?? this.readProcStat().bootTime;
  }

  /** Total memory, bytes: what a process's share is counted against. */
  memTotalBytes(): number {
    return this.memTotal ?? this.readMemory().totalBytes;
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
    const stat = parseProcStat(this.source.reader.readKeepingOpen(`${this.source.root}/stat`) ?? '');
    this.bootTime = stat.bootTime;
    return stat;
  }

  private readMemory(): MemInfo {
    const memory = parseMeminfo(this.source.reader.readKeepingOpen(`${this.source.root}/meminfo`) ?? '');
    this.memTotal = memory.totalBytes;
    return memory;
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
