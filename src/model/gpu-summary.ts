import { formatBytes } from './format.js';
import type { GpuSample } from './types.js';
import { toPrintable } from './untrusted-text.js';

/**
 * `paratop info`'s GPU lines: one per GPU (name, memory, source), or one saying why there is none,
 * or that the source found did not answer. Pure.
 */
export function gpuInfoLines(gpus: readonly GpuSample[], note: string, sourceFound: boolean): [string, string][] {
  if (gpus.length === 0)
    return [['GPU', sourceFound ? `none read: ${note} gave no figures (driver not answering?)` : note]];
  return gpus.map((gpu) => {
    const memory = gpu.memoryTotalBytes === null ? '' : ` · ${formatBytes(gpu.memoryTotalBytes)}`;
    const lost = gpu.lost ? ' · LOST (fell off the bus)' : '';
    const source = gpu.source === 'nvidia-smi' ? 'nvidia-smi' : 'DRM sysfs/fdinfo';
    return [`GPU ${gpu.index}`, `${toPrintable(gpu.name)}${memory}${lost} · ${source}`];
  });
}

/** One GPU for `snapshot`'s text: "gpu0    97.0% busy · 40G of 80G · 61°C · 512W · NVIDIA H100 80GB HBM3". */
export function gpuSnapshotLine(gpu: GpuSample): string {
  const figures = [
    gpu.utilPercent === null ? '-% busy' : `${gpu.utilPercent.toFixed(1)}% busy`,
    gpu.memoryUsedBytes === null || gpu.memoryTotalBytes === null
      ? null
      : `${formatBytes(gpu.memoryUsedBytes)} of ${formatBytes(gpu.memoryTotalBytes)}`,
    gpu.temperatureC === null ? null : `${Math.round(gpu.temperatureC)}°C`,
    gpu.powerWatts === null ? null : `${Math.round(gpu.powerWatts)}W`,
    toPrintable(gpu.name) + (gpu.lost ? ' (LOST: fell off the bus)' : ''),
  ];
  return `${`gpu${gpu.index}`.padEnd(8)}${figures.filter((figure) => figure !== null).join(' · ')}`;
}
