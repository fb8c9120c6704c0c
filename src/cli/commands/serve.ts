import { createCollector } from '../../export/collector.js';
import { ExportListenError } from '../../export/export-error.js';
import type { ExportSettings } from '../../export/export-settings.js';
import { type RunningExporter, startExporter } from '../../export/exporter-server.js';
import { LatestSamples } from '../../export/latest-samples.js';
import type { CacheLevel } from '../../model/types.js';
import { readCaches } from '../../sampler/caches/read-caches.js';
import type { Sampler } from '../../sampler/sampler.js';
import { UsageError } from '../usage-error.js';
import { createGpuSource, detectGpus } from '../../sampler/create-gpu-source.js';

/**
 * With nobody else sampling, a reading younger than this serves a scrape; older, the scrape reads once.
 * Scrapers asking at the same moment (a pair of Prometheus servers) share a reading, while a scraper's
 * next scrape, even at paratop's own shortest interval (0.1 s), gets a new one: rates need two.
 */
const SERVE_FRESH_MS = 50;

/** paratop serve: no screen, no timers; the figures are read when a scraper asks, until SIGINT or SIGTERM. */
export async function runServe(sampler: Sampler, settings: ExportSettings): Promise<void> {
  const samples = new LatestSamples(sampler, { systemMs: SERVE_FRESH_MS, processesMs: SERVE_FRESH_MS });
  let caches: readonly CacheLevel[] = [];
  let exporter: RunningExporter;
  // The GPUs' stream runs while serve does (nothing starts without a GPU); a scrape takes its latest lines.
  const gpus = await createGpuSource(detectGpus(), { loopMs: 1000 });
  try {
    exporter = await startExporter({
      listen: settings.listen,
      webConfig: settings.webConfig,
      scrape: createCollector({
        samples,
        caches: () => caches,
        choices: settings.choices,
        gpus: () => gpus.sampleGpus(),
      }),
    });
  } catch (error) {
    if (error instanceof ExportListenError) throw new UsageError(`--listen: ${error.message}.`);
    throw error;
  }
  gpus.start();
  const stopped = new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve());
  });
  try {
    // Read once now, so the first scrape already ranks processes by CPU over the time since.
    await samples.latest();
    // Cache sizes do not change while the machine runs: read once (getconf may run once).
    caches = readCaches();
    process.stderr.write(`paratop serve: listening on ${exporter.url}\n`);
    await stopped;
  } finally {
    gpus.close();
    exporter.close();
  }
}
