import { cpus } from 'node:os';
import { type CpuLimits, cpuLimits } from '../model/cpu-limits.js';
import { readLinuxCpuLimits } from './linux/cgroup-cpu-limits.js';

let cached: CpuLimits | null = null;

/**
 * How many cores paratop may use here (its CPU set and its cgroup's quota), for the lab's worker
 * counts and `info`. Read once: neither changes under a running paratop often enough to matter.
 * Elsewhere than Linux, every core the OS reports.
 */
export function readCpuLimits(): CpuLimits {
  if (cached) return cached;
  const online = Math.max(1, cpus().length);
  cached = process.platform === 'linux' ? readLinuxCpuLimits(online) : cpuLimits(online, null, null);
  return cached;
}

/** The core count paratop's defaults use: see readCpuLimits. */
export function effectiveCoreCount(): number {
  return readCpuLimits().effective;
}
