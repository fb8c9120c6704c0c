import type { HostCounters, HostProcessCounter } from '../model/host-sample.js';
import type { CpuTimes } from '../model/types.js';
import { inertText } from './host-text.js';
import { memoryFromFields } from './memory-fields.js';
import { MEMORY_FIELDS, METRIC_NAMES, type MemoryField } from './metric-names.js';
import type { Series } from './prometheus-text.js';

/** More cores or processes than any machine has is a hostile body; the rest is dropped. */
const MAX_CORES = 8192;
const MAX_PROCESSES = 10_000;

const CPU_MODES: ReadonlySet<string> = new Set(['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal']);

const emptyTimes = (): CpuTimes => ({ user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0 });

const finite = (value: number): boolean => Number.isFinite(value) && value >= 0;

function readCores(series: readonly Series[]): Map<number, CpuTimes> {
  const cores = new Map<number, CpuTimes>();
  for (const { labels, value } of series) {
    const cpu = labels.cpu ?? '';
    const mode = labels.mode ?? '';
    if (!/^\d{1,5}$/.test(cpu) || !CPU_MODES.has(mode) || !finite(value)) continue;
    const id = Number(cpu);
    let times = cores.get(id);
    if (!times) {
      if (cores.size >= MAX_CORES) continue;
      times = emptyTimes();
      cores.set(id, times);
    }
    times[mode as keyof CpuTimes] = value;
  }
  return cores;
}

/** process-exporter: one entry per group, its CPU modes summed. */
function readGroups(byName: ReadonlyMap<string, Series[]>): HostProcessCounter[] {
  const names = METRIC_NAMES.processExporter;
  const groups = new Map<string, HostProcessCounter>();
  const group = (labels: Readonly<Record<string, string>>): HostProcessCounter | undefined => {
    const name = labels.groupname;
    if (name === undefined) return undefined;
    let found = groups.get(name);
    if (!found && groups.size < MAX_PROCESSES) {
      found = {
        key: `group:${name}`,
        pid: null,
        name: inertText(name),
        user: null,
        cpuSeconds: 0,
        rssBytes: null,
        threads: null,
        members: null,
      };
      groups.set(name, found);
    }
    return found;
  };
  for (const { labels, value } of byName.get(names.cpuSeconds) ?? []) {
    const found = group(labels);
    if (found && finite(value)) found.cpuSeconds += value;
  }
  for (const { labels, value } of byName.get(names.memoryBytes) ?? []) {
    const found = labels.memtype === 'resident' ? group(labels) : undefined;
    if (found && finite(value)) found.rssBytes = value;
  }
  for (const { labels, value } of byName.get(names.threads) ?? []) {
    const found = group(labels);
    if (found && finite(value)) found.threads = value;
  }
  for (const { labels, value } of byName.get(names.members) ?? []) {
    const found = group(labels);
    if (found && finite(value)) found.members = value;
  }
  return [...groups.values()];
}

/** paratop's own /metrics: one entry per process, named by PID and comm. */
function readParatopProcesses(byName: ReadonlyMap<string, Series[]>): HostProcessCounter[] {
  const names = METRIC_NAMES.paratop;
  const processes = new Map<string, HostProcessCounter>();
  const process = (labels: Readonly<Record<string, string>>): HostProcessCounter | undefined => {
    const pid = labels.pid ?? '';
    if (!/^\d{1,10}$/.test(pid)) return undefined;
    const key = `pid:${pid}:${labels.comm ?? ''}`;
    let found = processes.get(key);
    if (!found && processes.size < MAX_PROCESSES) {
      found = {
        key,
        pid: Number(pid),
        name: inertText(labels.comm ?? ''),
        user: labels.user === undefined ? null : inertText(labels.user),
        cpuSeconds: 0,
        rssBytes: null,
        threads: null,
        members: null,
      };
      processes.set(key, found);
    }
    return found;
  };
  for (const { labels, value } of byName.get(names.cpuSeconds) ?? []) {
    const found = process(labels);
    if (found && finite(value)) found.cpuSeconds += value;
  }
  for (const { labels, value } of byName.get(names.residentBytes) ?? []) {
    const found = process(labels);
    if (found && finite(value)) found.rssBytes = value;
  }
  for (const { labels, value } of byName.get(names.threads) ?? []) {
    const found = process(labels);
    if (found && finite(value)) found.threads = value;
  }
  return [...processes.values()];
}

/** The first unlabelled value of a series, if finite. */
function single(byName: ReadonlyMap<string, Series[]>, name: string): number | null {
  const value = byName.get(name)?.[0]?.value;
  return value !== undefined && Number.isFinite(value) ? value : null;
}

/**
 * A scrape's counters from whichever exporters answered (node_exporter, process-exporter, paratop;
 * one port may serve several). null when the body holds none of the series paratop reads.
 */
export function countersFromSeries(series: readonly Series[]): HostCounters | null {
  const byName = new Map<string, Series[]>();
  for (const one of series) {
    const list = byName.get(one.name);
    if (list) list.push(one);
    else byName.set(one.name, [one]);
  }
  if (byName.size === 0) return null;
  const node = METRIC_NAMES.nodeExporter;
  const fields: Partial<Record<MemoryField, number>> = {};
  for (const field of MEMORY_FIELDS) {
    const value = single(byName, `${node.memoryPrefix}${field}_bytes`);
    if (value !== null) fields[field] = value;
  }
  const load = node.load.map((name) => single(byName, name));
  const groups = byName.has(METRIC_NAMES.processExporter.cpuSeconds) ? readGroups(byName) : [];
  const own = byName.has(METRIC_NAMES.paratop.cpuSeconds) ? readParatopProcesses(byName) : [];
  const hasProcesses =
    byName.has(METRIC_NAMES.processExporter.cpuSeconds) || byName.has(METRIC_NAMES.paratop.cpuSeconds);
  return {
    cores: readCores(byName.get(node.cpuSeconds) ?? []),
    memory: memoryFromFields(fields),
    loadAverage: load.every((value) => value !== null) ? (load as [number, number, number]) : null,
    bootTime: single(byName, node.bootTime),
    processes: hasProcesses ? [...own, ...groups].slice(0, MAX_PROCESSES) : null,
  };
}
