import type { CoreKind, MachineFacts } from '../../model/types.js';
import { mergeCaches } from '../caches/merge-caches.js';
import { parseSysctlCaches } from '../caches/sysctl-caches.js';
import { parseSwapUsage } from './parse-vm-stat.js';

/** Performance levels asked for: Apple silicon has had two (performance, efficiency) and may have more. */
const PERF_LEVELS = [0, 1, 2];

/** The sysctl names machine facts come from on macOS; each answers in one `sysctl` run, read once. */
export const SYSCTL_MACHINE_NAMES = [
  'machdep.cpu.brand_string',
  'hw.ncpu',
  'hw.physicalcpu',
  'hw.logicalcpu',
  'hw.memsize',
  'hw.nperflevels',
  ...PERF_LEVELS.flatMap((level) => [
    `hw.perflevel${level}.name`,
    `hw.perflevel${level}.physicalcpu`,
    `hw.perflevel${level}.logicalcpu`,
  ]),
] as const;

export interface SysctlMachine {
  cpuModel: string | null;
  physicalCores: number | null;
  logicalCores: number | null;
  memoryBytes: number | null;
  /** Empty where there are no performance levels (Intel Macs, older macOS). */
  coreKinds: CoreKind[];
}

/** "name: value" lines (a name the machine lacks is simply missing). Pure. */
export function parseSysctlValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([a-z][\w.]*)\s*[:=]\s?(.*)$/.exec(line.trim());
    if (match?.[1]) values.set(match[1], (match[2] ?? '').trim());
  }
  return values;
}

/** The machine as `sysctl hw...` describes it: model, cores (and their kinds), memory. Pure. */
export function parseSysctlMachine(text: string): SysctlMachine {
  const values = parseSysctlValues(text);
  const count = (name: string): number | null => {
    const value = Number(values.get(name) ?? Number.NaN);
    return Number.isFinite(value) && value > 0 ? value : null;
  };
  const coreKinds: CoreKind[] = [];
  for (const level of PERF_LEVELS) {
    const physical = count(`hw.perflevel${level}.physicalcpu`);
    if (physical === null) continue;
    coreKinds.push({
      name: values.get(`hw.perflevel${level}.name`) || `level ${level}`,
      physicalCores: physical,
      logicalCores: count(`hw.perflevel${level}.logicalcpu`) ?? physical,
    });
  }
  return {
    cpuModel: values.get('machdep.cpu.brand_string') || null,
    physicalCores: count('hw.physicalcpu'),
    logicalCores: count('hw.logicalcpu') ?? count('hw.ncpu'),
    memoryBytes: count('hw.memsize'),
    coreKinds,
  };
}

/** What Node and the OS's own tools say of the system, beside sysctl's figures. */
export interface OsNames {
  hostname: string;
  os: string;
  kernel: string;
  arch: string;
  logicalCores: number;
  memoryBytes: number;
}

/**
 * Machine facts on macOS from one `sysctl` (SYSCTL_MACHINE_NAMES, the cache names, vm.swapusage):
 * Node's own counts stand in for any name sysctl did not answer. Pure.
 */
export function machineFactsFromSysctl(text: string, os: OsNames): MachineFacts {
  const machine = parseSysctlMachine(text);
  const logicalCores = machine.logicalCores ?? os.logicalCores;
  return {
    hostname: os.hostname,
    os: os.os,
    kernel: os.kernel,
    arch: os.arch,
    cpuModel: machine.cpuModel ?? 'unknown CPU',
    physicalCores: machine.physicalCores ?? logicalCores,
    logicalCores,
    ...(machine.coreKinds.length > 0 ? { coreKinds: machine.coreKinds } : {}),
    caches: mergeCaches([parseSysctlCaches(text)]),
    memoryBytes: machine.memoryBytes ?? os.memoryBytes,
    swapBytes: parseSwapUsage(text)?.totalBytes ?? 0,
  };
}
