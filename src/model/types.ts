import type { CpuLimits } from './cpu-limits.js';
/** Domain types shared by the sampler, the model and the views. Pure data, no behaviour. */

/** Cumulative CPU time counters for one core (or all cores), in clock ticks, as /proc/stat gives them. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

/** How one core spent an interval, each field a percentage of that interval. */
export interface CoreLoad {
  /** user + nice */
  user: number;
  /** system + irq + softirq */
  system: number;
  iowait: number;
  steal: number;
  idle: number;
  /** Busy share: everything but idle and iowait. */
  total: number;
}

/** One logical core's load, with the core's number as the OS counts it. */
export interface CoreUsage extends CoreLoad {
  id: number;
}

export interface MemorySample {
  totalBytes: number;
  usedBytes: number;
  availableBytes: number;
  freeBytes: number;
  buffersBytes: number;
  cachedBytes: number;
  swapTotalBytes: number;
  swapUsedBytes: number;
}

export interface SystemSample {
  /** Wall-clock time of the reading, ms since the epoch. */
  at: number;
  /** One entry per online logical core; null until two readings exist. */
  cores: CoreUsage[] | null;
  /** All cores together (100% = every core busy); null until two readings exist. */
  cpu: CoreLoad | null;
  memory: MemorySample;
  loadAverage: [number, number, number];
  uptimeSeconds: number;
  /** The kernel's own counters behind these figures; null where the platform gives none (the fallback). */
  kernel: KernelCounters | null;
}

/**
 * What /proc counts, as it counts it: what an exporter serves under node_exporter's names, so the
 * figures match its to the byte and the tick.
 */
export interface KernelCounters {
  /** When the machine booted, seconds since the epoch (/proc/stat btime). */
  bootTimeSeconds: number;
  /** Clock ticks per second of coreTimes (USER_HZ). */
  ticksPerSecond: number;
  /** Cumulative times per core since boot, clock ticks, by core number (an offline core leaves a hole). */
  coreTimes: (CpuTimes | undefined)[];
  /** /proc/meminfo's Cached (page cache alone; MemorySample.cachedBytes adds SReclaimable, as free(1) does). */
  pageCacheBytes: number;
  /** /proc/meminfo's SReclaimable. */
  reclaimableSlabBytes: number;
}

export interface ProcessSample extends SchedulingFigures, GpuProcessFigures {
  pid: number;
  ppid: number;
  user: string;
  uid: number;
  /** One-letter state as the kernel reports it: R, S, D, Z, T, I, ... */
  state: string;
  /** The short name (comm), up to 15 characters on Linux. Untrusted text. */
  name: string;
  /** Full command line, or `[name]` when there is none (kernel threads, zombies). Untrusted text. */
  command: string;
  /** CPU use over the last interval, 100 = one core busy; null when it cannot be known yet. */
  cpu: number | null;
  /** CPU time used since the process started, seconds. */
  cpuSeconds: number;
  rssBytes: number;
  memPercent: number;
  /** null where the platform does not tell. */
  threads: number | null;
  /** Start time, ms since the epoch. */
  startedAt: number;
  /** An exact token for the process's start; together with the PID it identifies one process. */
  startToken: string;
  ctxVoluntary: number | null;
  ctxInvoluntary: number | null;
  /** Context switches (both kinds) per second over the last interval; null when not known. */
  ctxPerSecond: number | null;
}

/**
 * Where and how a task was scheduled (Linux: stat field 39, schedstat, sched). Per process these
 * are its main thread's, as the context switches are; null where the platform does not tell.
 */
export interface SchedulingFigures {
  /** The core it last ran on (htop's PROCESSOR). */
  lastCpu: number | null;
  /** % of the interval it was runnable but waiting for a core (run-queue delay). */
  waitPercent: number | null;
  /** Seconds spent runnable but waiting, since it started. */
  waitSeconds: number | null;
  /** Moves between cores per second (threads only: the per-process scan does not read them). */
  migrationsPerSecond: number | null;
  /** Context switches per second: it blocked (a lock, I/O, sleep), and it was preempted. */
  ctxVoluntaryPerSecond: number | null;
  ctxInvoluntaryPerSecond: number | null;
}

