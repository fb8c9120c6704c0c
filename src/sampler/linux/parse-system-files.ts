/** Parsers for the machine-wide files under /proc. Pure: text in, numbers out. */
import type { CpuTimes } from '../../model/types.js';

export interface ProcStat {
  /** The first line: all cores together. */
  total: CpuTimes;
  /** Per core, indexed by core number (an offline core leaves a hole). */
  cores: (CpuTimes | undefined)[];
  /** Boot time, seconds since the epoch. */
  bootTime: number;
}

function toCpuTimes(fields: string[]): CpuTimes {
  const at = (index: number): number => Number(fields[index] ?? 0) || 0;
  // guest and guest_nice are already counted inside user and nice, so they are left out.
  return {
    user: at(0),
    nice: at(1),
    system: at(2),
    idle: at(3),
    iowait: at(4),
    irq: at(5),
    softirq: at(6),
    steal: at(7),
  };
}

export function parseProcStat(text: string): ProcStat {
  let total: CpuTimes | undefined;
  const cores: (CpuTimes | undefined)[] = [];
  let bootTime = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('cpu')) {
      const fields = line.split(/\s+/);
      const label = fields.shift() ?? '';
      if (label === 'cpu') total = toCpuTimes(fields);
      else {
        const index = Number(label.slice(3));
        if (Number.isInteger(index)) cores[index] = toCpuTimes(fields);
      }
    } else if (line.startsWith('btime ')) {
      bootTime = Number(line.slice(6)) || 0;
    }
  }
  if (!total) throw new Error('/proc/stat has no "cpu" line');
  return { total, cores, bootTime };
}

export interface MemInfo {
  totalBytes: number;
  freeBytes: number;
  availableBytes: number;
  buffersBytes: number;
  cachedBytes: number;
  /** Cached alone, and SReclaimable: cachedBytes is their sum. */
  pageCacheBytes: number;
  reclaimableSlabBytes: number;
  swapTotalBytes: number;
  swapFreeBytes: number;
}

/** One field of /proc/meminfo in kB, found by key at a line's start (Cached: is not SwapCached:). */
function meminfoKb(text: string, key: string): number | null {
  const label = `${key}:`;
  let at = text.indexOf(label);
  while (at > 0 && text.charCodeAt(at - 1) !== 10) at = text.indexOf(label, at + 1);
  if (at < 0) return null;
  const end = text.indexOf('\n', at);
  return Number.parseInt(text.slice(at + label.length, end < 0 ? undefined : end), 10) || 0;
}

/** The few fields paratop shows, found by key rather than by splitting all ~55 lines (every tick). */
export function parseMeminfo(text: string): MemInfo {
  const bytes = (key: string): number => (meminfoKb(text, key) ?? 0) * 1024;
  const freeBytes = bytes('MemFree');
  const availableKb = meminfoKb(text, 'MemAvailable');
  const pageCacheBytes = bytes('Cached');
  const reclaimableSlabBytes = bytes('SReclaimable');
  return {
    totalBytes: bytes('MemTotal'),
    freeBytes,
    // Kernels before 3.14 have no MemAvailable; free memory is the honest lower bound there.
    availableBytes: availableKb === null ? freeBytes : availableKb * 1024,
    buffersBytes: bytes('Buffers'),
    // As free(1) does: page cache plus reclaimable slab.
    cachedBytes: pageCacheBytes + reclaimableSlabBytes,
    pageCacheBytes,
    reclaimableSlabBytes,
    swapTotalBytes: bytes('SwapTotal'),
    swapFreeBytes: bytes('SwapFree'),
  };
}

export function parseLoadavg(text: string): [number, number, number] {
  const [one, five, fifteen] = text.split(' ').map(Number);
  return [one ?? 0, five ?? 0, fifteen ?? 0];
}

/** Seconds since boot, the first number of /proc/uptime. */
export function parseUptime(text: string): number {
  return Number.parseFloat(text) || 0;
}
