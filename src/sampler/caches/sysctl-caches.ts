import type { CacheLevel } from '../../model/types.js';

/** The sysctl names paratop asks macOS for; each answers in bytes. */
export const SYSCTL_CACHE_NAMES = [
  'hw.l1dcachesize',
  'hw.l1icachesize',
  'hw.l2cachesize',
  'hw.l3cachesize',
  'hw.cachelinesize',
  'hw.cacheconfig',
] as const;

const SYSCTL_LEVELS: readonly [key: string, name: string, configIndex: number][] = [
  ['hw.l1dcachesize', 'L1d', 1],
  ['hw.l1icachesize', 'L1i', 1],
  ['hw.l2cachesize', 'L2', 2],
  ['hw.l3cachesize', 'L3', 3],
];

/**
 * `sysctl hw.l1dcachesize ...` output ("name: value" lines; a name the machine lacks, such as the
 * L3 of Apple silicon, is simply missing). hw.cacheconfig lists how many CPUs share memory, L1, L2,
 * L3 in that order: the sharing counts, where it gives them.
 */
export function parseSysctlCaches(text: string): CacheLevel[] {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^(hw\.[a-z0-9.]+)\s*[:=]\s*(.+)$/.exec(line.trim());
    if (match?.[1] && match[2]) values.set(match[1], match[2].trim());
  }
  const lineBytes = Number(values.get('hw.cachelinesize') ?? 0);
  const sharing = (values.get('hw.cacheconfig') ?? '').split(/\s+/).map(Number);
  const levels: CacheLevel[] = [];
  for (const [key, name, configIndex] of SYSCTL_LEVELS) {
    const bytes = Number(values.get(key) ?? 0);
    const shared = sharing[configIndex] ?? 0;
    if (Number.isFinite(bytes) && bytes > 0) {
      levels.push({
        name,
        bytes,
        sharedBy: shared > 0 ? shared : null,
        lineBytes: lineBytes > 0 ? lineBytes : null,
        source: 'sysctl',
      });
    }
  }
  return levels;
}
