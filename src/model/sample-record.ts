import type { CoreUsage, GpuSample, MachineFacts, ProcessSample, SystemSample, ThreadSample } from './types.js';

/** The JSON shapes paratop prints. Stable names, units in docs/command-line.md: bytes, %, seconds. */

export interface ProcessRecord {
  pid: number;
  ppid: number;
  user: string;
  state: string;
  name: string;
  command: string;
  /** % of one core over the interval; null when not measured yet */
  cpu: number | null;
  cpuSeconds: number;
  /** bytes */
  rss: number;
  memPercent: number;
  threads: number | null;
  startedAt: string;
  ctxVoluntary: number | null;
  ctxInvoluntary: number | null;
  ctxPerSecond: number | null;
  ctxVoluntaryPerSecond: number | null;
  ctxInvoluntaryPerSecond: number | null;
  /** the core it last ran on */
  lastCpu: number | null;
  /** % of the interval runnable but waiting for a core (its main thread) */
  waitPercent: number | null;
  /** threads only; null for processes */
  migrationsPerSecond: number | null;
  /** GPU memory it holds, bytes; null where no GPU source tells */
  gpuMemoryBytes: number | null;
  /** GPU engine busy % over the interval (DRM fdinfo); null where unknown */
  gpuPercent: number | null;
}

const round = (value: number, places = 2): number => Math.round(value * 10 ** places) / 10 ** places;
const roundOrNull = (value: number | null): number | null => (value === null ? null : round(value));

export function toProcessRecord(process: ProcessSample): ProcessRecord {
  return {
    pid: process.pid,
    ppid: process.ppid,
    user: process.user,
    state: process.state,
    name: process.name,
    command: process.command,
    cpu: roundOrNull(process.cpu),
    cpuSeconds: round(process.cpuSeconds),
    rss: process.rssBytes,
    memPercent: round(process.memPercent),
    threads: process.threads,
    startedAt: new Date(process.startedAt).toISOString(),
    ctxVoluntary: process.ctxVoluntary,
    ctxInvoluntary: process.ctxInvoluntary,
    ctxPerSecond: roundOrNull(process.ctxPerSecond),
    ctxVoluntaryPerSecond: roundOrNull(process.ctxVoluntaryPerSecond),
    ctxInvoluntaryPerSecond: roundOrNull(process.ctxInvoluntaryPerSecond),
    lastCpu: process.lastCpu,
    waitPercent: roundOrNull(process.waitPercent),
    migrationsPerSecond: roundOrNull(process.migrationsPerSecond),
    gpuMemoryBytes: process.gpuMemoryBytes,
    gpuPercent: roundOrNull(process.gpuPercent),
  };
}

/** One GPU as `snapshot`, `watch` and `info` print it: bytes, %, degrees C, watts, MHz; null where unknown. */
export type GpuRecord = GpuSample;

export function toGpuRecord(gpu: GpuSample): GpuRecord {
  return {
    ...gpu,
    utilPercent: roundOrNull(gpu.utilPercent),
    powerWatts: roundOrNull(gpu.powerWatts),
  };
}

function toCoreRecord(core: CoreUsage): CoreUsage {
  return {
    id: core.id,
    user: round(core.user),
    system: round(core.system),
    iowait: round(core.iowait),
    steal: round(core.steal),
    idle: round(core.idle),
    total: round(core.total),
  };
}

/** One thread of `snapshot --threads PID`: the thread view's figures. */
export interface ThreadRecord {
  tid: number;
  pid: number;
  name: string;
  state: string;
  cpu: number | null;
  cpuSeconds: number;
  lastCpu: number | null;
  waitPercent: number | null;
  migrationsPerSecond: number | null;
  ctxPerSecond: number | null;
  ctxVoluntaryPerSecond: number | null;
  ctxInvoluntaryPerSecond: number | null;
}

export function toThreadRecord(thread: ThreadSample): ThreadRecord {
  return {
    tid: thread.tid,
    pid: thread.pid,
    name: thread.name,
    state: thread.state,
    cpu: roundOrNull(thread.cpu),
    cpuSeconds: round(thread.cpuSeconds),
    lastCpu: thread.lastCpu,
    waitPercent: roundOrNull(thread.waitPercent),
    migrationsPerSecond: roundOrNull(thread.migrationsPerSecond),
    ctxPerSecond: roundOrNull(thread.ctxPerSecond),
    ctxVoluntaryPerSecond: roundOrNull(thread.ctxVoluntaryPerSecond),
    ctxInvoluntaryPerSecond: roundOrNull(thread.ctxInvoluntaryPerSecond),
  };
}

export interface SampleRecord {
  takenAt: string;
  sampler: string;
  intervalSeconds: number;
  cpu: Omit<CoreUsage, 'id'> | null;
  cores: CoreUsage[];
  memory: SystemSample['memory'];
  loadAverage: [number, number, number];
  uptimeSeconds: number;
  processes: ProcessRecord[];
  /** Every GPU, empty on a machine without one. */
  gpus: GpuRecord[];
  /** `snapshot --threads PID`: that process's threads over the same window. */
  threads?: ThreadRecord[];
  machine?: MachineFacts;
}

export function toSampleRecord(
  system: SystemSample,
  processes: readonly ProcessSample[],
  context: { sampler: string; intervalSeconds: number; machine?: MachineFacts; gpus?: readonly GpuSample[] },
): SampleRecord {
  const cpu = system.cpu ? toCoreRecord({ id: -1, ...system.cpu }) : null;
  return {
    takenAt: new Date(system.at).toISOString(),
    sampler: context.sampler,
    intervalSeconds: context.intervalSeconds,
    cpu: cpu && {
      user: cpu.user,
      system: cpu.system,
      iowait: cpu.iowait,
      steal: cpu.steal,
      idle: cpu.idle,
      total: cpu.total,
    },
    cores: (system.cores ?? []).map(toCoreRecord),
    memory: system.memory,
    loadAverage: system.loadAverage,
    uptimeSeconds: system.uptimeSeconds,
    processes: processes.map(toProcessRecord),
    gpus: (context.gpus ?? []).map(toGpuRecord),
    ...(context.machine ? { machine: context.machine } : {}),
  };
}
