import assert from 'node:assert/strict';
import { cpus } from 'node:os';
import { after, afterEach, describe, test } from 'node:test';
import { LabEngine, LabRequestError } from '../../../src/lab/lab-engine.js';
import { type LaunchedWorkload, launchWorkload } from '../../../src/lab/launch-workload.js';
import type { ToEngine, ToWorkload, WorkloadSpec } from '../../../src/lab/protocol.js';
import { isAlive } from '../../helpers/processes.js';
import { allGone, childrenOf, coresUsedBy, threadName } from '../../helpers/proc-measure.js';

const CORES = cpus().length;

describe('the lab engine on real threads and processes', {
  skip: process.platform !== 'linux',
  timeout: 120_000,
}, () => {
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
    assert.deepEqual(
      run.workerStates.map((worker) => worker.name),
      ['gil-worker-1', 'gil-worker-2', 'gil-worker-3', 'gil-worker-4'],
    );
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
    assert.deepEqual(
      run.workerStates.map((worker) => worker.tid),
      run.pids,
      'a process worker computes on its main thread',
    );
    assert.deepEqual(
      run.pids.map((pid) => threadName(pid, pid)),
      ['proc-worker-1', 'proc-worker-2'],
    );
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
    assert.match(
      double.summary,
      /^2 workers for \d+\.\d s: \d\.\d\d cores busy on average, \d\.\d\dx the work of one worker\.$/,
    );
  });

  test('threads with arguments and join: ends by itself, each thread returns its result', async () => {
    await engine.start('threads-join', { workers: 3, jobSeconds: 0.5 });
    const run = engine.snapshot();
    assert.equal(run?.pids.length, 1);
    const result = await engine.whenDone();
    assert.ok(result);
    assert.equal(result.stoppedBy, 'finished');
    assert.deepEqual(
      result.joined.map((entry) => entry.index),
      [1, 2, 3],
    );
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
    await assert.rejects(
      engine.start('nope', { workers: 1 }),
      (error) => error instanceof LabRequestError && /unknown scenario "nope"/.test(error.message),
    );
    await assert.rejects(engine.start('processes', { workers: 0 }), /workers must be a whole number from 1 to/);
    await assert.rejects(engine.start('processes', { workers: 1000 }), /workers must be a whole number from 1 to/);
    await assert.rejects(engine.start('one-thread', { workers: 3 }), /one-thread always runs 1 worker; got 3/);
    assert.equal(engine.running, false);
    assert.equal(childrenOf(process.pid).length, before);
  });
});

describe('a stop while a start is on its way', { skip: process.platform !== 'linux', timeout: 30_000 }, () => {
  test('the start is cancelled: no run, no process, and a later start still works', async () => {
    // A fresh engine in a process that has run none yet: the experiments' code is still to load.
    const engine = new LabEngine({ cores: CORES });
    try {
      const starting = engine.start('one-thread', { workers: 1 });
      assert.equal(await engine.stop(), null, 'nothing ran yet');
      await starting;
      assert.equal(engine.snapshot(), null, 'the start was cancelled');
      assert.deepEqual(engine.pids(), []);
      await engine.start('one-thread', { workers: 1 });
      assert.equal(engine.snapshot()?.scenarioId, 'one-thread');
    } finally {
      await engine.stop();
      engine.killNow();
    }
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
        // Deaf to "stop" only: it still hears "go", and works.
        send: (message) => message.type !== 'stop' && workload.send(message),
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

/**
 * Workloads that are not processes: each answers as a script says, at once, so what the engine does
 * with messages that come early (during start-up) or late (at stop) is tested exactly.
 */
function scripted(script: {
  onStart(spec: WorkloadSpec, say: (message: ToEngine) => void, pid: number): void;
  onStop?(spec: WorkloadSpec, say: (message: ToEngine) => void): void;
}): {
  launch: typeof launchWorkload;
  received: ToWorkload[];
} {
  const received: ToWorkload[] = [];
  // Above any possible PID (Linux's pid_max is at most 2^22): a stray signal can reach no one.
  let nextPid = 5_000_000;
  const launch: typeof launchWorkload = async (_program, spec, onMessage) => {
    nextPid += 1;
    const pid = nextPid;
    let end: () => void = () => undefined;
    let alive = true;
    const ended = new Promise<{ code: number | undefined; signal: string | undefined; stderr: string }>((resolve) => {
      end = () => {
        alive = false;
        resolve({ code: 0, signal: undefined, stderr: '' });
      };
    });
    // Everything in one go, as a fast worker's messages can arrive together in one read.
    setImmediate(() => script.onStart(spec, onMessage, pid));
    const workload: LaunchedWorkload = {
      pid,
      ended,
      get alive() {
        return alive;
      },
      send(message) {
        received.push(message);
        if (message.type === 'stop') {
          script.onStop?.(spec, onMessage);
          setImmediate(end);
        }
      },
      kill: () => end(),
    };
    return workload;
  };
  return { launch, received };
}

describe('messages at the edges of a run', () => {
  test('results a worker sends straight after reporting in, before the group has started, all arrive', async () => {
    const { launch, received } = scripted({
      onStart(spec, say, pid) {
        say({ type: 'ready', index: spec.firstIndex, pid, tid: pid, name: `queue-worker-${spec.firstIndex}` });
        // Sent in the same breath as the last "ready": before start() has returned to the experiment.
        say({ type: 'items', index: spec.firstIndex, values: Array.from({ length: spec.count ?? 0 }, (_, at) => at) });
        say({ type: 'progress', units: [spec.count ?? 0] });
        say({ type: 'finished' });
      },
    });
    const engine = new LabEngine({ cores: 2, launch });
    await engine.start('queue-results', { workers: 4, count: 250 });
    const result = await engine.whenDone();
    assert.equal(result?.expected, 1000);
    assert.equal(result?.actual, 1000);
    assert.ok(
      received.some((message) => message.type === 'go'),
      'the workers were told to go once all had reported in',
    );
  });

  test(
    'stopped while working: the work is the count each worker sends as it stops, not ' + 'the last periodic report',
    async () => {
      const { launch } = scripted({
        onStart(spec, say, pid) {
          say({ type: 'ready', index: spec.firstIndex, pid, tid: pid, name: `proc-worker-${spec.firstIndex}` });
          say({ type: 'progress', units: [0] });
        },
        onStop(_spec, say) {
          // A periodic report already on its way when the stop came, then the worker's last, exact count.
          say({ type: 'progress', units: [999] });
          say({ type: 'progress', units: [1234], final: true });
        },
      });
      const engine = new LabEngine({ cores: 2, launch });
      await engine.start('processes', { workers: 2 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const result = await engine.stop();
      assert.equal(result?.units, 2468);
      assert.deepEqual(
        result?.perWorker.map((worker) => worker.units),
        [1234, 1234],
      );
      assert.ok(
        result && result.wallSeconds >= 0.25 && result.wallSeconds < 1,
        `timed to the stop request: ${result?.wallSeconds}`,
      );
    },
  );
});
