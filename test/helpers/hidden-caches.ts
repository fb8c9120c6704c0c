import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN } from './pty-session.js';
import { fixturesDir } from './fixtures.js';

const SYSFS_CACHE = '/sys/devices/system/cpu/cpu0/cache';

export interface HiddenRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Why this machine cannot pretend to be a VM without sysfs cache information, or null when it can: it
 * takes root and unshare(1) (util-linux), for a private mount namespace in which an empty tmpfs
 * covers core 0's cache folder. Nothing outside the namespace sees it.
 */
export function cannotHideCaches(): string | null {
  if (process.platform !== 'linux') return 'needs Linux mount namespaces';
  if (process.getuid?.() !== 0) return 'needs root, for a private mount namespace';
  const probe = spawnSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs none ${SYSFS_CACHE} && ls ${SYSFS_CACHE}`], {
    encoding: 'utf8',
  });
  if (probe.error) return 'needs unshare (Debian package util-linux)';
  if (probe.status !== 0 || probe.stdout.trim() !== '')
    return `unshare -m could not cover ${SYSFS_CACHE}: ${probe.stderr.trim()}`;
  return null;
}

/**
 * Run bin/paratop as on a Firecracker-style VM: no sysfs cache folder. With `bare`, the other sources
 * go too (getconf answers nothing, and /proc/cpuinfo is an arm64 one, with no "cache size"): a
 * machine whose OS reports no cache at all.
 */
export function paratopWithoutSysfsCaches(
  args: readonly string[],
  bare = false,
  env: NodeJS.ProcessEnv = {},
): HiddenRun {
  const quoted = [process.execPath, BIN, ...args].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
  const mounts = [`mount -t tmpfs none ${SYSFS_CACHE}`];
  if (bare) {
    mounts.push(`mount --bind '${join(fixturesDir, 'caches', 'cpuinfo-arm64.txt')}' /proc/cpuinfo`);
    // getconf answers nothing, as where glibc's CPUID tables know no sizes.
    mounts.push('{ ! getconf=$(command -v getconf) || mount --bind /bin/false "$getconf"; }');
  }
  const script = `${mounts.join(' && ')} && exec ${quoted}`;
  const result = spawnSync('unshare', ['-m', 'sh', '-c', script], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
