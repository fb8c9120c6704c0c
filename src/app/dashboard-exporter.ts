import { createCollector } from '../export/collector.js';
import type { ExportSettings } from '../export/export-settings.js';
import { startExporter } from '../export/exporter-server.js';
import { LatestSamples } from '../export/latest-samples.js';
import type { RunSnapshot } from '../model/lab-types.js';
import type { CacheLevel, GpuSample } from '../model/types.js';
import type { Sampler } from '../sampler/sampler.js';
import type { DashboardSettings } from './dashboard-settings.js';

/** Readings this much older than their cadence still count as the dashboard's latest (timers run late). */
const CADENCE_SLACK = 1.5;

export interface DashboardExporter {
  /** The sampler the dashboard samples through: it keeps each reading for the scrapes. */
  sampler: Sampler;
  /** The lab and the caches come later in start-up: each is handed over when it exists. */
  showLab(run: () => RunSnapshot | null): void;
  showCaches(caches: readonly CacheLevel[]): void;
  showGpus(gpus: () => readonly GpuSample[]): void;
  close(): void;
}

/**
 * --export: an exporter that serves what the dashboard has just read, and the lab's run. It listens
 * before the screen opens, so a port in use is said on a plain terminal (ExportListenError).
 */
export async function startDashboardExporter(
  sampler: Sampler,
  dashboard: DashboardSettings,
  settings: ExportSettings,
): Promise<DashboardExporter> {
  const samples = new LatestSamples(sampler, {
    systemMs: dashboard.intervalSeconds * 1000 * CADENCE_SLACK,
    processesMs: Math.max(dashboard.intervalSeconds, dashboard.processIntervalSeconds) * 1000 * CADENCE_SLACK,
  });
  let lab: () => RunSnapshot | null = () => null;
  let caches: readonly CacheLevel[] = [];
  let gpus: () => readonly GpuSample[] = () => [];
  const exporter = await startExporter({
    listen: settings.listen,
    webConfig: settings.webConfig,
    scrape: createCollector({
      samples,
      lab: () => lab(),
      caches: () => caches,
      choices: settings.choices,
      gpus: () => gpus(),
    }),
  });
  return {
    sampler: samples,
    showLab: (run) => {
      lab = run;
    },
    showCaches: (known) => {
      caches = known;
    },
    showGpus: (read) => {
      gpus = read;
    },
    close: () => exporter.close(),
  };
}
