import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { findEngine } from '../../../src/lab/engine-runtime.js';
import type { TaskRecord } from '../../../src/lab/grid-events.js';
import type { RunResult } from '../../../src/model/lab-types.js';
import { labSession } from '../../helpers/lab-session.js';

/**
 * grid-search on a real Dask cluster and a real MPI job, as the Debian packages give them (CI
 * installs them with apt-get; elsewhere these skip, naming what to install). A small grid: 3x3x2
 * fits of 200 ms on 2 workers, a few seconds each.
 */
const dask = await findEngine('dask');
const mpi = await findEngine('mpi');
const GRID = { workers: 2, grid: [3, 3, 2], taskMs: 200 };
const TASKS = 18;

function records(result: RunResult): TaskRecord[] {
  return (result.details?.taskRecords ?? []) as TaskRecord[];
}

/** Every task done once: the engine lost none and ran none twice to the end. */
function assertEveryTaskOnce(result: RunResult, total: number): void {
  const done = records(result).map((task) => task.task);
  assert.deepEqual(
    done,
    Array.from({ length: total }, (_, task) => task),
  );
  assert.deepEqual(result.details?.duplicates, []);
}

/** The most tasks running at once, from the tasks' own start and end times (their clocks, not paratop's). */
function mostAtOnce(tasks: readonly TaskRecord[]): number {
  return Math.max(
    0,
    ...tasks.map((task) => tasks.filter((other) => other.start <= task.start && task.start < other.end).length),
  );
}

/**
 * Tasks in flight on average: their summed run times over the grid's wall time, from the tasks'
 * own clocks. A shared machine stretches each fit, but two workers kept busy still make about 2.
 */
function inFlight(result: RunResult): number {
  const busy = records(result).reduce((sum, task) => sum + (task.end - task.start), 0);
  return busy / Math.max(1e-9, result.wallSeconds);
}

/** 2 workers on 2 cores: about 2, less what others take; the message says how busy /proc found the machine. */
function assertSpeedup(result: RunResult, before: { busy: number; total: number }): void {
  const after = cpuTicks();
  const busy = (after.busy - before.busy) / Math.max(1, after.total - before.total);
  const figures =
    `speedup ${result.speedup?.toFixed(2)}, ${inFlight(result).toFixed(2)} in flight, ` +
    `machine ${(busy * 100).toFixed(0)}% busy`;
  assert.ok(inFlight(result) > 1.6, `both workers kept busy: ${figures}`);
  assert.ok((result.speedup ?? 0) > 1.15 && (result.speedup ?? 0) < 2.3, figures);
}

/** The machine's busy and total CPU ticks, from /proc/stat: how much else was running during a test. */
function cpuTicks(): { busy: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** Nothing listens on the port any more (checked in /proc/net/tcp, state 0A = LISTEN). */
function listening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].some((file) => {
    try {
      return readFileSync(file, 'utf8')
        .split('\n')
        .some((line) => {
          const words = line.trim().split(/\s+/);
          return words[1]?.endsWith(`:${hex}`) && words[3] === '0A';
        });
    } catch {
      return false;
    }
  });
}

/** Wait until the run's process table has a process of this name; its PID. */
async function processNamed(
  session: ReturnType<typeof labSession>,
  name: RegExp,
  doneAtLeast: number,
): Promise<number> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const snapshot = session.engine.snapshot();
    const done = Number(/(\d+) of \d+ fits done/.exec(snapshot?.step ?? '')?.[1] ?? 0);
    const found = snapshot?.workerStates.find((worker) => name.test(worker.name) && worker.tid === worker.pid);
    if (found && done >= doneAtLeast) return found.pid;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no process named ${name} in the run, or too few fits done`);
}

describe('grid-search on Dask: a local cluster on loopback', {
  skip:
    (process.platform !== 'linux' && 'reads /proc') || (!dask.available && `needs python3-distributed: ${dask.reason}`),
  timeout: 180_000,
}, () => {
  const session = labSession();

  test('3x3x2 fits of 200 ms on 2 workers: every task done once, about twice as fast, nothing left', async () => {
    const before = cpuTicks();
    const result = await session.run('grid-dask', GRID);
    assert.equal(result.stoppedBy, 'finished', result.summary);
    assertEveryTaskOnce(result, TASKS);
    const pids = new Set(records(result).map((task) => task.pid));
    assert.equal(pids.size, 2, 'both workers took tasks');
    assert.equal(mostAtOnce(records(result)), 2, 'two tasks ran at once');
    assertSpeedup(result, before);
    const scheduler = String(result.details?.scheduler ?? '');
    const port = Number(/:(\d+)$/.exec(scheduler)?.[1]);
    assert.ok(/^tcp:\/\/127\.0\.0\.1:\d+$/.test(scheduler), `on loopback: ${scheduler}`);
    assert.equal(listening(port), false, `nothing listens on ${port} any more`);
    const prediction = result.details?.prediction as { rounds: number; runtimeSeconds: number };
    assert.equal(prediction.rounds, 9);
  });

  test('a worker killed mid-run: Dask runs its task on the other, and the grid completes', async () => {
    await session.engine.start('grid-dask', { ...GRID, grid: [4, 4, 2] });
    const victim = await processNamed(session, /^dask-worker-1$/, 4);
    process.kill(victim, 'SIGKILL');
    const result = await session.engine.whenDone();
    assert.ok(result);
    assert.equal(result.stoppedBy, 'finished', result.summary);
    assertEveryTaskOnce(result, 32);
    assert.ok(
      ((result.details?.rerun ?? []) as number[]).length >= 1,
      `rerun: ${JSON.stringify(result.details?.rerun)}`,
    );
    assert.ok(
      records(result).some((task) => task.pid !== victim),
      'the other worker finished the grid',
    );
    assert.match((result.lines ?? []).join('\n'), /Rerun after their worker died: task/);
    assert.deepEqual(session.labChildren(), [], 'nothing left running');
  });
});

describe('grid-search on MPI: mpirun and an mpi4py.futures pool', {
  skip:
    (process.platform !== 'linux' && 'reads /proc') ||
    (!mpi.available && `needs openmpi-bin python3-mpi4py: ${mpi.reason}`),
  timeout: 180_000,
}, () => {
  const session = labSession();

  test('3x3x2 fits of 200 ms on 2 ranks: every task done once, about twice as fast, nothing left', async () => {
    const before = cpuTicks();
    const result = await session.run('grid-mpi', GRID);
    assert.equal(result.stoppedBy, 'finished', result.summary);
    assertEveryTaskOnce(result, TASKS);
    assert.equal(new Set(records(result).map((task) => task.pid)).size, 2, 'both ranks took tasks');
    assert.equal(mostAtOnce(records(result)), 2, 'two tasks ran at once');
    assertSpeedup(result, before);
  });

  test('a rank killed mid-run ends the whole job, and the result says why', async () => {
    await session.engine.start('grid-mpi', { ...GRID, grid: [4, 4, 2] });
    const victim = await processNamed(session, /^mpi-rank-[12]$/, 2);
    process.kill(victim, 'SIGKILL');
    const result = await session.engine.whenDone();
    assert.ok(result);
    assert.equal(result.stoppedBy, 'exited');
    assert.ok((result.actual ?? 0) < 32, 'the grid was not finished');
    assert.match(result.summary, /when one rank dies, MPI ends the whole job/);
    assert.deepEqual(session.labChildren(), [], 'nothing left running');
  });
});
