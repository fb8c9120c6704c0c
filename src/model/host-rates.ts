import { coreLoadBetween, cpuPercent } from './cpu-load.js';
import type { HostCounters, HostCoreUsage, HostProcessSample, HostReading, HostSample } from './host-sample.js';
import type { CpuTimes } from './types.js';

const sumOf = (times: CpuTimes): number =>
  times.user + times.nice + times.system + times.idle + times.iowait + times.irq + times.softirq + times.steal;

/**
 * A host restarted between two scrapes when its boot time changed or a core's counters went back:
 * then the counters start again from zero, and a rate across the restart would be made up.
 */
export function hostRestarted(previous: HostCounters, current: HostCounters): boolean {
  if (previous.bootTime !== null && current.bootTime !== null && previous.bootTime !== current.bootTime) return true;
  for (const [id, times] of current.cores) {
    const before = previous.cores.get(id);
    // A small step back is one mode's counter (iowait does that); a restart takes the whole core back.
    if (before && sumOf(times) < sumOf(before)) return true;
  }
  return false;
}

/** Per-core load between two scrapes; cores seen only once (just hot-plugged) wait for their second. */
export function coresBetween(previous: HostCounters, current: HostCounters): HostCoreUsage[] {
  const cores: HostCoreUsage[] = [];
  for (const [id, times] of current.cores) {
    const before = previous.cores.get(id);
    const load = before ? coreLoadBetween(before, times) : null;
    if (load) cores.push({ id, ...load });
  }
  return cores.sort((a, b) => a.id - b.id);
}

/** Processes with CPU % from their counters' deltas; a counter that went back is a new process (or group). */
export function processesBetween(
  previous: HostCounters | null,
  current: HostCounters,
  elapsedSeconds: number,
  restarted: boolean,
): HostProcessSample[] | null {
  if (!current.processes) return null;
  const before = new Map((previous?.processes ?? []).map((process) => [process.key, process.cpuSeconds]));
  return current.processes.map(({ key, ...process }) => {
    const then = restarted ? undefined : before.get(key);
    const cpu =
      then === undefined || process.cpuSeconds < then ? null : cpuPercent(then, process.cpuSeconds, elapsedSeconds);
    return { ...process, cpu };
  });
}

/**
 * A host's sample from its reading now and the last one that had counters: rates where both exist,
 * figures as a rate-computing source gave them, and for a host that is down, nothing but why.
 */
export function hostSampleFrom(previous: HostReading | null, current: HostReading): HostSample {
  const base = {
    host: current.host,
    name: current.name,
    source: current.source,
    at: current.at,
    up: current.up,
    error: current.error,
    scrapeMs: current.scrapeMs,
  };
  if (current.figures) return { ...base, ...current.figures };
  const counters = current.counters;
  if (!counters) return { ...base, cores: null, memory: null, loadAverage: null, processes: null };
  const before = previous?.counters ?? null;
  const restarted = before !== null && hostRestarted(before, counters);
  const elapsedSeconds = previous ? (current.at - previous.at) / 1000 : 0;
  return {
    ...base,
    cores: before && !restarted ? coresBetween(before, counters) : null,
    memory: counters.memory,
    loadAverage: counters.loadAverage,
    processes: processesBetween(before, counters, elapsedSeconds, restarted),
  };
}
