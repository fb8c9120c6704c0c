import { cpus } from 'node:os';
import { SCENARIOS, type ScenarioDefinition } from '../src/lab/scenarios.js';
import { LabEngine } from '../src/lab/lab-engine.js';
import { python } from '../src/lab/python-runtime.js';
import { createTaskProbe } from '../src/sampler/create-probes.js';
import type { TaskProbe } from '../src/sampler/task-probe.js';
import { type CoreTicks, TICKS_PER_SECOND, readCoreTicks, readPidTicks } from './proc-stat.js';
import { sleep } from './pty-process.js';

export interface LabPoint {
  scenario: string;
  workers: number;
  /** paratop's own figure: the workers' CPU time over the run / wall time */
  coresUsed: number | null;
  /** the bench's: utime+stime of the same processes read from /proc by bench/proc-stat.ts, same moments */
  coresUsedProc: number | null;
  /** the rest of the machine (all cores busy minus the workers), in cores: how idle the machine was */
  otherCores: number | null;
  unitsPerSecond: number;
  speedup: number | null;
  wallSeconds: number;
}

export interface LabSkip {
  scenario: string;
  reason: string;
}

/** What a scenario is expected to reach (issue 4), from its definition. */
export type LabTarget = 'speedup' | 'one-core' | null;

/**
 * The experiments that measure a steady workload: workers doing the same work until stopped (or, for
 * threads-join, each a job of the same size, timed to completion). The others (race, sweep, compare,
 * fork-memory, grid search, side by side...) are experiments about something else, with no work rate.
 */
export function speedupScenarios(scenarios: readonly ScenarioDefinition[] = SCENARIOS): ScenarioDefinition[] {
  return scenarios.filter((scenario) => scenario.procedure === 'steady');
}

/**
 * Processes and threads that release the lock must scale to the core count (speedup at `cores`
 * workers >= 0.95 x cores); threads under a GIL (simulated, or CPython's own unless free-threaded)
 * must stay under 1.05 cores at every count.
 */
export function labTarget(scenario: ScenarioDefinition, freeThreadedPython = false): LabTarget {
  if (scenario.fixedWorkers === 1) return null;
  if (scenario.mode === 'gil') return scenario.runtime === 'python' && freeThreadedPython ? null : 'one-core';
  if (scenario.kind === 'processes' || scenario.mode === 'released') return 'speedup';
  return null;
}

export function workerCounts(scenario: ScenarioDefinition, cores: number): number[] {
  if (scenario.fixedWorkers !== undefined) return [scenario.fixedWorkers];
  return [...Array.from({ length: cores }, (_, index) => index + 1), 2 * cores];
}

interface Mark {
  at: number;
  cores: CoreTicks[];
}

/**
 * paratop's task probe, with the bench reading /proc itself (bench/proc-stat.ts) in the same
 * synchronous step each time paratop reads: its run's window opens and closes with a reading of the
 * cores (coreTimes), and every reading of a worker's CPU time is doubled by the bench's own. The
 * independent figures thus cover paratop's window to within microseconds.
 */
class WitnessProbe implements TaskProbe {
  marks: Mark[] = [];
  readonly own = new Map<number, { at: number; ticks: number }[]>();

  constructor(private readonly inner: TaskProbe) {}

  reset(): void {
    this.marks = [];
    this.own.clear();
  }

  processCpuSeconds(pid: number): number | null {
    const ticks = readPidTicks(pid);
    if (ticks !== null) {
      const list = this.own.get(pid) ?? [];
      list.push({ at: performance.now(), ticks });
      this.own.set(pid, list);
    }
    return this.inner.processCpuSeconds(pid);
  }

  threadCpuSeconds(pid: number, tid: number): number | null {
    return this.inner.threadCpuSeconds(pid, tid);
  }

  coreTimes(): ReturnType<TaskProbe['coreTimes']> {
    this.marks.push({ at: performance.now(), cores: readCoreTicks() });
    return this.inner.coreTimes();
  }

