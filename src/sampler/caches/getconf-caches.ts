import type { CacheLevel } from '../../model/types.js';

/** getconf's names for each cache, and ours. LEVEL1_DCACHE is the data half of L1, and so on. */
const GETCONF_LEVELS: readonly [prefix: string, name: string][] = [
  ['LEVEL1_DCACHE', 'L1d'],
  ['LEVEL1_ICACHE', 'L1i'],
  ['LEVEL2_CACHE', 'L2'],
  ['LEVEL3_CACHE', 'L3'],
  ['LEVEL4_CACHE', 'L4'],
];

/**
 * The caches in `getconf -a` output: glibc answers these from the CPU's CPUID instruction, so they
 * are there on VMs whose kernel shows no sysfs cache folder. A size left empty or 0 means none.
 * CPUID's sharing count is not among getconf's names, so sharedBy stays unknown.
 */
export function parseGetconfCaches(text: string): CacheLevel[] {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(LEVEL\d_[A-Z]+_[A-Z]+)\s+(\d+)\s*$/.exec(line.trim());
    if (match?.[1] && match[2]) values.set(match[1], Number(match[2]));
  }
  const levels: CacheLevel[] = [];
  for (const [prefix, name] of GETCONF_LEVELS) {
    const bytes = values.get(`${prefix}_SIZE`) ?? 0;
    const line = values.get(`${prefix}_LINESIZE`) ?? 0;
    if (bytes > 0) levels.push({ name, bytes, sharedBy: null, lineBytes: line > 0 ? line : null, source: 'cpuid' });
  }
  return levels;
}
