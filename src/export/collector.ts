import type { RunSnapshot } from '../model/lab-types.js';
import { hostname } from 'node:os';
import type { CacheLevel, GpuSample } from '../model/types.js';
import { gpuFamilies } from './gpu-families.js';
import type { ExpositionFormat } from './accept.js';
import { type Exposition, expose } from './exposition.js';
import type { LatestSamples } from './latest-samples.js';
import type { ExportChoices, MetricFamily, ScrapeFigures } from './metric-family.js';
import { nodeFamilies } from './node-families.js';
import { paratopFamilies } from './paratop-families.js';

/** What a scrape reads: the sampler's latest figures, and what the dashboard passes in. */
export interface CollectorParts {
  samples: LatestSamples;
  /** The lab's run now; `serve` has none. */
  lab?: () => RunSnapshot | null;
  /** The cache sizes as `info` knows them (read once, at start). */
  caches: () => readonly CacheLevel[];
  choices: ExportChoices;
  /** The GPUs' latest figures, where there are GPUs. */
  gpus?: () => readonly GpuSample[];
}

/** Pure: every family of one scrape, node_exporter's first. */
export function buildFamilies(figures: ScrapeFigures, choices: ExportChoices): MetricFamily[] {
  return [
    ...nodeFamilies(figures.system),
    ...paratopFamilies(figures, choices),
    ...gpuFamilies(figures.gpus ?? [], HOSTNAME),
  ];
}

const HOSTNAME = hostname();

export type Scrape = (format: ExpositionFormat) => Promise<Exposition>;

export function createCollector(parts: CollectorParts): Scrape {
  return async (format) => {
    const latest = await parts.samples.latest();
    const figures: ScrapeFigures = {
      ...latest,
      lab: parts.lab?.() ?? null,
      caches: parts.caches(),
      gpus: parts.gpus?.() ?? [],
    };
    return expose(buildFamilies(figures, parts.choices), format);
  };
}
