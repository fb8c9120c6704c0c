import assert from 'node:assert/strict';
import { SCENARIOS } from '../../../src/lab/scenarios.js';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { LabEngine, type StartOptions } from '../../../src/lab/lab-engine.js';
import type { WorkloadSpec } from '../../../src/lab/protocol.js';
import { launchWorkload } from '../../../src/lab/launch-workload.js';
import { python } from '../../../src/lab/python-runtime.js';
import type { RunResult } from '../../../src/model/lab-types.js';
import { BIN } from '../../helpers/pty-session.js';
import { isAlive } from '../../helpers/processes.js';
import { allGone, childrenOf, coresUsedBy, processCpuSeconds } from '../../helpers/proc-measure.js';

const CORES = cpus().length;
const HAS_PYTHON =
  spawnSync('python3', ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)']).status === 0;
/** On a free-threaded build (no GIL) pure-Python threads use every core: the GIL claims do not hold there. */
const RUNTIME = HAS_PYTHON ? await python('python3') : null;
const NO_GIL =
  RUNTIME?.available === true &&
  RUNTIME.freeThreaded &&
  `python3 ${RUNTIME.version} is free-threaded: it has no GIL to measure`;
const LAB_SCRIPT = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'scenarios',
  'python',
  'paratop_lab.py',
);

/**
 * CPU use of every process an experiment runs, read from /proc while it runs, by PID: each PID's
 * CPU time over the time it was watched, from half a second after it was first seen.
 */
function watchCores(engine: LabEngine): { stop(): Map<number, number> } {
  const seen = new Map<
    number,
    { since: number; cpu: number | null; firstCpu: number | null; at: number; firstAt: number }
  >();
  const timer = setInterval(() => {
    const now = performance.now();
    for (const pid of engine.snapshot()?.pids ?? []) {
      const cpu = processCpuSeconds(pid);
      const entry = seen.get(pid);
      if (!entry) seen.set(pid, { since: now, cpu: null, firstCpu: null, at: now, firstAt: now });
      else if (cpu !== null && now - entry.since >= 500) {
        if (entry.firstCpu === null) Object.assign(entry, { firstCpu: cpu, firstAt: now });
        Object.assign(entry, { cpu, at: now });
      }
    }
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      const cores = new Map<number, number>();
      for (const [pid, entry] of seen) {
        if (entry.cpu !== null && entry.firstCpu !== null && entry.at - entry.firstAt >= 1000)
          cores.set(pid, (entry.cpu - entry.firstCpu) / ((entry.at - entry.firstAt) / 1000));
      }
      return cores;
    },
  };
}

