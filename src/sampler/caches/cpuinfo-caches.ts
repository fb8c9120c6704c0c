import type { CacheLevel } from '../../model/types.js';

/**
 * /proc/cpuinfo's one "cache size" line (x86 kernels fill it with the last-level cache, the L3, or the
 * L2 where there is none), and "cache_alignment" for the line size. It names no level, so the entry
 * is called LLC. Empty where the lines are missing (most ARM kernels).
 */
export function parseCpuinfoCaches(text: string): CacheLevel[] {
  const size = /^cache size\s*:\s*(\d+)\s*([KMG]?)B?\s*$/im.exec(text);
  if (!size?.[1]) return [];
  const scale = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[size[2]?.toUpperCase() ?? ''] ?? 1;
  const bytes = Number(size[1]) * scale;
  const line = Number(/^cache_alignment\s*:\s*(\d+)/im.exec(text)?.[1] ?? 0);
  return bytes > 0
    ? [{ name: 'LLC', bytes, sharedBy: null, lineBytes: line > 0 ? line : null, source: 'cpuinfo' }]
    : [];
}
