import type { CacheLevel, GpuSample, ProcessSample, SystemSample } from '../model/types.js';
import type { RunSnapshot } from '../model/lab-types.js';

/** Metrics as plain data, built from samples by pure functions and written out by exposition.ts. */

export type Labels = Record<string, string>;

export interface MetricSample {
  labels: Labels;
  value: number;
}

export interface MetricFamily {
  /** A counter's name without `_total`: the text format adds it to every name, OpenMetrics to the samples. */
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: MetricSample[];
}

/** What one scrape is built from: the latest readings and how old they are. */
export interface ScrapeFigures {
  system: SystemSample;
  processes: readonly ProcessSample[];
  /** Seconds since each was read. */
  systemAgeSeconds: number;
  processesAgeSeconds: number;
  /** The lab's run, where a dashboard has one going; null for `serve` and when none runs. */
  lab: RunSnapshot | null;
  caches: readonly CacheLevel[];
  /** The GPUs' latest figures; empty without a GPU. */
  gpus?: readonly GpuSample[];
}

/** What the user chose to export. */
export interface ExportChoices {
  /** The top N processes by CPU (every lab worker besides). */
  processes: number;
  /** Command lines as a label: off unless asked, as they may hold secrets. */
  cmdline: boolean;
}

export function family(name: string, help: string, type: MetricFamily['type'], samples: MetricSample[]): MetricFamily {
  return { name, help, type, samples };
}

export const gauge = (name: string, help: string, value: number, labels: Labels = {}): MetricFamily =>
  family(name, help, 'gauge', [{ labels, value }]);
