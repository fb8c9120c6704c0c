import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RunResult } from '../src/model/lab-types.js';
import type { LatencyPoint, LatencyStep } from '../src/model/memory-ladder.js';
import type { CacheLevel } from '../src/model/types.js';
import { BIN } from './paths.js';

const run = promisify(execFile);

export interface MemoryLadder {
  seconds: number;
  points: LatencyPoint[];
  steps: LatencyStep[];
  /** The caches as `paratop info` reports them on this machine. */
  reported: CacheLevel[];
  summary: string;
}

/**
 * The machine's latency ladder, as a user gets it: `paratop lab run memory-hierarchy --json` (the real
 * bin, in a data folder of its own so the user's kept ladder is left alone), beside `paratop info`.
 */
export async function measureMemoryLadder(seconds: number): Promise<MemoryLadder> {
  const dataHome = mkdtempSync(join(tmpdir(), 'paratop-bench-'));
  try {
    const env = { ...process.env, XDG_DATA_HOME: dataHome };
    const { stdout } = await run(
      process.execPath,
      [BIN, 'lab', 'run', 'memory-hierarchy', '--seconds', String(seconds), '--json'],
      { env, maxBuffer: 16 * 1024 * 1024 },
    );
    const result = JSON.parse(stdout) as RunResult & {
      details: { points: LatencyPoint[]; steps: LatencyStep[]; reported: CacheLevel[] };
    };
    return {
      seconds,
      points: result.details.points,
      steps: result.details.steps,
      reported: result.details.reported,
      summary: result.summary,
    };
  } finally {
    rmSync(dataHome, { recursive: true, force: true });
  }
}