/** The same claims as for the simulated experiments, made by real CPython. */
describe('real Python in the lab', {
  skip: (process.platform !== 'linux' || !HAS_PYTHON) && 'needs Linux and python3 >= 3.8',
  timeout: 180_000,
}, () => {
  const engine = new LabEngine({ cores: CORES });
  const ownChildren = childrenOf(process.pid);
  const labChildren = (): number[] => childrenOf(process.pid).filter((pid) => !ownChildren.includes(pid));
  after(() => engine.killNow());

  /** Every PID of a run: the Python process and any it forked. */
  const runPids = (): number[] => [
    ...new Set([
      ...(engine.snapshot()?.pids ?? []),
      ...(engine.snapshot()?.workerStates.map((worker) => worker.pid) ?? []),
    ]),
  ];

  async function finite(id: string, options: StartOptions): Promise<RunResult> {
    await engine.start(id, options);
    const pids = runPids();
    const result = await engine.whenDone();
    assert.ok(result);
    assert.ok(await allGone(pids, 5000, isAlive), `${id} left ${pids.filter(isAlive).join(', ')}`);
    assert.deepEqual(labChildren(), []);
    return result;
  }

  test('pure-Python threads: one PID, named TIDs, about one core in all (the real GIL)', { skip: NO_GIL }, async () => {
    await engine.start('py-gil-threads', { workers: 4 });
    const run = engine.snapshot();
    assert.ok(run);
    assert.equal(run.pids.length, 1);
    assert.deepEqual(
      run.workerStates.map((worker) => worker.name),
      ['py-gil-1', 'py-gil-2', 'py-gil-3', 'py-gil-4'],
    );
    assert.ok(run.workerStates.every((worker) => worker.tid !== null && worker.tid !== worker.pid));
    const cores = await coresUsedBy(run.pids, 3);
    assert.ok(cores <= 1.3, `pure-Python threads used ${cores.toFixed(2)} cores`);
    assert.ok(cores >= 0.5, `pure-Python threads used only ${cores.toFixed(2)} cores: are they running?`);
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

  test(
    'the race: counter += 1 with work between read and write loses updates, a ' + 'different number each run',
    async () => {
      const actuals: number[] = [];
      for (let run = 0; run < 4; run += 1) {
        const result = await finite('py-race', { workers: 2, count: 100_000 });
        assert.equal(result.expected, 200_000);
        actuals.push(result.actual ?? Number.POSITIVE_INFINITY);
      }
      assert.ok(
        actuals.some((actual) => actual < 200_000),
        `no run lost an update: ${actuals.join(', ')}`,
      );
      assert.ok(new Set(actuals).size >= 2, `the runs differ: ${actuals.join(', ')}`);
    },
  );

  test('lost results with fork: the parent gets 0; with a multiprocessing.Queue, all', async () => {
    const lost = await finite('py-lost-results', { workers: 2, count: 500 });
    assert.equal(lost.expected, 1000);
    assert.equal(lost.actual, 0);
    const queued = await finite('py-queue-results', { workers: 2, count: 500 });
    assert.equal(queued.actual, 1000);
  });

  test(
    'fork memory: children that read the data copy it (reference counts); loading ' +
      'after the fork costs less in all',
    async () => {
      const megabytes = 48;
      const result = await finite('py-fork-memory', { workers: 2, megabytes });
      // PSS: a page shared after fork() is split between its sharers, so the totals add up.
      const totals = (result.details as { totals: { approach: string; pss: number }[] }).totals;
      const [hold, read, after] = totals.map((row) => row.pss / 1024 / 1024);
      assert.ok(hold !== undefined && read !== undefined && after !== undefined);
      assert.ok(read > hold + megabytes, `reading copies the pages: ${read.toFixed(0)} MB vs ${hold.toFixed(0)} MB`);
      assert.ok(
        read > after + megabytes,
        `load, then fork (${read.toFixed(0)} MB) costs more than fork, then load (${after.toFixed(0)} MB)`,
      );
      assert.match(result.summary, /PSS in all/);
      assert.ok(result.perWorker.length === 9, 'the parent and both children of each approach are recorded');
    },
  );

  test('side by side: simulated and real GIL both near one core', { skip: NO_GIL }, async () => {
    const watched = watchCores(engine);
    const result = await finite('py-vs-simulated-gil', { workers: 2 });
    const measured = watched.stop();
    const rows = (
      result.details as {
        rows: {
          workers: number;
          simulated: { coresUsed: number | null } | null;
          real: { coresUsed: number | null } | null;
        }[];
      }
    ).rows;
    assert.deepEqual(
      rows.map((row) => row.workers),
      [1, 2],
    );
    for (const row of rows) {
      const figures = [row.simulated?.coresUsed, row.real?.coresUsed];
      assert.ok(
        figures.every((cores) => typeof cores === 'number' && cores >= 0.5 && cores <= 1.3),
        JSON.stringify(row),
      );
    }
    // The same claim from /proc, not from paratop: each of the four runs kept about one core busy.
    assert.equal(measured.size, 4, `four runs watched: ${[...measured.keys()].join(', ')}`);
    for (const [pid, cores] of measured)
      assert.ok(cores >= 0.5 && cores <= 1.3, `PID ${pid} used ${cores.toFixed(2)} cores`);
  });

  test("the run bound is passed to Python: the run's seconds and a margin", async () => {
    const specs: WorkloadSpec[] = [];
    const recording = new LabEngine({
      cores: CORES,
      launch: (program, spec, onMessage) => {
        specs.push(spec);
        return launchWorkload(program, spec, onMessage);
      },
    });
    try {
      await recording.start('py-gil-threads', { workers: 1, jobSeconds: 2 });
      await recording.stop();
    } finally {
      recording.killNow();
    }
    assert.equal(specs[0]?.maxSeconds, 32);
  });

  test('a Python workload ends by itself at its bound, even if nobody stops it', async () => {
    const spec = { mode: 'gil', workers: 1, namePrefix: 'py-bound', maxSeconds: 1 };
    // stdin stays open (as while paratop runs): only the bound can end it.
    const child = spawn('python3', ['-u', LAB_SCRIPT, JSON.stringify(spec)], { stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      const code = await new Promise((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
      assert.equal(code, 0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('a stop request ends the queue experiment gently, while results are still coming', async () => {
    await engine.start('py-queue-results', { workers: 2, count: 5_000_000 });
    const pids = runPids();
    await new Promise((resolve) => setTimeout(resolve, 800));
    const result = await engine.stop();
    assert.equal(result?.stoppedBy, 'asked', 'no signal was needed');
    assert.ok(await allGone(pids, 5000, isAlive));
  });

  test('modes that fork do so before any thread starts (Python 3.12+ warns otherwise)', async () => {
    // os.fork() checked: it refuses when the process already has a second thread.
    const wrapper = [
      'import os, runpy, sys, threading',
      'real_fork = os.fork',
      'def checked_fork():',
      '    if threading.active_count() > 1:',
      '        sys.stderr.write("forked with threads: %s\\n" % [t.name for t in threading.enumerate()])',
      '        os._exit(3)',
      '    return real_fork()',
      'os.fork = checked_fork',
      'sys.argv = sys.argv[1:]',
      'runpy.run_path(sys.argv[0], run_name="__main__")',
    ].join('\n');
    for (const mode of ['processes', 'lost', 'queue', 'load-then-fork', 'fork-then-load']) {
      const spec = { mode, workers: 2, count: 200, megabytes: 4, namePrefix: 'py-fork-check', maxSeconds: 20 };
      const child = spawn('python3', ['-u', '-c', wrapper, LAB_SCRIPT, JSON.stringify(spec)], {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, PYTHONWARNINGS: 'error' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      // Every worker in, then stop it as paratop would.
      const deadline = Date.now() + 10_000;
      while (
        (stdout.match(/"type": "ready"/g) ?? []).length < (mode.includes('fork') && mode !== 'processes' ? 3 : 2) &&
        Date.now() < deadline &&
        child.exitCode === null
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      child.stdin.end('{"type": "stop"}\n');
      const code = await exited;
      assert.equal(code, 0, `${mode}: exit ${code}, ${stderr}`);
      assert.doesNotMatch(stderr, /forked with threads|Warning/, mode);
    }
  });

  // paratop killed with SIGKILL during py-processes: see sigkill-cleanup.test.ts.
});

describe('without a usable python3', () => {
  test('the Python experiments are listed as unavailable, with the reason, and refused', () => {
    const env = { ...process.env, PARATOP_PYTHON: '/nonexistent/python3' };
    const list = JSON.parse(
      spawnSync(process.execPath, [BIN, 'lab', 'list', '--json'], { encoding: 'utf8', env }).stdout,
    ) as {
      id: string;
      runtime: string;
      available: boolean;
      reason: string | null;
      engine?: string;
    }[];
    // The engines (Dask, MPI, the GPU's libraries) look further than PARATOP_PYTHON: see their own tests.
    const withEngine = new Set(SCENARIOS.filter((scenario) => scenario.engine).map((scenario) => scenario.id));
    const pythonOnes = list.filter((entry) => entry.runtime === 'python' && !withEngine.has(entry.id));
    assert.ok(pythonOnes.length >= 7);
    assert.ok(
      pythonOnes.every(
        (entry) =>
          entry.id.startsWith('py-') &&
          !entry.available &&
          /\/nonexistent\/python3 does not exist or is not executable/.test(entry.reason ?? ''),
      ),
    );
    assert.ok(list.filter((entry) => entry.runtime === 'node').every((entry) => entry.available));
    const run = spawnSync(process.execPath, [BIN, 'lab', 'run', 'py-gil-threads'], { encoding: 'utf8', env });
    assert.equal(run.status, 2);
    assert.match(
      run.stderr,
      /py-gil-threads runs real Python, and \/nonexistent\/python3 does not exist or is not executable/,
    );
    const named = JSON.parse(
      spawnSync(process.execPath, [BIN, 'lab', 'list', '--json'], {
        encoding: 'utf8',
        env: { ...env, PARATOP_PYTHON: 'no-such-python-xyz' },
      }).stdout,
    ) as { reason: string | null }[];
    assert.ok(named.some((entry) => entry.reason === 'no-such-python-xyz was not found on the PATH'));
  });

  test("each command is asked on its own: a second command is not answered from the first one's probe", async () => {
    const missing = await python('/nonexistent/python3');
    assert.equal(missing.available, false);
    const real = await python('python3');
    assert.equal(real.available, HAS_PYTHON);
  });

  test('the real python3 is probed for free threading: a definite answer that matches its build', {
    skip: !HAS_PYTHON && 'needs python3',
  }, async () => {
    const runtime = await python('python3');
    assert.ok(runtime.available);
    assert.equal(typeof runtime.freeThreaded, 'boolean');
    const built = spawnSync('python3', ['-c', "import sysconfig; print(sysconfig.get_config_var('Py_GIL_DISABLED'))"], {
      encoding: 'utf8',
    }).stdout.trim();
    // Built without a GIL (Py_GIL_DISABLED 1) is free-threaded unless the GIL was turned back on (PYTHON_GIL=1).
    assert.equal(runtime.freeThreaded, built === '1' && process.env.PYTHON_GIL !== '1', `Py_GIL_DISABLED=${built}`);
  });

  test('a free-threaded build is recognised and labelled', () => {
    // No free-threaded CPython exists on the test machine: a stand-in answers the probe as one would.
    const folder = mkdtempSync(join(tmpdir(), 'paratop-fake-python-'));
    try {
      const fake = join(folder, 'python3.13t');
      writeFileSync(fake, '#!/bin/sh\necho \'["3.13.1", true]\'\n');
      chmodSync(fake, 0o755);
      const list = JSON.parse(
        spawnSync(process.execPath, [BIN, 'lab', 'list', '--json'], {
          encoding: 'utf8',
          env: { ...process.env, PARATOP_PYTHON: fake },
        }).stdout,
      ) as { id: string; freeThreaded?: boolean; python?: string }[];
      const gil = list.find((entry) => entry.id === 'py-gil-threads');
      assert.equal(gil?.freeThreaded, true);
      assert.equal(gil?.python, '3.13.1');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