  contextSwitches(pid: number, tid: number): number | null {
    return this.inner.contextSwitches(pid, tid);
  }

  memory(pid: number): ReturnType<TaskProbe['memory']> {
    return this.inner.memory(pid);
  }

  threadState(pid: number, tid: number): string | null {
    return this.inner.threadState(pid, tid);
  }

  placement(pid: number, tid: number): ReturnType<TaskProbe['placement']> {
    return this.inner.placement(pid, tid);
  }

  /** Workers' CPU (cores) and the rest of the machine's, between the first and the last reading of the cores. */
  independent(): { cores: number; other: number | null } | null {
    const first = this.marks[0];
    const last = this.marks.at(-1);
    if (!first || !last || last === first) return null;
    const seconds = (last.at - first.at) / 1000;
    let ticks = 0;
    for (const list of this.own.values()) {
      // The first reading at or after the window opened, the last one at or before it closed.
      const start = list.find((reading) => reading.at >= first.at);
      const end = list.findLast((reading) => reading.at <= last.at);
      if (start && end) ticks += end.ticks - start.ticks;
    }
    const cores = ticks / TICKS_PER_SECOND / seconds;
    let busy = 0;
    let total = 0;
    for (const [id, after] of last.cores.entries()) {
      const before = first.cores[id];
      if (!before || !after) continue;
      busy += after.busy - before.busy;
      total += after.total - before.total;
    }
    const machineCores = total > 0 ? (busy / total) * last.cores.length : null;
    return { cores, other: machineCores === null ? null : Math.max(0, machineCores - cores) };
  }
}

/**
 * The steady experiments at 1 .. cores workers and at 2 x cores (one-thread: its one worker):
 * cores used (paratop's figure and the bench's own from /proc), work per second, speedup against
 * one worker. Python experiments are skipped, with the reason, when python3 cannot be used.
 */
export async function measureLabSpeedups(
  seconds: number,
  onProgress: (line: string) => void = () => undefined,
  options: { scenarios?: readonly ScenarioDefinition[]; pythonCommand?: string } = {},
): Promise<{ points: LabPoint[]; skipped: LabSkip[]; freeThreadedPython: boolean }> {
  const cores = cpus().length;
  const probe = new WitnessProbe(createTaskProbe());
  const engine = new LabEngine({ cores, probe });
  const points: LabPoint[] = [];
  const skipped: LabSkip[] = [];
  const found = await python(options.pythonCommand);
  try {
    for (const scenario of options.scenarios ?? speedupScenarios()) {
      if (scenario.runtime === 'python' && !found.available) {
        skipped.push({ scenario: scenario.id, reason: found.reason });
        onProgress(`  skipping ${scenario.id}: ${found.reason}`);
        continue;
      }
      let baseline: number | null = null;
      for (const workers of workerCounts(scenario, cores)) {
        onProgress(`  ${scenario.id}, ${workers} worker${workers === 1 ? '' : 's'}…`);
        probe.reset();
        try {
          await engine.start(scenario.id, { workers, jobSeconds: seconds });
          if (!scenario.finite) await sleep(seconds * 1000);
          const result = scenario.finite ? await engine.whenDone() : await engine.stop();
          if (!result) throw new Error('the run ended without a result');
          if (workers === 1) baseline = result.unitsPerSecond;
          const own = probe.independent();
          points.push({
            scenario: scenario.id,
            workers,
            coresUsed: result.coresUsed,
            coresUsedProc: own?.cores ?? null,
            otherCores: own?.other ?? null,
            unitsPerSecond: result.unitsPerSecond,
            speedup: baseline ? result.unitsPerSecond / baseline : null,
            wallSeconds: result.wallSeconds,
          });
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          skipped.push({ scenario: `${scenario.id} x${workers}`, reason });
          onProgress(`  ${scenario.id} x${workers} failed: ${reason}`);
          await engine.stop();
        }
      }
    }
  } finally {
    await engine.stop();
    engine.killNow();
  }
  return { points, skipped, freeThreadedPython: found.available && found.freeThreaded };
}
