import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CpuLimits, type CpuQuota, cpuLimits } from '../../model/cpu-limits.js';
import { allowedCpusOf, parseCfsQuota, parseCpuMax, parseProcCgroup } from './parse-cpu-limits.js';

export interface LimitRoots {
  proc: string;
  cgroup: string;
}

const LIVE_ROOTS: LimitRoots = { proc: '/proc', cgroup: '/sys/fs/cgroup' };

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The directories to look in, the process's own cgroup first, then the hierarchy's root: inside a
 * container's cgroup namespace the path in /proc/self/cgroup may not exist as written.
 */
function candidates(mount: string, path: string): string[] {
  const own = join(mount, path);
  return own === mount ? [mount] : [own, mount];
}

function unifiedQuota(roots: LimitRoots, path: string): CpuQuota | null | undefined {
  for (const dir of candidates(roots.cgroup, path)) {
    const file = join(dir, 'cpu.max');
    const text = readText(file);
    if (text !== null) return parseCpuMax(text, file);
  }
  return undefined;
}

function v1Quota(roots: LimitRoots, controllers: string, path: string): CpuQuota | null | undefined {
  // The v1 cpu controller is mounted as "cpu,cpuacct" (with links "cpu" and "cpuacct") or alone.
  for (const mount of [controllers, 'cpu', 'cpu,cpuacct']) {
    for (const dir of candidates(join(roots.cgroup, mount), path)) {
      const quota = readText(join(dir, 'cpu.cfs_quota_us'));
      const period = readText(join(dir, 'cpu.cfs_period_us'));
      if (quota !== null && period !== null) return parseCfsQuota(quota, period, join(dir, 'cpu.cfs_quota_us'));
    }
  }
  return undefined;
}

/** The cgroup CPU quota of this process: v2 cpu.max, else v1 cpu.cfs_quota_us; null when unlimited or unreadable. */
export function readCgroupQuota(roots: LimitRoots = LIVE_ROOTS): CpuQuota | null {
  const text = readText(join(roots.proc, 'self', 'cgroup'));
  if (text === null) return null;
  const places = parseProcCgroup(text);
  const unified = places.unified === null ? undefined : unifiedQuota(roots, places.unified);
  if (unified !== undefined) return unified;
  return places.v1Cpu ? (v1Quota(roots, places.v1Cpu.controllers, places.v1Cpu.path) ?? null) : null;
}

/** The CPU set this process may run on (Cpus_allowed_list) and its cgroup's quota, read from /proc and cgroupfs. */
export function readLinuxCpuLimits(online: number, roots: LimitRoots = LIVE_ROOTS): CpuLimits {
  const status = readText(join(roots.proc, 'self', 'status'));
  const allowed = status === null ? null : allowedCpusOf(status);
  return cpuLimits(online, allowed, readCgroupQuota(roots));
}
