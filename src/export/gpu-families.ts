import type { GpuSample } from '../model/types.js';
import { type Labels, type MetricFamily, type MetricSample, family } from './metric-family.js';

/**
 * The GPUs under NVIDIA dcgm-exporter's names, help texts and labels (its etc/default-counters.csv;
 * the `hostname` label lower-case since dcgm-exporter#655), so its Grafana dashboards read paratop too.
 * Pure; no family at all on a machine without a GPU.
 */

const MIB = 1024 * 1024;

interface DcgmField {
  name: string;
  help: string;
  value: (gpu: GpuSample) => number | null;
}

const FIELDS: readonly DcgmField[] = [
  { name: 'DCGM_FI_DEV_GPU_UTIL', help: 'GPU utilization (in %).', value: (gpu) => gpu.utilPercent },
  {
    name: 'DCGM_FI_DEV_FB_USED',
    help: 'Framebuffer memory used (in MiB).',
    value: (gpu) => (gpu.memoryUsedBytes === null ? null : Math.round(gpu.memoryUsedBytes / MIB)),
  },
  {
    name: 'DCGM_FI_DEV_FB_FREE',
    help: 'Framebuffer memory free (in MiB).',
    value: (gpu) =>
      gpu.memoryUsedBytes === null || gpu.memoryTotalBytes === null
        ? null
        : Math.round((gpu.memoryTotalBytes - gpu.memoryUsedBytes) / MIB),
  },
  { name: 'DCGM_FI_DEV_GPU_TEMP', help: 'GPU temperature (in C).', value: (gpu) => gpu.temperatureC },
  { name: 'DCGM_FI_DEV_POWER_USAGE', help: 'Power draw (in W).', value: (gpu) => gpu.powerWatts },
  { name: 'DCGM_FI_DEV_SM_CLOCK', help: 'SM clock frequency (in MHz).', value: (gpu) => gpu.smClockMHz },
  { name: 'DCGM_FI_DEV_MEM_CLOCK', help: 'Memory clock frequency (in MHz).', value: (gpu) => gpu.memoryClockMHz },
];

/** dcgm-exporter's identifying labels: `device` is the driver's device name (nvidia0; DRM's card0). */
export function gpuLabels(gpu: GpuSample, hostname: string): Labels {
  return {
    gpu: String(gpu.index),
    UUID: gpu.id,
    pci_bus_id: gpu.pciBusId ?? '',
    device: gpu.source === 'nvidia-smi' ? `nvidia${gpu.index}` : `card${gpu.index}`,
    modelName: gpu.name,
    hostname,
  };
}

export function gpuFamilies(gpus: readonly GpuSample[], hostname: string): MetricFamily[] {
  if (gpus.length === 0) return [];
  return FIELDS.flatMap((field) => {
    const samples: MetricSample[] = gpus.flatMap((gpu) => {
      const value = gpu.lost ? null : field.value(gpu);
      return value === null ? [] : [{ labels: gpuLabels(gpu, hostname), value }];
    });
    return samples.length > 0 ? [family(field.name, field.help, 'gauge', samples)] : [];
  });
}
