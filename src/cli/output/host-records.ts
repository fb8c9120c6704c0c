import type { HostCoreUsage, HostProcessSample, HostSample, HostSourceKind } from '../../model/host-sample.js';
import type { MemorySample } from '../../model/types.js';

/** The JSON shapes of other hosts (snapshot and watch with --hosts or --prometheus); docs/command-line.md has them. */

export interface HostProcessRecord {
  pid: number | null;
  name: string;
  user: string | null;
  cpu: number | null;
  cpuSeconds: number;
  rss: number | null;
  threads: number | null;
  /** processes in a process-exporter group; null for one process */
  members: number | null;
}

export interface HostRecord {
  host: string;
  name: string;
  source: HostSourceKind;
  takenAt: string;
  up: boolean;
  error: string | null;
  scrapeMs: number | null;
  /** the cores of this machine's snapshot; a field the source does not give is null */
  cores: HostCoreUsage[];
  memory: MemorySample | null;
  loadAverage: [number, number, number] | null;
  /** absent where the source has no processes */
  processes?: HostProcessRecord[];
}

export interface HostsRecord {
  takenAt: string;
  intervalSeconds: number;
  hosts: HostRecord[];
}

const round = (value: number, places = 2): number => Math.round(value * 10 ** places) / 10 ** places;
const roundOrNull = (value: number | null): number | null => (value === null ? null : round(value));

function toCoreRecord(core: HostCoreUsage): HostCoreUsage {
  return {
    id: core.id,
    user: roundOrNull(core.user),
    system: roundOrNull(core.system),
    iowait: roundOrNull(core.iowait),
    steal: roundOrNull(core.steal),
    idle: roundOrNull(core.idle),
    total: round(core.total),
  };
}

function toProcessRecord(process: HostProcessSample): HostProcessRecord {
  return {
    pid: process.pid,
    name: process.name,
    user: process.user,
    cpu: roundOrNull(process.cpu),
    cpuSeconds: round(process.cpuSeconds),
    rss: process.rssBytes,
    threads: process.threads,
    members: process.members,
  };
}

/** Busiest first, then the top `limit`: what a script looking at a host wants first. */
function busiest(processes: readonly HostProcessSample[], limit: number | null): HostProcessSample[] {
  const sorted = [...processes].sort((a, b) => (b.cpu ?? -1) - (a.cpu ?? -1) || b.cpuSeconds - a.cpuSeconds);
  return limit === null ? sorted : sorted.slice(0, limit);
}

export function toHostRecord(sample: HostSample, limit: number | null = null): HostRecord {
  return {
    host: sample.host,
    name: sample.name,
    source: sample.source,
    takenAt: new Date(sample.at).toISOString(),
    up: sample.up,
    error: sample.error,
    scrapeMs: roundOrNull(sample.scrapeMs),
    cores: (sample.cores ?? []).map(toCoreRecord),
    memory: sample.memory,
    loadAverage: sample.loadAverage,
    ...(sample.processes ? { processes: busiest(sample.processes, limit).map(toProcessRecord) } : {}),
  };
}

export function toHostsRecord(
  round: { at: number; hosts: readonly HostSample[] },
  intervalSeconds: number,
  limit: number | null = null,
): HostsRecord {
  return {
    takenAt: new Date(round.at).toISOString(),
    intervalSeconds,
    hosts: round.hosts.map((host) => toHostRecord(host, limit)),
  };
}
