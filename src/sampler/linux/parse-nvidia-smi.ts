import type { GpuSample } from '../../model/types.js';

/**
 * nvidia-smi's selective queries, as `--format=csv,noheader,nounits` prints them: one line per GPU
 * (or per compute process) per loop, fields separated by ", ", a field it cannot give as `[N/A]`,
 * `[Not Supported]`, `[Unknown Error]` and the like. Pure.
 */

/** The GPU fields asked for, in this order; `timestamp` first so loops can be told apart. */
export const GPU_QUERY_FIELDS = [
  'timestamp',
  'index',
  'uuid',
  'name',
  'pci.bus_id',
  'utilization.gpu',
  'memory.used',
  'memory.total',
  'temperature.gpu',
  'power.draw',
  'clocks.sm',
  'clocks.mem',
] as const;

/** The compute-process fields: every line of one loop has the same timestamp. */
export const APPS_QUERY_FIELDS = ['timestamp', 'gpu_uuid', 'pid', 'used_memory'] as const;

const MIB = 1024 * 1024;

/** The arguments of one looping query: `what` is query-gpu or query-compute-apps. */
export function nvidiaSmiArgs(what: 'gpu' | 'apps', loopMs: number | null): string[] {
  const fields = what === 'gpu' ? GPU_QUERY_FIELDS : APPS_QUERY_FIELDS;
  const query = what === 'gpu' ? '--query-gpu' : '--query-compute-apps';
  const loop = loopMs === null ? [] : ['-lms', String(Math.max(100, Math.round(loopMs)))];
  return [`${query}=${fields.join(',')}`, '--format=csv,noheader,nounits', ...loop];
}

/** A number, or null for the bracketed words nvidia-smi prints instead ([N/A], [Not Supported], ...). */
export function smiNumber(field: string | undefined): number | null {
  if (field === undefined) return null;
  const text = field.trim();
  if (text === '' || text.startsWith('[') || text === 'N/A') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** Split on ", " as nvidia-smi joins its fields; a GPU name has no ", " in practice, but a name is kept whole. */
function splitFields(line: string, count: number): string[] | null {
  const parts = line.split(', ');
  if (parts.length < count) return null;
  if (parts.length === count) return parts.map((part) => part.trim());
  // Extra separators can only come from the name (the 4th field): join them back into it.
  const extra = parts.length - count;
  return [...parts.slice(0, 3), parts.slice(3, 4 + extra).join(', '), ...parts.slice(4 + extra)].map((part) =>
    part.trim(),
  );
}

export interface SmiGpuLine {
  timestamp: string;
  gpu: GpuSample;
}

/** One line of the GPU query; null for a line that is not one (an error text, a header, a blank). */
export function parseGpuLine(line: string): SmiGpuLine | null {
  const fields = splitFields(line.trim(), GPU_QUERY_FIELDS.length);
  if (!fields) return null;
  const [timestamp, index, uuid, name, busId, util, used, total, temp, power, sm, mem] = fields;
  const gpuIndex = smiNumber(index);
  if (gpuIndex === null || !timestamp || !uuid) return null;
  const mib = (field: string | undefined): number | null => {
    const value = smiNumber(field);
    return value === null ? null : value * MIB;
  };
  return {
    timestamp,
    gpu: {
      index: gpuIndex,
      id: uuid,
      name: name ?? '',
      vendor: 'nvidia',
      source: 'nvidia-smi',
      pciBusId: busId && !busId.startsWith('[') ? busId : null,
      utilPercent: smiNumber(util),
      memoryUsedBytes: mib(used),
      memoryTotalBytes: mib(total),
      temperatureC: smiNumber(temp),
      powerWatts: smiNumber(power),
      smClockMHz: smiNumber(sm),
      memoryClockMHz: smiNumber(mem),
      lost: false,
    },
  };
}

export interface SmiAppLine {
  timestamp: string;
  gpuId: string;
  pid: number;
  /** null where nvidia-smi cannot tell (Windows WDDM, some vGPUs print [N/A]) */
  memoryBytes: number | null;
}

export function parseAppLine(line: string): SmiAppLine | null {
  const parts = line.trim().split(', ');
  if (parts.length !== APPS_QUERY_FIELDS.length) return null;
  const [timestamp, gpuId, pidText, used] = parts.map((part) => part.trim());
  const pid = smiNumber(pidText);
  if (!timestamp || !gpuId || pid === null || !Number.isInteger(pid) || pid <= 0) return null;
  const mib = smiNumber(used);
  return { timestamp, gpuId, pid, memoryBytes: mib === null ? null : mib * MIB };
}

/**
 * "Unable to determine the device handle for GPU0000:02:00.0: GPU is lost.  Reboot the system to
 * recover this GPU" (with or without a space before the address): the PCI address of a GPU that has
 * fallen off the bus, or null for any other line.
 */
const PCI_ADDRESS = '[0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\\.[0-9A-Fa-f]';
const LOST_GPU = new RegExp(`Unable to determine the device handle for GPU ?(${PCI_ADDRESS}):\\s*GPU is lost`);

export function parseLostGpu(line: string): string | null {
  return LOST_GPU.exec(line)?.[1] ?? null;
}

/** PCI addresses as nvidia-smi (8-digit domain) and the kernel (4-digit) write them, compared alike. */
export function samePciAddress(a: string, b: string): boolean {
  const normal = (address: string): string => {
    const [domain = '', ...rest] = address.toLowerCase().split(':');
    return [String(Number.parseInt(domain, 16)), ...rest].join(':');
  };
  return normal(a) === normal(b);
}
