import assert from 'node:assert/strict';
import { cpus } from 'node:os';
import { after, afterEach, describe, test } from 'node:test';
import { LabEngine, LabRequestError } from '../../src/lab/lab-engine.js';
import { launchWorkload } from '../../src/lab/launch-workload.js';
import { isAlive } from '../helpers/processes.js';
import { allGone, childrenOf, coresUsedBy, threadName } from '../helpers/proc-measure.js';

const CORES = cpus().length;

describe('the lab engine on real threads and processes', { skip: process.platform !== 'linux', timeout: 120_000 }, () => {
  const engine = new LabEngine({ cores: CORES });
  afterEach(async () => {
    await engine.stop();
  });
  after(() => engine.killNow());

  test('GIL-like threads: one PID, a named TID per worker, at most ~1.3 cores however many threads', async () => {
    await engine.start('gil-threads', { workers: 4 });
    const run = engine.snapshot();
    assert.ok(run);
    assert.equal(run.pids.length, 1, 'threads live in one process');
    const [pid] = run.pids;
    const tids = run.workerStates.map((worker) => worker.tid);
    assert.equal(new Set(tids).size, 4);
    for (const worker of run.workerStates) {
      assert.equal(worker.pid, pid);
      assert.notEqual(worker.tid, pid);
      assert.equal(threadName(worker.pid, worker.tid ?? 0), worker.name, 'the kernel knows the thread by its name');
    }
    assert.deepEqual(run.workerStates.map((worker) => worker.name), ['gil-worker-1', 'gil-worker-2', 'gil-worker-3', 'gil-worker-4']);
    const cores = await coresUsedBy(run.pids, 3);
    assert.ok(cores <= 1.3, `GIL-like threads used ${cores.toFixed(2)} cores`);
    assert.ok(cores >= 0.5, `GIL-like threads used only ${cores.toFixed(2)} cores: is anything running?`);
    const result = await engine.stop();
    assert.equal(result?.stoppedBy, 'asked', 'the workers stopped when asked');
    assert.ok(await allGone(run.pids, 3000, isAlive));
  });

  test('processes: one PID per worker, all cores busy (at least ~1.6 of 2)', async () => {
    await engine.start('processes', { workers: 2 });
    const run = engine.snapshot();
    assert.ok(run);
    assert.equal(run.pids.length, 2);
    assert.deepEqual(run.workerStates.map((worker) => worker.tid), run.pids, 'a process worker computes on its main thread');
    assert.deepEqual(run.pids.map((pid) => threadName(pid, pid)), ['proc-worker-1', 'proc-worker-2']);
    const cores = await coresUsedBy(run.pids, 3);
    assert.ok(cores >= Math.min(1.6, 0.8 * CORES), `2 processes used ${cores.toFixed(2)} cores`);
    await engine.stop();
    assert.ok(await allGone(run.pids, 3000, isAlive));
  });

  test('threads that release the lock: 2 threads use at least ~1.6 cores', async () => {
    await engine.start('free-threads', { workers: 2 });
    const run = engine.snapshot();
    assert.ok(run);
    const cores = await coresUsedBy(run.pids, 3);
    assert.ok(cores >= Math.min(1.6, 0.8 * CORES), `2 free threads used ${cores.toFixed(2)} cores`);
  });

  test('results: wall time, CPU time, cores used, work rate, per-core load, speedup against one worker', async () => {
    await engine.start('processes', { workers: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const single = await engine.stop();
    assert.ok(single);
    assert.ok(single.wallSeconds > 1.3 && single.wallSeconds < 2.5, `wall ${single.wallSeconds}`);
    assert.ok(single.cpuSeconds !== null && single.cpuSeconds > 1, `cpu ${single.cpuSeconds}`);
    assert.ok(single.units > 0 && single.unitsPerSecond > 0);
    assert.equal(single.perCore?.length, CORES);
    assert.equal(single.speedup, null, 'no baseline before the first one-worker run');

    await engine.start('processes', { workers: 2 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const double = await engine.stop();
    assert.ok(double?.speedup !== null && double?.speedup !== undefined);
    if (CORES >= 2) assert.ok(double.speedup > 1.4, `speedup of 2 processes: ${double.speedup}`);
    assert.match(double.summary, /^2 workers for \d+\.\d s: \d\.\d\d cores busy on average, \d\.\d\dx the work of one worker\.$/);
  });

  test('threads with arguments and join: ends by itself, each thread returns its result', async () => {
    await engine.start('threads-join', { workers: 3, jobSeconds: 0.5 });
    const run = engine.snapshot();
    assert.equal(run?.pids.length, 1);
    const result = await engine.whenDone();
    assert.ok(result);
    assert.equal(result.stoppedBy, 'finished');
    assert.deepEqual(result.joined.map((entry) => entry.index), [1, 2, 3]);
    const throws = result.joined.reduce((sum, entry) => sum + entry.argument, 0);
    const hits = result.joined.reduce((sum, entry) => sum + entry.result, 0);
    assert.ok(Math.abs((4 * hits) / throws - Math.PI) < 0.01, `pi estimate ${(4 * hits) / throws}`);
    assert.ok(await allGone(run?.pids ?? [], 3000, isAlive));
  });

  test('starting another scenario first stops the running one', async () => {
    await engine.start('processes', { workers: 2 });
    const first = engine.snapshot()?.pids ?? [];
    await engine.start('one-thread', { workers: 1 });
    assert.ok(await allGone(first, 3000, isAlive), 'the first run’s processes are gone');
    assert.equal(engine.snapshot()?.scenarioId, 'one-thread');
  });

  test('a worker killed from outside is noted; when all are gone the run ends', async () => {
    await engine.start('processes', { workers: 2 });
    const [first, second] = engine.snapshot()?.pids ?? [];
    assert.ok(first && second);
    process.kill(first, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const run = engine.snapshot();
    assert.equal(run?.workerStates.find((worker) => worker.pid === first)?.exit, 'killed by SIGTERM');
    assert.equal(run?.phase, 'running', 'the other worker carries on');
    process.kill(second, 'SIGKILL');
    const result = await engine.whenDone();
    assert.equal(result?.stoppedBy, 'exited');
    assert.equal(engine.running, false);
  });

  test('bad requests are refused before anything starts', async () => {
    const before = childrenOf(process.pid).length;
    await assert.rejects(engine.start('nope', { workers: 1 }), (error) => error instanceof LabRequestError && /unknown scenario "nope"/.test(error.message));
    await assert.rejects(engine.start('processes', { workers: 0 }), /workers must be a whole number from 1 to/);
    await assert.rejects(engine.start('processes', { workers: 1000 }), /workers must be a whole number from 1 to/);
    await assert.rejects(engine.start('one-thread', { workers: 3 }), /one-thread always runs 1 worker; got 3/);
    assert.equal(engine.running, false);
    assert.equal(childrenOf(process.pid).length, before);
  });
});

describe('stopping in stages', { skip: process.platform !== 'linux', timeout: 30_000 }, () => {
  test('a workload that ignores the request and SIGTERM is killed', async () => {
    // A real process-worker, made deaf: it ignores "stop" and SIGTERM.
    const stubborn: typeof launchWorkload = async (program, spec, onMessage) => {
      const workload = await launchWorkload(program, spec, onMessage);
      return {
        pid: workload.pid,
        ended: workload.ended,
        get alive() {
          return workload.alive;
        },
        kill: (signal) => signal === 'SIGKILL' && workload.kill(signal),
        send: () => undefined,
      };
    };
    const engine = new LabEngine({ cores: CORES, launch: stubborn, stageMs: { ask: 300, terminate: 300, kill: 2000 } });
    await engine.start('processes', { workers: 1 });
    const pids = engine.pids();
    const result = await engine.stop();
    assert.equal(result?.stoppedBy, 'killed');
    assert.ok(await allGone(pids, 3000, isAlive));
  });
});
