import { cpus } from 'node:os';
import { SCENARIOS } from '../scenarios/definitions.js';
import { LabEngine } from '../src/lab/lab-engine.js';
import { sleep } from './pty-process.js';

export interface LabPoint {
  scenario: string;
  workers: number;
  coresUsed: number | null;
  unitsPerSecond: number;
  speedup: number | null;
  wallSeconds: number;
}

/** Each experiment at 1 .. cores workers and at 2 x cores: cores used, work per second, speedup. */
export async function measureLabSpeedups(seconds: number): Promise<LabPoint[]> {
  const cores = cpus().length;
  const counts = [...Array.from({ length: cores }, (_, index) => index + 1), 2 * cores];
  const engine = new LabEngine({ cores });
  const points: LabPoint[] = [];
  try {
    for (const scenario of SCENARIOS) {
      const workerCounts = scenario.fixedWorkers !== undefined ? [scenario.fixedWorkers] : counts;
      let baseline: number | null = null;
      for (const workers of workerCounts) {
        await engine.start(scenario.id, { workers, jobSeconds: seconds });
        const result = scenario.finite ? await engine.whenDone() : (await sleep(seconds * 1000), await engine.stop());
        if (!result) continue;
        if (workers === 1) baseline = result.unitsPerSecond;
        points.push({
          scenario: scenario.id,
          workers,
          coresUsed: result.coresUsed,
          unitsPerSecond: result.unitsPerSecond,
          speedup: baseline ? result.unitsPerSecond / baseline : null,
          wallSeconds: result.wallSeconds,
        });
      }
    }
  } finally {
    await engine.stop();
    engine.killNow();
  }
  return points;
}
