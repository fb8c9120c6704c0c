import { formatBytes } from './format.js';
import type { CacheLevel, MachineFacts } from './types.js';

/** "L1d 48K/core · L2 2M/core · L3 260M shared by 8": the lecture's cartoon of the caches. */
export function cacheSummary(caches: readonly CacheLevel[]): string {
  return caches
    .map((cache) => {
      const size = formatBytes(cache.bytes);
      if (cache.sharedBy === null) return `${cache.name} ${size}`;
      return cache.sharedBy <= 1 ? `${cache.name} ${size}/core` : `${cache.name} ${size} shared by ${cache.sharedBy}`;
    })
    .join(' · ');
}

/** "L1d 48K L1i 32K L2 1.0M L3 32M": the sizes alone, for a narrow header. */
export function compactCacheSummary(caches: readonly CacheLevel[]): string {
  return caches.map((cache) => `${cache.name} ${formatBytes(cache.bytes)}`).join(' ');
}

/** "4 cores", or "4C/8T" with hyper-threads: the core count in a few characters. */
export function compactCoreSummary(facts: MachineFacts): string {
  return facts.physicalCores === facts.logicalCores ? `${facts.logicalCores} cores` : `${facts.physicalCores}C/${facts.logicalCores}T`;
}

/** "Debian GNU/Linux 12" -> "Debian 12": the distribution without its long family name. */
export function compactOsName(os: string): string {
  return os.replace(/\s*GNU\/Linux\s*/, ' ').replace(/\s+/g, ' ').trim();
}

export function coreSummary(facts: MachineFacts): string {
  const physical = `${facts.physicalCores} physical`;
  return facts.physicalCores === facts.logicalCores
    ? `${physical} cores`
    : `${physical} cores, ${facts.logicalCores} logical (hyper-threads)`;
}

export function machineSummaryLines(facts: MachineFacts): [string, string][] {
  return [
    ['Host', `${facts.hostname} (${facts.os}, kernel ${facts.kernel}, ${facts.arch})`],
    ['CPU', facts.cpuModel],
    ['Cores', coreSummary(facts)],
    ['Caches', cacheSummary(facts.caches) || 'not reported'],
    ['Memory', `${formatBytes(facts.memoryBytes)} RAM, ${formatBytes(facts.swapBytes)} swap`],
  ];
}
