import type { MemorySample } from '../../model/types.js';

/** `vm_stat` (macOS): "Mach Virtual Memory Statistics: (page size of 16384 bytes)", then "Pages free: 4518." lines. */
export function parseVmStat(text: string): { pageSize: number; pages: Map<string, number> } {
  const pageSize = Number(/page size of (\d+) bytes/.exec(text)?.[1] ?? 0);
  const pages = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^"?([^":]+)"?:\s+(\d+)\.?\s*$/.exec(line.trim());
    if (match?.[1] && match[2]) pages.set(match[1], Number(match[2]));
  }
  return { pageSize, pages };
}

/** `sysctl vm.swapusage`: "vm.swapusage: total = 2048.00M  used = 1470.06M  free = 577.94M  (encrypted)". */
export function parseSwapUsage(text: string): { totalBytes: number; usedBytes: number } | null {
  const scale: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };
  const value = (name: string): number | null => {
    const match = new RegExp(`${name}\\s*=\\s*([\\d.]+)([KMGT])`).exec(text);
    return match ? Number(match[1]) * (scale[match[2] ?? ''] ?? 1) : null;
  };
  const totalBytes = value('total');
  const usedBytes = value('used');
  return totalBytes === null || usedBytes === null ? null : { totalBytes, usedBytes };
}

/**
 * Memory as Activity Monitor counts it: used is app memory (anonymous pages less purgeable ones) plus
 * wired plus what the compressor occupies; cached files are file-backed and purgeable pages. Where
 * vm_stat lacks the anonymous count (older macOS), active pages stand in for app memory. Pure.
 */
export function vmStatMemory(
  text: string,
  totalBytes: number,
  swap: { totalBytes: number; usedBytes: number } | null,
): MemorySample | null {
  const { pageSize, pages } = parseVmStat(text);
  const page = (name: string): number => (pages.get(name) ?? 0) * pageSize;
  if (pageSize <= 0 || !pages.has('Pages free') || !pages.has('Pages wired down')) return null;
  const app = pages.has('Anonymous pages')
    ? Math.max(0, page('Anonymous pages') - page('Pages purgeable'))
    : page('Pages active');
  const used = Math.min(totalBytes, app + page('Pages wired down') + page('Pages occupied by compressor'));
  return {
    totalBytes,
    usedBytes: used,
    availableBytes: Math.max(0, totalBytes - used),
    freeBytes: page('Pages free') + page('Pages speculative'),
    buffersBytes: 0,
    cachedBytes: page('File-backed pages') + page('Pages purgeable'),
    swapTotalBytes: swap?.totalBytes ?? 0,
    swapUsedBytes: swap?.usedBytes ?? 0,
  };
}