/** For a platform, or a reading, that does not tell. */
export const UNKNOWN_SCHEDULING: Readonly<SchedulingFigures> = {
  lastCpu: null,
  waitPercent: null,
  waitSeconds: null,
  migrationsPerSecond: null,
  ctxVoluntaryPerSecond: null,
  ctxInvoluntaryPerSecond: null,
};

export interface ThreadSample extends SchedulingFigures {
  tid: number;
  pid: number;
  /** Thread name (comm). Untrusted text. */
  name: string;
  state: string;
  cpu: number | null;
  cpuSeconds: number;
  /** null where the platform does not count them per thread (the fallback). */
  ctxVoluntary: number | null;
  ctxInvoluntary: number | null;
  ctxPerSecond: number | null;
}

/** A process's use of the GPUs, summed over them; null where no source tells (no GPU, or not this process). */
export interface GpuProcessFigures {
  /** GPU memory it holds, bytes (nvidia-smi's used_memory; DRM fdinfo's drm-memory-* / drm-resident-*). */
  gpuMemoryBytes: number | null;
  /** Busy time of the GPU engines over the interval, 100 = one engine busy throughout (DRM fdinfo only). */
  gpuPercent: number | null;
}

/** For a process no GPU source has figures for. */
export const NO_GPU_USE: Readonly<GpuProcessFigures> = { gpuMemoryBytes: null, gpuPercent: null };

/** Where a GPU's figures come from: NVIDIA's nvidia-smi, or the kernel's DRM sysfs and fdinfo (AMD, Intel). */
export type GpuSourceKind = 'nvidia-smi' | 'drm';

/** One GPU as its source last saw it. Figures a source does not give are null. */
export interface GpuSample {
  /** The source's own number for it: nvidia-smi's index, or the DRM card number. */
  index: number;
  /** A stable identity: nvidia-smi's UUID, or the PCI address for DRM cards. */
  id: string;
  /** Model name as the driver reports it. Untrusted text. */
  name: string;
  vendor: 'nvidia' | 'amd' | 'intel' | 'other';
  source: GpuSourceKind;
  /** PCI address (domain:bus:device.function), or null where not given. */
  pciBusId: string | null;
  /** % of the sample period a kernel ran (nvidia-smi utilization.gpu, amdgpu gpu_busy_percent). */
  utilPercent: number | null;
  memoryUsedBytes: number | null;
  memoryTotalBytes: number | null;
  temperatureC: number | null;
  powerWatts: number | null;
  smClockMHz: number | null;
  memoryClockMHz: number | null;
  /** The driver said this GPU has fallen off the bus ("GPU is lost"): its figures are its last. */
  lost: boolean;
}

/** What identifies one process over time: PIDs get reused, PID + start does not. */
export interface ProcessIdentity {
  pid: number;
  startToken: string;
}

/**
 * Where a cache size came from: the kernel's sysfs tree, the CPU's own CPUID answer as glibc reads it
 * (getconf), /proc/cpuinfo's one "cache size", macOS's sysctl, or paratop's latency ladder
 * (memory-hierarchy) where the OS reports none.
 */
export type CacheSource = 'sysfs' | 'cpuid' | 'cpuinfo' | 'sysctl' | 'measured';

export interface CacheLevel {
  /** "L1d", "L1i", "L2", "L3"; "LLC" where the source names no level (/proc/cpuinfo: the last level). */
  name: string;
  /** Size of one instance, bytes. */
  bytes: number;
  /** How many logical cores share one instance; null when unknown. */
  sharedBy: number | null;
  /** Bytes per cache line; null when unknown. */
  lineBytes: number | null;
  source: CacheSource;
}

/** One kind of core on a machine that has several (macOS's performance levels). */
export interface CoreKind {
  /** As macOS names it: "Performance", "Efficiency". */
  name: string;
  physicalCores: number;
  logicalCores: number;
}

export interface MachineFacts {
  hostname: string;
  os: string;
  kernel: string;
  arch: string;
  cpuModel: string;
  physicalCores: number;
  logicalCores: number;
  /** Apple silicon's kinds of core (performance, efficiency), as macOS's hw.perflevel* give them; absent elsewhere. */
  coreKinds?: CoreKind[];
  caches: CacheLevel[];
  memoryBytes: number;
  swapBytes: number;
  /** The cores paratop may use here (CPU set, cgroup quota); absent where not read. */
  limits?: CpuLimits;
}
