import { execFile } from 'node:child_process';
import type { CacheCounters } from '../cache-counters.js';

/** Said where perf is missing: the Debian package that has it. */
export const PERF_MISSING =
  'perf is not installed (Debian: apt-get install linux-perf), so there are no cache counters';

/**
 * `perf stat -x,` output (on its stderr): one line per event, "value,unit,event,...", where the value
 * is a count or "<not supported>" / "<not counted>". VMs without a virtual PMU say <not supported>;
 * perf_event_paranoid above what the user may do gives an error text instead. Pure.
 */
export function parseCacheCounters(text: string): CacheCounters {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const fields = line.split(',');
    if (fields.length >= 3 && fields[2]) values.set(fields[2].replace(/:u$/, ''), (fields[0] ?? '').trim());
  }
  const misses = values.get('cache-misses');
  const references = values.get('cache-references');
  if (misses === undefined || references === undefined) {
    if (/permission|paranoid/i.test(text))
      return {
        kind: 'unavailable',
        reason: 'perf may not read hardware counters here (kernel.perf_event_paranoid; run as root, or lower it)',
      };
    return { kind: 'unavailable', reason: `perf gave no cache counters: ${text.trim().split('\n')[0] ?? 'no output'}` };
  }
  if (misses.startsWith('<') || references.startsWith('<')) {
    const said = misses.startsWith('<') ? misses : references;
    return { kind: 'unavailable', reason: `this CPU or VM exposes no hardware cache counters (perf: ${said})` };
  }
  const [missCount, referenceCount] = [Number(misses), Number(references)];
  if (!Number.isFinite(missCount) || !Number.isFinite(referenceCount) || referenceCount <= 0)
    return { kind: 'unavailable', reason: `perf counted no cache references (${references})` };
  return { kind: 'counted', misses: missCount, references: referenceCount, missRate: missCount / referenceCount };
}

/**
 * Count cache misses and references of `pids` for `seconds` with `perf stat` (linux-perf), if it is
 * installed and permitted. Never a made-up figure: anything else is a reason.
 */
export function countCacheMissesWithPerf(
  pids: readonly number[],
  seconds: number,
  perf = 'perf',
): Promise<CacheCounters> {
  const args = [
    'stat',
    '-e',
    'cache-misses,cache-references',
    '-x,',
    '-p',
    pids.join(','),
    '--',
    'sleep',
    String(seconds),
  ];
  return new Promise((resolve) => {
    execFile(perf, args, { timeout: (seconds + 10) * 1000 }, (error, _stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT')
        resolve({ kind: 'unavailable', reason: PERF_MISSING });
      else resolve(parseCacheCounters(stderr));
    });
  });
}
