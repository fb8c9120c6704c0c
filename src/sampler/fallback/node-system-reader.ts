import { coreLoadBetween } from '../../model/cpu-load.js';
import type { CoreUsage, CpuTimes, MemorySample, SystemSample } from '../../model/types.js';
import type { FallbackSource, NodeCoreTimes } from './fallback-source.js';
import { parseSwapUsage, vmStatMemory } from './parse-vm-stat.js';

/** Swap changes slowly: `sysctl vm.swapusage` takes the place of vm_stat on one refresh in this many. */
const SWAP_EVERY_REFRESHES = 30;

/** Node's core times in /proc/stat's terms; Node has no iowait, softirq or steal. */
function cpuTimes(times: NodeCoreTimes): CpuTimes {
  return {
    user: times.user,
    nice: times.nice,
    system: times.sys,
    idle: times.idle,
    iowait: 0,
    irq: times.irq,
    softirq: 0,
    steal: 0,
  };
}

function sum(cores: readonly CpuTimes[]): CpuTimes {
  const total: CpuTimes = { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0 };
  for (const core of cores) {
    total.user += core.user;
    total.nice += core.nice;
    total.system += core.system;
    total.idle += core.idle;
    total.irq += core.irq;
  }
  return total;
}

/**
 * The machine as a whole, from Node: per-core times (os.cpus(), no process started on any platform),
 * load average, uptime, and memory. On macOS memory as Activity Monitor counts it needs vm_stat: the
 * one command a refresh may run. Elsewhere Node's total and free memory are all there is.
 */
export class NodeSystemReader {
  private previous: CpuTimes[] | null = null;
  private lastCores: CoreUsage[] | null = null;
  private lastCpu: SystemSample['cpu'] = null;
  private refreshes = 0;
  private swap: { totalBytes: number; usedBytes: number } | null = null;
  private lastVmStat: string | null = null;

  constructor(private readonly source: FallbackSource) {}

  async sample(): Promise<SystemSample> {
    this.updateCoreLoads(this.source.coreTimes().map(cpuTimes));
    return {
      at: this.source.now(),
      cores: this.lastCores,
      cpu: this.lastCpu,
      memory: await this.memory(),
      loadAverage: this.source.loadAverage(),
      uptimeSeconds: this.source.uptimeSeconds(),
      kernel: null,
    };
  }

  /** Total memory, bytes: what a process's share is counted against. */
  totalBytes(): number {
    return this.source.totalMemory();
  }

  private updateCoreLoads(cores: CpuTimes[]): void {
    const previous = this.previous;
    this.previous = cores;
    if (!previous) return;
    const loads: CoreUsage[] = [];
    for (const [id, current] of cores.entries()) {
      const before = previous[id];
      const load = before ? coreLoadBetween(before, current) : null;
      // Two readings within one clock tick: keep showing the last real figures.
      if (!load) return;
      loads.push({ id, ...load });
    }
    const cpu = coreLoadBetween(sum(previous), sum(cores));
    if (!cpu) return;
    this.lastCores = loads;
    this.lastCpu = cpu;
  }

  private async memory(): Promise<MemorySample> {
    const total = this.source.totalMemory();
    if (this.source.platform === 'darwin') {
      const darwin = await this.darwinMemory(total);
      if (darwin) return darwin;
    }
    const free = this.source.freeMemory();
    return {
      totalBytes: total,
      usedBytes: Math.max(0, total - free),
      availableBytes: free,
      freeBytes: free,
      buffersBytes: 0,
      cachedBytes: 0,
      swapTotalBytes: 0,
      swapUsedBytes: 0,
    };
  }

  /** vm_stat on most refreshes, sysctl vm.swapusage on the others: one command a refresh, never two. */
  private async darwinMemory(total: number): Promise<MemorySample | null> {
    const swapTurn = this.refreshes % SWAP_EVERY_REFRESHES === 1;
    this.refreshes += 1;
    try {
      if (swapTurn && this.lastVmStat !== null) {
        const { stdout } = await this.source.run('sysctl', ['vm.swapusage']);
        this.swap = parseSwapUsage(stdout) ?? this.swap;
      } else {
        const { stdout, exitCode } = await this.source.run('vm_stat', []);
        if (exitCode === 0) this.lastVmStat = stdout;
      }
    } catch {
      // the command could not start: the last reading, or Node's figures
    }
    return this.lastVmStat === null ? null : vmStatMemory(this.lastVmStat, total, this.swap);
  }
}
