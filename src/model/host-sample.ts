import type { CpuTimes, MemorySample } from './types.js';

/** Other machines, as a host source reads them. Pure data; every string in it came from a host or the user. */

export type HostSourceKind = 'scrape' | 'prometheus';

/** One core of another host; a field the source does not give is null (Prometheus gives only the busy share). */
export interface HostCoreUsage {
  id: number;
  user: number | null;
  system: number | null;
  iowait: number | null;
  steal: number | null;
  idle: number | null;
  /** Busy share, % of the interval: everything but idle and iowait. */
  total: number;
}

/** A process, or a process-exporter group of them, on another host. */
export interface HostProcessSample {
  /** null for a group */
  pid: number | null;
  name: string;
  user: string | null;
  /** % of one core over the interval; null until two readings, or after a reset of its counter */
  cpu: number | null;
  cpuSeconds: number;
  rssBytes: number | null;
  threads: number | null;
  /** processes in a group (process-exporter); null for one process */
  members: number | null;
}

/** Cumulative counters of one process or group, as one scrape gave them. */
export interface HostProcessCounter extends Omit<HostProcessSample, 'cpu'> {
  /** What names it from one scrape to the next. */
  key: string;
}

/** What one scrape of an exporter gave: counters, to be turned into rates against the previous scrape. */
export interface HostCounters {
  /** CPU seconds by mode, per core id (the fields of CpuTimes, in seconds). */
  cores: ReadonlyMap<number, CpuTimes>;
  memory: MemorySample | null;
  loadAverage: [number, number, number] | null;
  /** Boot time, s since the epoch, where the exporter gives it: a new one means the host restarted. */
  bootTime: number | null;
  processes: HostProcessCounter[] | null;
}

/** What a source that computes rates itself (Prometheus) gave. */
export interface HostFigures {
  cores: HostCoreUsage[];
  memory: MemorySample | null;
  loadAverage: [number, number, number] | null;
  processes: HostProcessSample[] | null;
}

/** One host as one poll found it: counters, figures, or neither (down, or an answer paratop cannot use). */
export interface HostReading {
  /** HOST:PORT as given, or Prometheus's instance label */
  host: string;
  /** The display name (from a hosts file), else the host. */
  name: string;
  source: HostSourceKind;
  /** Wall-clock time of the reading, ms since the epoch. */
  at: number;
  up: boolean;
  /** A plain sentence when down or when the answer could not be used; null otherwise. */
  error: string | null;
  /** How long the scrape or query took, ms; null when it never answered. */
  scrapeMs: number | null;
  counters: HostCounters | null;
  figures: HostFigures | null;
}

/** One host with rates, as shown or printed. */
export interface HostSample {
  host: string;
  name: string;
  source: HostSourceKind;
  at: number;
  up: boolean;
  error: string | null;
  scrapeMs: number | null;
  /** null until two readings exist (scrapes), and for one reading after the host restarted */
  cores: HostCoreUsage[] | null;
  memory: MemorySample | null;
  loadAverage: [number, number, number] | null;
  /** null where the source has no processes */
  processes: HostProcessSample[] | null;
}
