/** Parsers for what limits the cores a process may use: /proc/PID/status, /proc/self/cgroup, cgroup files. Pure. */
import { parseCpuList } from '../../model/cpu-list.js';
import type { CpuQuota } from '../../model/cpu-limits.js';

/** The cores in `Cpus_allowed_list` of a /proc/PID/status (or task/TID/status); null when it has none. */
export function allowedCpusOf(statusText: string): number[] | null {
  const match = /^Cpus_allowed_list:\s*(.*)$/m.exec(statusText);
  return match ? parseCpuList(match[1] ?? '') : null;
}

/** Where a process sits in each cgroup hierarchy (/proc/self/cgroup): the v2 path and the v1 cpu controller's. */
export interface CgroupPlaces {
  /** The unified (v2) hierarchy's path, from the "0::/path" line. */
  unified: string | null;
  /** The v1 hierarchy with the cpu controller: its controllers ("cpu,cpuacct") and the path in it. */
  v1Cpu: { controllers: string; path: string } | null;
}

export function parseProcCgroup(text: string): CgroupPlaces {
  let unified: string | null = null;
  let v1Cpu: CgroupPlaces['v1Cpu'] = null;
  for (const line of text.split('\n')) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, id = '', controllers = '', path = ''] = match;
    if (id === '0' && controllers === '') unified = path;
    else if (controllers.split(',').includes('cpu')) v1Cpu = { controllers, path };
  }
  return { unified, v1Cpu };
}

/** cgroup v2 `cpu.max`: "max 100000" (no limit) or "200000 100000" (2 cores' worth). */
export function parseCpuMax(text: string, source: string): CpuQuota | null {
  const [quota = '', period = '100000'] = text.trim().split(/\s+/);
  if (quota === 'max' || quota === '') return null;
  return quotaOf(Number(quota), Number(period), source);
}

/** cgroup v1 `cpu.cfs_quota_us` (-1: no limit) and `cpu.cfs_period_us`. */
export function parseCfsQuota(quotaText: string, periodText: string, source: string): CpuQuota | null {
  return quotaOf(Number(quotaText.trim()), Number(periodText.trim()), source);
}

function quotaOf(quotaMicros: number, periodMicros: number, source: string): CpuQuota | null {
  if (!Number.isFinite(quotaMicros) || quotaMicros <= 0) return null;
  if (!Number.isFinite(periodMicros) || periodMicros <= 0) return null;
  return { quotaMicros, periodMicros, source };
}
