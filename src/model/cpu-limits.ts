/** How many cores paratop may use here: the CPU set it may run on and the cgroup's CPU quota, whichever is less. */

/** A cgroup CPU quota: so many microseconds of CPU time in every period. */
export interface CpuQuota {
  quotaMicros: number;
  periodMicros: number;
  /** Which file said so, e.g. /sys/fs/cgroup/cpu.max. */
  source: string;
}

export interface CpuLimits {
  /** Cores the OS reports (online). */
  online: number;
  /** Cores this process may run on (Cpus_allowed_list); null where the OS does not say. */
  allowed: number[] | null;
  /** The cgroup's CPU quota; null where there is none (or no cgroup to read). */
  quota: CpuQuota | null;
  /** What paratop's defaults use: min(allowed cores, ceil(quota / period)), at least 1. */
  effective: number;
}

/** Cores worth of CPU time a quota grants, rounded up: 150000 per 100000 is 2. */
export function quotaCores(quota: CpuQuota): number {
  return Math.max(1, Math.ceil(quota.quotaMicros / quota.periodMicros));
}

export function effectiveCores(online: number, allowed: readonly number[] | null, quota: CpuQuota | null): number {
  const usable = allowed && allowed.length > 0 ? allowed.length : online;
  return Math.max(1, Math.min(usable, quota ? quotaCores(quota) : usable));
}

export function cpuLimits(online: number, allowed: number[] | null, quota: CpuQuota | null): CpuLimits {
  return { online, allowed, quota, effective: effectiveCores(online, allowed, quota) };
}
