import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { coreLoadBetween } from '../src/model/cpu-load.js';
import { parseProcStat } from '../src/sampler/linux/parse-system-files.js';
import { BIN } from './paths.js';

export interface Accuracy {
  intervals: number;
  /** largest per-core difference, in percentage points */
  maxDifference: number;
  meanDifference: number;
  /** paratop's and the independent reading of the busiest core, last interval */
  example: { core: number; paratop: number; independent: number } | null;
}

/**
 * paratop's per-core figures against an independent reading of /proc/stat over the same window,
 * with a known load: one process spinning on one core. `paratop watch` prints a reading each
 * second; the bench reads /proc/stat itself the moment each line arrives.
 */
export async function measureAccuracy(readings: number): Promise<Accuracy> {
  const spinner = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
  const watch = spawn(process.execPath, [BIN, 'watch', '--format', 'ndjson', '--interval', '1', '--count', String(readings + 1), '--limit', '1'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const differences: number[] = [];
  let example: Accuracy['example'] = null;
  let previous: ReturnType<typeof parseProcStat> | null = null;
  try {
    for await (const line of createInterface({ input: watch.stdout })) {
      const independent = parseProcStat(readFileSync('/proc/stat', 'utf8'));
      const reading = JSON.parse(line) as { cores: { id: number; total: number }[] };
      if (previous) {
        for (const core of reading.cores) {
          const before = previous.cores[core.id];
          const after = independent.cores[core.id];
          const load = before && after ? coreLoadBetween(before, after) : null;
          if (!load) continue;
          differences.push(Math.abs(core.total - load.total));
          if (!example || core.total > example.paratop) example = { core: core.id, paratop: core.total, independent: load.total };
        }
      }
      previous = independent;
    }
  } finally {
    spinner.kill('SIGKILL');
    watch.kill('SIGKILL');
  }
  return {
    intervals: differences.length,
    maxDifference: Math.max(...differences),
    meanDifference: differences.reduce((sum, value) => sum + value, 0) / Math.max(1, differences.length),
    example,
  };
}
