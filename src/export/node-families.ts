import type { CpuTimes, SystemSample } from '../model/types.js';
import { type MetricFamily, type MetricSample, family, gauge } from './metric-family.js';

/**
 * The machine's figures under node_exporter's own names, labels and help (checked against 1.5), so
 * dashboards built for node_exporter show paratop's. Families are in node_exporter's order (by name).
 */

const MODES: readonly (keyof CpuTimes)[] = ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user'];

function cpuSeconds(system: SystemSample): MetricFamily[] {
  const kernel = system.kernel;
  // The fallback knows shares of an interval, not the kernel's counters: it exports no made-up totals.
  if (!kernel) return [];
  const samples: MetricSample[] = [];
  kernel.coreTimes.forEach((times, core) => {
    if (!times) return;
    for (const mode of MODES) {
      samples.push({ labels: { cpu: String(core), mode }, value: times[mode] / kernel.ticksPerSecond });
    }
  });
  return [family('node_cpu_seconds', 'Seconds the CPUs spent in each mode.', 'counter', samples)];
}

const memory = (field: string, value: number): MetricFamily =>
  gauge(`node_memory_${field}_bytes`, `Memory information field ${field}_bytes.`, value);

function memoryFamilies(system: SystemSample): MetricFamily[] {
  const { memory: sample, kernel } = system;
  const families = [
    memory('Buffers', sample.buffersBytes),
    ...(kernel ? [memory('Cached', kernel.pageCacheBytes)] : []),
    memory('MemAvailable', sample.availableBytes),
    memory('MemFree', sample.freeBytes),
    memory('MemTotal', sample.totalBytes),
    ...(kernel ? [memory('SReclaimable', kernel.reclaimableSlabBytes)] : []),
    memory('SwapFree', Math.max(0, sample.swapTotalBytes - sample.swapUsedBytes)),
    memory('SwapTotal', sample.swapTotalBytes),
  ];
  return families;
}

export function nodeFamilies(system: SystemSample): MetricFamily[] {
  const [one, five, fifteen] = system.loadAverage;
  // Where the kernel's btime is unknown, now minus the uptime is the same instant, give or take a tick.
  const bootTime = system.kernel?.bootTimeSeconds ?? Math.round(system.at / 1000 - system.uptimeSeconds);
  return [
    gauge('node_boot_time_seconds', 'Node boot time, in unixtime.', bootTime),
    ...cpuSeconds(system),
    gauge('node_load1', '1m load average.', one),
    gauge('node_load15', '15m load average.', fifteen),
    gauge('node_load5', '5m load average.', five),
    ...memoryFamilies(system),
  ];
}
