import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { CacheLevel } from '../../model/types.js';
import { parseCpuinfoCaches } from './cpuinfo-caches.js';
import { parseGetconfCaches } from './getconf-caches.js';
import { mergeCaches } from './merge-caches.js';
import { SYSCTL_CACHE_NAMES, parseSysctlCaches } from './sysctl-caches.js';
import { readSysfsCaches } from './sysfs-caches.js';

/** Runs a command and gives its stdout, or null when it cannot run; what a test replaces. */
export type RunCommand = (file: string, args: readonly string[]) => string | null;

export interface CacheSourcePaths {
  platform: NodeJS.Platform;
  /** Core 0's sysfs cache folder. */
  sysfsDir: string;
  /** The cpuinfo file. */
  cpuinfoFile: string;
  run: RunCommand;
}

/** stdout even when the command exits non-zero (sysctl does for a name it lacks, having printed the rest). */
export const runQuietly: RunCommand = (file, args) => {
  try {
    return execFileSync(file, args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (error) {
    const stdout = (error as { stdout?: unknown }).stdout;
    return typeof stdout === 'string' && stdout.length > 0 ? stdout : null;
  }
};

const MACHINE_PATHS: CacheSourcePaths = {
  platform: process.platform,
  sysfsDir: '/sys/devices/system/cpu/cpu0/cache',
  cpuinfoFile: '/proc/cpuinfo',
  run: runQuietly,
};

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The cache sizes from every source this OS has, best first (see mergeCaches): on Linux sysfs, then
 * CPUID as glibc's getconf reads it, then /proc/cpuinfo; on macOS sysctl. Each level says which
 * source it came from. Runs a command, so it is read once, in the machine-facts helper or `info`.
 */
export function readCaches(paths: CacheSourcePaths = MACHINE_PATHS): CacheLevel[] {
  if (paths.platform === 'darwin')
    return mergeCaches([parseSysctlCaches(paths.run('sysctl', SYSCTL_CACHE_NAMES) ?? '')]);
  if (paths.platform !== 'linux') return mergeCaches([parseGetconfCaches(paths.run('getconf', ['-a']) ?? '')]);
  return mergeCaches([
    readSysfsCaches(paths.sysfsDir),
    parseGetconfCaches(paths.run('getconf', ['-a']) ?? ''),
    parseCpuinfoCaches(readText(paths.cpuinfoFile)),
  ]);
}
