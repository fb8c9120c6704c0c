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
