import { arch, cpus, hostname, release, totalmem, type } from 'node:os';
import si from 'systeminformation';
import type { MachineFacts } from '../model/types.js';
import { type RunCommand, readCaches, runQuietly } from './caches/read-caches.js';
import { SYSCTL_CACHE_NAMES } from './caches/sysctl-caches.js';
import { SYSCTL_MACHINE_NAMES, machineFactsFromSysctl } from './fallback/parse-sysctl-machine.js';

/**
 * The lecture's first question: how many cores, how much cache, how much memory. Read once at start
 * (systeminformation runs lscpu and friends, which takes a few hundred ms); never on a tick.
 */
export async function readMachineFacts(): Promise<MachineFacts> {
  if (process.platform === 'darwin') return readDarwinFacts(runQuietly);
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

/**
 * macOS: the model, cores and their kinds (performance, efficiency), memory, swap and caches from one
 * sysctl; systeminformation only for the OS's name and version (sw_vers), which sysctl lacks.
 */
async function readDarwinFacts(run: RunCommand): Promise<MachineFacts> {
  const text = run('sysctl', [...SYSCTL_MACHINE_NAMES, ...SYSCTL_CACHE_NAMES, 'vm.swapusage']) ?? '';
  const os = await si.osInfo();
  return machineFactsFromSysctl(text, {
    hostname: os.hostname || hostname(),
    os: [os.distro, os.release].filter(Boolean).join(' ') || type(),
    kernel: os.kernel || release(),
    arch: os.arch || arch(),
    logicalCores: cpus().length,
    memoryBytes: totalmem(),
  });
}
