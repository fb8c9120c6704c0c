import { LinuxSampler } from '../src/sampler/linux/linux-sampler.js';
import { type ProcTree, generateProcTree } from './proc-tree.js';
import { processCount } from './pty-process.js';

export interface SamplerSpeed {
  tree: string;
  processes: number;
  /** share of the processes given new CPU time before each timed scan (generated trees only) */
  busyFraction: number | null;
  /** the very first scan: every file opened and read, command lines too */
  coldMs: number;
  medianMs: number;
  p95Ms: number;
  scans: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

/** Seconds between two scans of a generated tree: the dashboard's process interval. */
const SCAN_EVERY_SECONDS = 2;

async function timeScans(
  label: string,
  sampler: LinuxSampler,
  processes: number,
  scans: number,
  tree?: ProcTree,
  busyFraction?: number,
): Promise<SamplerSpeed> {
  let started = performance.now();
  await sampler.sampleProcesses();
  const coldMs = performance.now() - started;
  const times: number[] = [];
  for (let scan = 0; scan < scans; scan += 1) {
    tree?.advanceClock(SCAN_EVERY_SECONDS);
    if (tree && busyFraction) tree.makeBusy(busyFraction);
    started = performance.now();
    await sampler.sampleProcesses();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  sampler.close();
  return {
    tree: label,
    processes,
    busyFraction: tree ? (busyFraction ?? 0) : null,
    coldMs,
    medianMs: percentile(times, 0.5),
    p95Ms: percentile(times, 0.95),
    scans,
  };
}

/** Share of a generated tree's processes that use CPU between two scans: the realistic case, and the target's. */
export const BUSY_FRACTION = 0.05;

/**
 * One full process scan: on this machine's /proc, and on generated trees of 1,000 and 10,000
 * processes, twice each: all idle (static files: the sampler's best case, a process that has not run
 * since the last scan, by its schedstat, skips its status file) and with 5% of the processes busy
 * before each scan (realistic).
 */
export async function measureSamplerSpeed(quick: boolean): Promise<SamplerSpeed[]> {
  const results = [await timeScans('this machine (/proc)', new LinuxSampler(), processCount(), quick ? 30 : 200)];
  for (const count of [1000, 10_000]) {
    const scans = count >= 10_000 ? (quick ? 10 : 50) : quick ? 20 : 100;
    const tree = generateProcTree(count);
    try {
      for (const busy of [0, BUSY_FRACTION]) {
        const label = `generated ${count}, ${busy === 0 ? 'all idle' : `${busy * 100}% busy`}`;
        // The sampler's clock moves with the tree's uptime (it reads uptime once per tick of its clock).
        let clockMs = 0;
        const sampler = new LinuxSampler({
          procRoot: tree.root,
          monotonic: () => (clockMs += SCAN_EVERY_SECONDS * 1000),
        });
        results.push(await timeScans(label, sampler, count, scans, tree, busy));
      }
    } finally {
      tree.remove();
    }
  }
  return results;
}
