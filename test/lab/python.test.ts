import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { LabEngine, type StartOptions } from '../../src/lab/lab-engine.js';
import type { RunResult } from '../../src/model/lab-types.js';
import { BIN } from '../helpers/pty-session.js';
import { isAlive } from '../helpers/processes.js';
import { allGone, childrenOf, coresUsedBy } from '../helpers/proc-measure.js';

const CORES = cpus().length;
const HAS_PYTHON = spawnSync('python3', ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)']).status === 0;

/** The same claims as for the simulated experiments, made by real CPython. */
describe('real Python in the lab', { skip: (process.platform !== 'linux' || !HAS_PYTHON) && 'needs Linux and python3 >= 3.8', timeout: 180_000 }, () => {
  const engine = new LabEngine({ cores: CORES });
  const ownChildren = childrenOf(process.pid);
  const labChildren = (): number[] => childrenOf(process.pid).filter((pid) => !ownChildren.includes(pid));
  after(() => engine.killNow());

  /** Every PID of a run: the Python process and any it forked. */
  const runPids = (): number[] => [...new Set([...(engine.snapshot()?.pids ?? []), ...(engine.snapshot()?.workerStates.map((worker) => worker.pid) ?? [])])];

  async function finite(id: string, options: StartOptions): Promise<RunResult> {
    await engine.start(id, options);
    const pids = runPids();
    const result = await engine.whenDone();
    assert.ok(result);
    assert.ok(await allGone(pids, 5000, isAlive), `${id} left ${pids.filter(isAlive).join(', ')}`);
    assert.deepEqual(labChildren(), []);
    return result;
  }

  test('pure-Python threads: one PID, named TIDs, about one core in all (the real GIL)', async () => {
    await engine.start('py-gil-threads', { workers: 4 });
    const run = engine.snapshot();
    assert.ok(run);
    assert.equal(run.pids.length, 1);
    assert.deepEqual(run.workerStates.map((worker) => worker.name), ['py-gil-1', 'py-gil-2', 'py-gil-3', 'py-gil-4']);
    assert.ok(run.workerStates.every((worker) => worker.tid !== null && worker.tid !== worker.pid));
    const cores = await coresUsedBy(run.pids, 3);
    assert.ok(cores <= 1.3, `pure-Python threads used ${cores.toFixed(2)} cores`);
    await engine.stop();
    assert.ok(await allGone(run.pids, 5000, isAlive));
  });

  test('threads hashing large buffers release the GIL: ~2 cores with 2 threads', async () => {
    await engine.start('py-free-threads', { workers: 2 });
    const run = engine.snapshot();
    const cores = await coresUsedBy(run?.pids ?? [], 3);
    assert.ok(cores >= Math.min(1.6, 0.8 * CORES), `hashing threads used ${cores.toFixed(2)} cores`);
    await engine.stop();
  });

  test('multiprocessing: a PID per worker, all cores', async () => {
    await engine.start('py-processes', { workers: 2 });
    const pids = runPids();
    const workers = engine.snapshot()?.workerStates ?? [];
    assert.equal(workers.length, 2);
    assert.equal(new Set(workers.map((worker) => worker.pid)).size, 2);
    const cores = await coresUsedBy(pids, 3);
    assert.ok(cores >= Math.min(1.6, 0.8 * CORES), `2 Python processes used ${cores.toFixed(2)} cores`);
    await engine.stop();
    assert.ok(await allGone(pids, 5000, isAlive), 'the forked workers are gone too');
  });

  test('the race: counter += 1 (read, yield, write) loses updates', async () => {
    const result = await finite('py-race', { workers: 2, count: 5000 });
    assert.equal(result.expected, 10_000);
    assert.ok((result.actual ?? Number.POSITIVE_INFINITY) < 10_000, `got ${result.actual}`);
  });

  test('lost results with fork: the parent gets 0; with a multiprocessing.Queue, all', async () => {
    const lost = await finite('py-lost-results', { workers: 2, count: 500 });
    assert.equal(lost.expected, 1000);
    assert.equal(lost.actual, 0);
    const queued = await finite('py-queue-results', { workers: 2, count: 500 });
    assert.equal(queued.actual, 1000);
  });

  test('fork memory: children that read the data copy it (reference counts); loading after the fork costs least', async () => {
    const megabytes = 48;
    const result = await finite('py-fork-memory', { workers: 2, megabytes });
    const totals = (result.details as { totals: { approach: string; uss: number }[] }).totals;
    const [hold, read, after] = totals.map((row) => row.uss / 1024 / 1024);
    assert.ok(hold !== undefined && read !== undefined && after !== undefined);
    assert.ok(read > hold + megabytes, `reading copies the pages: ${read.toFixed(0)} MB vs ${hold.toFixed(0)} MB`);
    assert.ok(read > after, `load, then fork (${read.toFixed(0)} MB) costs more than fork, then load (${after.toFixed(0)} MB)`);
  });

  test('side by side: simulated and real GIL both near one core', async () => {
    const result = await finite('py-vs-simulated-gil', { workers: 2 });
    const rows = (result.details as { rows: { workers: number; simulated: { coresUsed: number }; real: { coresUsed: number } }[] }).rows;
    assert.deepEqual(rows.map((row) => row.workers), [1, 2]);
    for (const row of rows) {
      assert.ok(row.simulated.coresUsed <= 1.3 && row.real.coresUsed <= 1.3, JSON.stringify(row));
    }
  });

  test('paratop killed with SIGKILL: the Python process and its forked workers end by themselves', async () => {
    const paratop = spawn(process.execPath, [BIN, 'lab', 'run', 'py-processes', '--workers', '2', '--seconds', '60'], { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    let pids: number[] = [];
    while (Date.now() < deadline) {
      const python = childrenOf(paratop.pid ?? 0);
      pids = [...python, ...python.flatMap((pid) => childrenOf(pid))];
      if (pids.length >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(pids.length >= 3, `python and its two workers started: ${pids.join(', ')}`);
    paratop.kill('SIGKILL');
    assert.ok(await allGone(pids, 5000, isAlive), `left running: ${pids.filter(isAlive).join(', ')}`);
  });
});

describe('without a usable python3', () => {
  test('the Python experiments are listed as unavailable, with the reason, and refused', () => {
    const env = { ...process.env, PARATOP_PYTHON: '/nonexistent/python3' };
    const list = JSON.parse(spawnSync(process.execPath, [BIN, 'lab', 'list', '--json'], { encoding: 'utf8', env }).stdout) as {
      id: string;
      runtime: string;
      available: boolean;
      reason: string | null;
    }[];
    const pythonOnes = list.filter((entry) => entry.runtime === 'python');
    assert.ok(pythonOnes.length >= 7);
    assert.ok(pythonOnes.every((entry) => entry.id.startsWith('py-') && !entry.available && /was not found on the PATH/.test(entry.reason ?? '')));
    assert.ok(list.filter((entry) => entry.runtime === 'node').every((entry) => entry.available));
    const run = spawnSync(process.execPath, [BIN, 'lab', 'run', 'py-gil-threads'], { encoding: 'utf8', env });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /py-gil-threads runs real Python, and \/nonexistent\/python3 was not found on the PATH/);
  });

  test('a free-threaded build is recognised and labelled', () => {
    // No free-threaded CPython exists on the test machine: a stand-in answers the probe as one would.
    const folder = mkdtempSync(join(tmpdir(), 'paratop-fake-python-'));
    try {
      const fake = join(folder, 'python3.13t');
      writeFileSync(fake, '#!/bin/sh\necho \'["3.13.1", true]\'\n');
      chmodSync(fake, 0o755);
      const list = JSON.parse(
        spawnSync(process.execPath, [BIN, 'lab', 'list', '--json'], { encoding: 'utf8', env: { ...process.env, PARATOP_PYTHON: fake } }).stdout,
      ) as { id: string; freeThreaded?: boolean; python?: string }[];
      const gil = list.find((entry) => entry.id === 'py-gil-threads');
      assert.equal(gil?.freeThreaded, true);
      assert.equal(gil?.python, '3.13.1');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
