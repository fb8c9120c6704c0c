import { spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { BIN } from './paths.js';
import { type CoreTicks, busyPercent, readCoreTicks } from './proc-stat.js';

export interface Accuracy {
  /** core-intervals compared */
  intervals: number;
  /** largest per-core difference between paratop and the bench's own reading, in percentage points */
  maxDifference: number;
  meanDifference: number;
  /** The core the spinner was pinned to, which must read ~100% busy (the known load). */
  pinned: {
    core: number;
    /** how it was pinned; null when taskset is missing and the spinner ran unpinned */
    by: 'taskset' | null;
    paratopMean: number;
    paratopMin: number;
    independentMean: number;
    independentMin: number;
  } | null;
  /** |moment of the bench's /proc/stat reading - moment paratop took its own|, ms */
  skewMs: { mean: number; max: number };
  /** how often the bench read /proc/stat, ms */
  pollMs: number;
}

interface Reading {
  /** ms since the epoch, sub-millisecond */
  at: number;
  cores: CoreTicks[];
}

const POLL_MS = 2;

function tasksetAvailable(): boolean {
  return spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** Of the bench's readings, the one taken nearest to `at`. */
export function nearestReading<T extends { at: number }>(readings: readonly T[], at: number): T | null {
  let best: T | null = null;
  for (const reading of readings) if (!best || Math.abs(reading.at - at) < Math.abs(best.at - at)) best = reading;
  return best;
}

const mean = (values: readonly number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);

/**
 * paratop's per-core figures against the bench's own reading of /proc/stat (bench/proc-stat.ts: its
 * own parser and busy% maths, nothing from src/), with a known load: one process spinning, pinned to
 * the last core with taskset, so that core must read ~100% busy.
 *
 * Windows are aligned: the bench reads /proc/stat every 2 ms and, for each `paratop watch` line,
 * takes the reading nearest to the line's `takenAt` (the moment paratop read /proc/stat, to the
 * millisecond). The residual skew is measured and reported: at most ~1 ms of polling plus ~1 ms of
 * takenAt's resolution, against 1000 ms intervals.
 */
export async function measureAccuracy(readings: number): Promise<Accuracy> {
  const core = cpus().length - 1;
  const pinned = tasksetAvailable();
  const spin = [process.execPath, '-e', 'for(;;){}'];
  const spinner = pinned
    ? spawn('taskset', ['-c', String(core), ...spin], { stdio: 'ignore' })
    : spawn(spin[0] ?? 'node', spin.slice(1), { stdio: 'ignore' });
  const history: Reading[] = [];
  const now = (): number => performance.timeOrigin + performance.now();
  const poll = setInterval(() => {
    history.push({ at: now(), cores: readCoreTicks() });
    while (history.length > 0 && (history[0]?.at ?? 0) < now() - 3000) history.shift();
  }, POLL_MS);
  const watch = spawn(
    process.execPath,
    [BIN, 'watch', '--format', 'ndjson', '--interval', '1', '--count', String(readings + 1), '--limit', '1'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const differences: number[] = [];
  const skews: number[] = [];
  const pinnedParatop: number[] = [];
  const pinnedIndependent: number[] = [];
  let previous: Reading | null = null;
  try {
    for await (const line of createInterface({ input: watch.stdout })) {
      const reading = JSON.parse(line) as { takenAt: string; cores: { id: number; total: number }[] };
      const takenAt = Date.parse(reading.takenAt);
      const independent = nearestReading(history, takenAt);
      if (!independent) continue;
      skews.push(Math.abs(independent.at - takenAt));
      if (previous) {
        for (const paratop of reading.cores) {
          const before = previous.cores[paratop.id];
          const after = independent.cores[paratop.id];
          const busy = before && after ? busyPercent(before, after) : null;
          if (busy === null) continue;
          differences.push(Math.abs(paratop.total - busy));
          if (paratop.id === core) {
            pinnedParatop.push(paratop.total);
            pinnedIndependent.push(busy);
          }
        }
      }
      previous = independent;
    }
  } finally {
    clearInterval(poll);
    spinner.kill('SIGKILL');
    watch.kill('SIGKILL');
  }
  return {
    intervals: differences.length,
    maxDifference: Math.max(...differences),
    meanDifference: mean(differences),
    pinned:
      pinnedParatop.length > 0
        ? {
            core,
            by: pinned ? 'taskset' : null,
            paratopMean: mean(pinnedParatop),
            paratopMin: Math.min(...pinnedParatop),
            independentMean: mean(pinnedIndependent),
            independentMin: Math.min(...pinnedIndependent),
          }
        : null,
    skewMs: { mean: mean(skews), max: Math.max(...skews) },
    pollMs: POLL_MS,
  };
}
