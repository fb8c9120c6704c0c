import { arch, hostname, release, type } from 'node:os';
import si from 'systeminformation';
import type { CacheLevel, MachineFacts } from '../model/types.js';
import { readCacheTopology } from './linux/cache-topology.js';

function cachesFromTotals(cache: si.Systeminformation.CpuCacheData): CacheLevel[] {
  const levels: CacheLevel[] = [
    { name: 'L1d', bytes: cache.l1d, sharedBy: null },
    { name: 'L1i', bytes: cache.l1i, sharedBy: null },
    { name: 'L2', bytes: cache.l2, sharedBy: null },
    { name: 'L3', bytes: cache.l3, sharedBy: null },
  ];
  return levels.filter((level) => level.bytes > 0);
}

/**
 * The lecture's first question: how many cores, how much cache, how much memory. Read once at start
 * (systeminformation runs lscpu and friends, which takes a few hundred ms); never on a tick.
 */
export async function readMachineFacts(): Promise<MachineFacts> {
  const [cpu, memory, os] = await Promise.all([si.cpu(), si.mem(), si.osInfo()]);
  const brand = [cpu.manufacturer, cpu.brand].filter(Boolean).join(' ');
  return {
    hostname: os.hostname || hostname(),
    os: [os.distro, os.release].filter(Boolean).join(' ') || type(),
    kernel: os.kernel || release(),
    arch: os.arch || arch(),
    cpuModel: brand || 'unknown CPU',
    physicalCores: cpu.physicalCores,
    logicalCores: cpu.cores,
    caches: (process.platform === 'linux' ? readCacheTopology() : null) ?? cachesFromTotals(cpu.cache),
    memoryBytes: memory.total,
    swapBytes: memory.swaptotal,
  };
}

