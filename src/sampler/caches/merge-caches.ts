import type { CacheLevel } from '../../model/types.js';

/** Cache names in the order the lecture draws them, closest to the core first. */
const ORDER = ['L1d', 'L1i', 'L1', 'L2', 'L3', 'L4', 'LLC'];

function rank(name: string): number {
  const at = ORDER.indexOf(name);
  return at === -1 ? ORDER.length : at;
}

/**
 * Every source's caches, best source first: each level comes from the first source that has it, so a
 * VM whose sysfs lacks the L3 still gets CPUID's. /proc/cpuinfo's unnamed last level is used only
 * when no source named an L2 or beyond: it is one of those, and would repeat it. Pure.
 */
export function mergeCaches(sources: readonly (readonly CacheLevel[])[]): CacheLevel[] {
  const merged = new Map<string, CacheLevel>();
  for (const source of sources) {
    for (const cache of source) {
      if (merged.has(cache.name)) continue;
      merged.set(cache.name, cache);
    }
  }
  const named = [...merged.values()];
  const hasOuterLevel = named.some((cache) => cache.name !== 'LLC' && rank(cache.name) >= rank('L2'));
  return named.filter((cache) => cache.name !== 'LLC' || !hasOuterLevel).sort((a, b) => rank(a.name) - rank(b.name));
}
