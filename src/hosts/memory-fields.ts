import type { MemorySample } from '../model/types.js';
import type { MemoryField } from './metric-names.js';

/**
 * Memory from /proc/meminfo's fields in bytes, as paratop's own sampler counts it (cache includes
 * reclaimable slab; used is what is neither free, buffers nor cache). null without MemTotal.
 */
export function memoryFromFields(fields: Partial<Record<MemoryField, number>>): MemorySample | null {
  const total = fields.MemTotal;
  if (total === undefined) return null;
  const free = fields.MemFree ?? 0;
  const buffers = fields.Buffers ?? 0;
  const cached = (fields.Cached ?? 0) + (fields.SReclaimable ?? 0);
  const swapTotal = fields.SwapTotal ?? 0;
  return {
    totalBytes: total,
    usedBytes: Math.max(0, total - free - buffers - cached),
    // Kernels before 3.14 have no MemAvailable; free memory is the honest lower bound there.
    availableBytes: fields.MemAvailable ?? free,
    freeBytes: free,
    buffersBytes: buffers,
    cachedBytes: cached,
    swapTotalBytes: swapTotal,
    swapUsedBytes: Math.max(0, swapTotal - (fields.SwapFree ?? swapTotal)),
  };
}
