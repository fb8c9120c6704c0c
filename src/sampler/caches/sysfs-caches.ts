import { readFileSync, readdirSync } from 'node:fs';
import type { CacheLevel } from '../../model/types.js';

/** "48K" / "2048K" / "1M" as sysfs writes cache sizes. */
export function parseCacheSize(text: string): number {
  const match = /^(\d+)\s*([KMG]?)/i.exec(text.trim());
  if (!match) return 0;
  const scale = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[match[2]?.toUpperCase() ?? ''] ?? 1;
  return Number(match[1]) * scale;
}

/** "0-1,4" -> 3: how many CPUs a shared_cpu_list names. */
export function countCpuList(text: string): number {
  let count = 0;
  for (const part of text.trim().split(',')) {
    if (!part) continue;
    const [from, to] = part.split('-').map(Number);
    count += to === undefined ? 1 : (to ?? 0) - (from ?? 0) + 1;
  }
  return count;
}

/**
 * Per-instance cache sizes and how many cores share each, from core 0's view in sysfs. This is what
 * the lecture draws: L1 and L2 per core, L3 shared. (lscpu reports totals.) Empty where the kernel
 * has no cache folder, as on Firecracker-style VMs.
 */
export function readSysfsCaches(cpuDir = '/sys/devices/system/cpu/cpu0/cache'): CacheLevel[] {
  let entries: string[];
  try {
    entries = readdirSync(cpuDir).filter((name) => name.startsWith('index'));
  } catch {
    return [];
  }
  const levels: CacheLevel[] = [];
  for (const entry of entries.sort()) {
    try {
      const read = (file: string): string => readFileSync(`${cpuDir}/${entry}/${file}`, 'utf8').trim();
      const optional = (file: string): string | null => {
        try {
          return read(file);
        } catch {
          return null;
        }
      };
      const type = read('type');
      const suffix = type === 'Data' ? 'd' : type === 'Instruction' ? 'i' : '';
      const bytes = parseCacheSize(read('size'));
      const shared = optional('shared_cpu_list');
      const line = Number(optional('coherency_line_size') ?? 0);
      if (bytes > 0) {
        levels.push({
          name: `L${read('level')}${suffix}`,
          bytes,
          sharedBy: shared === null ? null : countCpuList(shared),
          lineBytes: line > 0 ? line : null,
          source: 'sysfs',
        });
      }
    } catch {
      // a cache index without the usual files: leave it out
    }
  }
  return levels;
}
