import { arch, hostname, release, type } from 'node:os';
import si from 'systeminformation';
import type { MachineFacts } from '../model/types.js';
import { readCaches } from './caches/read-caches.js';

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
    caches: readCaches(),
    memoryBytes: memory.total,
    swapBytes: memory.swaptotal,
  };
}
