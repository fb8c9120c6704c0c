import { LinuxSampler } from '../src/sampler/linux/linux-sampler.js';
import { generateProcTree } from './proc-tree.js';
import { processCount } from './pty-process.js';

export interface SamplerSpeed {
  tree: string;
  processes: number;
  /** the very first scan: every file opened and read, command lines too */
  coldMs: number;
  medianMs: number;
  p95Ms: number;
  scans: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

async function timeScans(label: string, sampler: LinuxSampler, processes: number, scans: number): Promise<SamplerSpeed> {
  let started = performance.now();
  await sampler.sampleProcesses();
  const coldMs = performance.now() - started;
  const times: number[] = [];
  for (let scan = 0; scan < scans; scan += 1) {
    started = performance.now();
    await sampler.sampleProcesses();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  sampler.close();
  return { tree: label, processes, coldMs, medianMs: percentile(times, 0.5), p95Ms: percentile(times, 0.95), scans };
}

/** One full process scan: on this machine's /proc, and on generated trees of 1,000 and 10,000 processes. */
export async function measureSamplerSpeed(quick: boolean): Promise<SamplerSpeed[]> {
  const results = [await timeScans('this machine (/proc)', new LinuxSampler(), processCount(), quick ? 30 : 200)];
  for (const count of [1000, 10_000]) {
    const tree = generateProcTree(count);
    try {
      results.push(await timeScans(`generated ${count}`, new LinuxSampler({ procRoot: tree.root }), count, count >= 10_000 ? (quick ? 5 : 30) : quick ? 20 : 100));
    } finally {
      tree.remove();
    }
  }
  return results;
}
