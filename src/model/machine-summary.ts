import { formatBytes } from './format.js';
import { formatCpuList } from './cpu-list.js';
import { type CpuLimits, quotaCores } from './cpu-limits.js';
import type { CacheLevel, MachineFacts } from './types.js';

/** What the header says where no source reported a cache (and none was measured yet). */
export const NO_CACHES = 'caches not reported';

/** "48K", or "~48K" for a size paratop estimated from its own latency measurements. */
function cacheSize(cache: CacheLevel): string {
  return `${cache.source === 'measured' ? '~' : ''}${formatBytes(cache.bytes)}`;
}

/** "L1d 48K/core · L2 2M/core · L3 260M shared by 8": the lecture's cartoon of the caches. */
export function cacheSummary(caches: readonly CacheLevel[]): string {
  if (caches.length === 0) return NO_CACHES;
  return caches
    .map((cache) => {
      const size = cacheSize(cache);
      if (cache.sharedBy === null) return `${cache.name} ${size}`;
      return cache.sharedBy <= 1 ? `${cache.name} ${size}/core` : `${cache.name} ${size} shared by ${cache.sharedBy}`;
    })
    .join(' · ');
}

/** "L1d 48K L1i 32K L2 1.0M L3 32M": the sizes alone, for a narrow header. */
export function compactCacheSummary(caches: readonly CacheLevel[]): string {
  if (caches.length === 0) return NO_CACHES;
  return caches.map((cache) => `${cache.name} ${cacheSize(cache)}`).join(' ');
}

const SOURCE_WORDS: Record<CacheLevel['source'], string> = {
  sysfs: 'sysfs',
  cpuid: 'CPUID via getconf',
  cpuinfo: '/proc/cpuinfo',
  sysctl: 'sysctl',
  measured: "paratop's own measurement (memory-hierarchy)",
};

/** "from sysfs", or each level's source where they differ: say where every figure came from. */
export function cacheSourceSummary(caches: readonly CacheLevel[]): string {
  const sources = [...new Set(caches.map((cache) => cache.source))];
  if (sources.length === 0) return '';
  if (sources.length === 1) return `from ${SOURCE_WORDS[sources[0] ?? 'sysfs']}`;
  return caches.map((cache) => `${cache.name} from ${SOURCE_WORDS[cache.source]}`).join(', ');
}

/** "64-byte lines, from sysfs": what the caches' sizes leave unsaid. */
function cacheNotes(caches: readonly CacheLevel[]): string {
  return [lineSummary(caches), cacheSourceSummary(caches)].filter(Boolean).join(', ');
}

/** A cache line size, when every source that gave one agrees: "64-byte lines". */
function lineSummary(caches: readonly CacheLevel[]): string {
  const sizes = [...new Set(caches.map((cache) => cache.lineBytes).filter((bytes) => bytes !== null))];
  return sizes.length === 1 ? `${sizes[0]}-byte lines` : '';
}

/** "10P+4E": Apple silicon's kinds of core by their initials; empty where there is one kind. */
function coreKindsShort(facts: MachineFacts): string {
  const kinds = facts.coreKinds ?? [];
  return kinds.length > 1 ? kinds.map((kind) => `${kind.physicalCores}${kind.name.charAt(0)}`).join('+') : '';
}

/** "Debian GNU/Linux 12" -> "Debian 12": the distribution without its long family name. */
export function compactOsName(os: string): string {
  return os
    .replace(/\s*GNU\/Linux\s*/, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether paratop may use fewer cores than the machine has (a CPU set, a cgroup quota). */
function limited(facts: MachineFacts): CpuLimits | null {
  const limits = facts.limits;
  return limits && limits.effective < facts.logicalCores ? limits : null;
}

export function coreSummary(facts: MachineFacts): string {
  const physical = `${facts.physicalCores} physical`;
  const kinds = (facts.coreKinds ?? []).map((kind) => `${kind.physicalCores} ${kind.name.toLowerCase()}`);
  const base =
    facts.physicalCores === facts.logicalCores
      ? `${physical} cores`
      : `${physical} cores, ${facts.logicalCores} logical (hyper-threads)`;
  const cores = kinds.length > 1 ? `${base}: ${kinds.join(', ')}` : base;
  const limits = limited(facts);
  return limits ? `${cores}, paratop may use ${limits.effective}` : cores;
}

/**
 * "4 cores", "4C/8T" with hyper-threads, "14 cores (10P+4E)" with kinds of core, and "(1 usable)"
 * where a CPU set or quota allows fewer.
 */
export function compactCoreSummary(facts: MachineFacts): string {
  const count =
    facts.physicalCores === facts.logicalCores
      ? `${facts.logicalCores} cores`
      : `${facts.physicalCores}C/${facts.logicalCores}T`;
  const kinds = coreKindsShort(facts);
  const cores = kinds ? `${count} (${kinds})` : count;
  const limits = limited(facts);
  return limits ? `${cores} (${limits.effective} usable)` : cores;
}

/** "0-3 (4 of 8 cores)": the CPU set paratop may run on. */
export function cpuSetSummary(limits: CpuLimits): string {
  if (!limits.allowed || limits.allowed.length === 0) return `not reported (all ${limits.online} cores assumed)`;
  return `${formatCpuList(limits.allowed)} (${limits.allowed.length} of ${limits.online} cores)`;
}

/** "150000 us per 100000 us = 1.5 cores (/sys/fs/cgroup/cpu.max)", or "none". */
export function quotaSummary(limits: CpuLimits): string {
  const quota = limits.quota;
  if (!quota) return 'none (no cgroup CPU quota)';
  const cores = quota.quotaMicros / quota.periodMicros;
  return (
    `${quota.quotaMicros} us per ${quota.periodMicros} us = ${Number(cores.toFixed(2))} cores, ` +
    `counted as ${quotaCores(quota)} (${quota.source})`
  );
}

/** The lines `info` adds about the cores paratop may use, and what its defaults then assume. */
export function cpuLimitLines(limits: CpuLimits): [string, string][] {
  return [
    ['CPU set', cpuSetSummary(limits)],
    ['Quota', quotaSummary(limits)],
    [
      'Usable',
      `${limits.effective} core${limits.effective === 1 ? '' : 's'}: the fewer of the CPU set and the quota ` +
        "(the lab's default worker counts use this)",
    ],
  ];
}

export function machineSummaryLines(facts: MachineFacts): [string, string][] {
  return [
    ['Host', `${facts.hostname} (${facts.os}, kernel ${facts.kernel}, ${facts.arch})`],
    ['CPU', facts.cpuModel],
    ['Cores', coreSummary(facts)],
    [
      'Caches',
      facts.caches.length === 0
        ? 'not reported by this OS (sysfs, getconf, /proc/cpuinfo); paratop info --measure estimates them'
        : `${cacheSummary(facts.caches)} (${cacheNotes(facts.caches)})`,
    ],
    ['Memory', `${formatBytes(facts.memoryBytes)} RAM, ${formatBytes(facts.swapBytes)} swap`],
    ...(facts.limits ? cpuLimitLines(facts.limits) : []),
  ];
}
