import assert from 'node:assert/strict';
import { cpus } from 'node:os';
import { describe, test } from 'node:test';
import { findScenario } from '../../../src/lab/scenarios.js';
import { readCompareHistory } from '../../../src/lab/compare-history.js';
import { defaultWorkers, workerCountProblem } from '../../../src/lab/worker-counts.js';
import type { RunResult } from '../../../src/model/lab-types.js';
import { isAlive } from '../../helpers/processes.js';
import { labSession } from '../../helpers/lab-session.js';
import { allGone } from '../../helpers/proc-measure.js';

const CORES = cpus().length;

/** Measured claims of the lecture's second half, on real threads and processes. */
describe('lab experiments, part two', { skip: process.platform !== 'linux', timeout: 240_000 }, () => {
  const { engine, labChildren, run } = labSession();

  /** Every scenario records the PIDs and TIDs it ran on, as the others do. */
  function assertWorkersRecorded(result: RunResult, names: RegExp): void {
    assert.ok(result.perWorker.length > 0, `${result.scenarioId}: no workers in the result`);
    for (const worker of result.perWorker) {
      assert.ok(Number.isInteger(worker.pid) && worker.pid > 1, `${result.scenarioId}: PID ${worker.pid}`);
      assert.ok(worker.tid !== null && Number.isInteger(worker.tid), `${result.scenarioId}: TID ${worker.tid}`);
      assert.match(worker.name, names);
    }
  }

  test('race: the unprotected counter loses updates in at least one of a few runs', async () => {
    const lost: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const result = await run('race', { workers: 2, count: 300_000 });
      assert.equal(result.expected, 600_000);
      assert.equal(typeof result.actual, 'number');
      lost.push((result.expected ?? 0) - (result.actual ?? 0));
      assertWorkersRecorded(result, /^racer-[12]$/);
      assert.equal(
        new Set(result.perWorker.map((worker) => worker.pid)).size,
        1,
        'the racing threads share one process',
      );
    }
    assert.ok(
      lost.some((count) => count > 0),
      `no update was lost in 3 runs: ${lost.join(', ')}`,
    );
  });

  test('race fixed with a mutex: never loses one, and shows what it costs', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const result = await run('race-fixed', { workers: 2, count: 100_000 });
      assert.equal(result.actual, result.expected);
      assert.equal(result.expected, 200_000);
      const details = result.details as { racy: { seconds: number }; locked: { seconds: number }; cost: number };
      // What the mutex costs is measured and shown (by npm run bench's rules, timings are not asserted here).
      assert.ok(details.locked.seconds > 0 && details.racy.seconds > 0 && Number.isFinite(details.cost));
      assert.match(result.lines?.join('\n') ?? '', /mutex/i);
      assertWorkersRecorded(result, /^(racer|locked)-[12]$/);
    }
  });

  test('lost results: the parent gets nothing back; with a queue, everything', async () => {
    const lostResult = await run('lost-results', { workers: 2, count: 500 });
    assert.equal(lostResult.expected, 1000);
    assert.equal(lostResult.actual, 0);
    assert.deepEqual(
      (lostResult.details as { inChildren: number[] }).inChildren,
      [500, 500],
      'each child did append, to its own list',
    );
    const queued = await run('queue-results', { workers: 2, count: 500 });
    assert.equal(queued.actual, 1000);
  });

  test('queue: every result arrives, even from children that finish before the last one has started', async () => {
    // Results sent during start-up used to be dropped (about one run in three lost some).
    const received: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const result = await run('queue-results', { workers: 4, count: 300 });
      received.push(result.actual ?? -1);
    }
    assert.deepEqual(received, [1200, 1200, 1200, 1200, 1200, 1200]);
  });

  test(
    'compare: GIL-like threads no faster than serial; processes and lock-free ' +
      'threads near the core count; kept in the history',
    async () => {
      const result = await run('compare-runtimes', { workers: 2, jobSeconds: 1.5 });
      const details = result.details as {
        totalUnits: number;
        unitsDone: Record<string, number>;
        rows: { variant: string; speedup: number | null; coresUsed: number | null }[];
      };
      const rows = details.rows;
      // Exactly the same work for every variant, so the times compare.
      assert.deepEqual(details.unitsDone, {
        serial: details.totalUnits,
        'GIL-like threads': details.totalUnits,
        'lock-free threads': details.totalUnits,
        processes: details.totalUnits,
      });
      const speedup = (variant: string): number => rows.find((row) => row.variant === variant)?.speedup ?? Number.NaN;
      assert.ok(speedup('GIL-like threads') <= 1.3, `GIL-like speedup ${speedup('GIL-like threads')}`);
      if (CORES >= 2) {
        assert.ok(speedup('processes') >= 1.6, `processes speedup ${speedup('processes')}`);
        assert.ok(speedup('lock-free threads') >= 1.6, `lock-free speedup ${speedup('lock-free threads')}`);
      }
      assert.equal(result.chart?.kind, 'bar');
      assert.deepEqual(
        result.chart?.series.map((series) => series.title),
        ['wall s', 'CPU s', 'speedup x'],
      );
      assertWorkersRecorded(result, /^cmp-(serial|gil|free|proc)-\d$/);
      const history = readCompareHistory();
      assert.equal(history.length, 1);
      assert.equal(history[0]?.rows.length, 4);
    },
  );

  test('sweep: throughput stops rising past the core count, context switches keep climbing', async () => {
    const result = await run('sweep', { workers: 2 * CORES, jobSeconds: 1.2 });
    const points = (
      result.details as {
        points: { workers: number; unitsPerSecond: number; contextSwitchesPerSecond: number | null }[];
      }
    ).points;
    assert.equal(points.length, 2 * CORES);
    const at = (workers: number): number =>
      points.find((point) => point.workers === workers)?.unitsPerSecond ?? Number.NaN;
    assert.ok(at(CORES) >= 0.8 * CORES * at(1), `at ${CORES} workers ${at(CORES)}, at 1 ${at(1)}`);
    assert.ok(at(2 * CORES) <= 1.15 * at(CORES), `past the cores throughput rose: ${at(2 * CORES)} vs ${at(CORES)}`);
    const switches = (workers: number): number =>
      points.find((point) => point.workers === workers)?.contextSwitchesPerSecond ?? 0;
    assert.ok(switches(2 * CORES) > switches(1), 'more workers than cores switch more');
    const knee = (result.details as { knee: number }).knee;
    assert.ok(knee >= 1 && knee <= CORES, `knee at ${knee} workers on ${CORES} cores`);
    assert.equal(result.chart?.kind, 'line');
    assert.deepEqual(
      result.chart?.series.map((series) => series.title),
      ['work units/s', 'context switches/s'],
    );
    assertWorkersRecorded(result, /^sweep-worker-\d$/);
  });

  test('fork memory: loading everything first costs more in all than loading after', async () => {
    const result = await run('fork-memory', { workers: 2, megabytes: 48 });
    const totals = (result.details as { totals: { approach: string; rss: number; pss: number; uss: number }[] }).totals;
    const [loadFirst, startFirst] = totals;
    assert.ok(loadFirst && startFirst);
    // PSS: shared pages split between their sharers, so the totals add up.
    assert.ok(loadFirst.pss > startFirst.pss + 48 * 1024 * 1024, `PSS ${loadFirst.pss} vs ${startFirst.pss}`);
    assert.match(result.summary, /PSS in all/);
    assert.deepEqual(
      result.chart?.series.map((series) => series.title),
      ['PSS MB'],
    );
    assertWorkersRecorded(result, /^(load|start)-first-\d$/);
  });

  test('grid search: the pool finds the same best point sooner', async () => {
    const result = await run('grid-search', { workers: 2, taskMs: 15 });
    const details = result.details as {
      tasks: number;
      best: { params: number[] };
      serialSeconds: number;
      poolSeconds: number;
    };
    assert.equal(details.tasks, 125);
    assert.deepEqual(details.best.params, [2, 2, 2]);
    if (CORES >= 2)
      assert.ok(
        details.serialSeconds / details.poolSeconds >= 1.5,
        `pool speedup ${details.serialSeconds / details.poolSeconds}`,
      );
    assert.equal((result.details as { lectureEstimate: { cores: number } }).lectureEstimate.cores, 8);
    assertWorkersRecorded(result, /^grid-(serial|pool)-\d$/);
  });

  test('threads vs processes: each row measured; a fatal crash takes every thread but only one process', async () => {
    const result = await run('threads-vs-processes', { workers: 6 });
    const details = result.details as {
      rows: { what: string; threads: string; processes: string }[];
      threadStartSeconds: number;
      threadHostStartSeconds: number;
      processStartSeconds: number;
      sharedMemoryNs: number;
      processRoundTripUs: number;
      coresUnderLock: { threads: number; processes: number };
    };
    const row = (what: string) => details.rows.find((entry) => entry.what.startsWith(what));
    assert.equal(row('a fatal crash')?.threads, '0 of 2 others survive');
    assert.equal(row('a fatal crash')?.processes, '2 of 2 others survive');
    assert.equal(row('an uncaught exception')?.processes, '2 of 2 others survive');
    assert.ok(details.threadStartSeconds > 0 && details.processStartSeconds > 0);
    assert.ok(details.threadHostStartSeconds > 0, 'the host process start is measured apart');
    assert.ok(details.sharedMemoryNs > 0 && details.processRoundTripUs > 0);
    assert.ok(details.coresUnderLock.threads < 1.3);
    assert.ok(
      result.lines?.some((line) => /host process's own start .* is not included/.test(line)),
      'says what thread start-up includes',
    );
    // The rows are in the table only, not repeated as lines.
    assert.ok(!result.lines?.some((line) => line.startsWith('a fatal crash')));
    assertWorkersRecorded(result, /^vs-/);
    assert.ok(result.perWorker.filter((worker) => worker.name.startsWith('vs-thread-')).length === 6);
  });

  test('threads vs processes allows the lecture-sized 50 of each; busy scenarios keep their cap', () => {
    const versus = findScenario('threads-vs-processes');
    const processes = findScenario('processes');
    assert.ok(versus && processes);
    assert.equal(defaultWorkers(versus, 2), 50);
    assert.equal(workerCountProblem(versus, 50, 2), null);
    assert.match(workerCountProblem(versus, 65, 2) ?? '', /from 1 to 64 \(threads-vs-processes's own limit\); got 65/);
    assert.match(workerCountProblem(processes, 50, 2) ?? '', /from 1 to 16 \(4 x 2 cores, at least 16\); got 50/);
  });

  test('stopping a multi-step experiment half-way leaves nothing running', async () => {
    await engine.start('compare-runtimes', { workers: 2, jobSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const pids = engine.pids();
    const result = await engine.stop();
    assert.equal(result?.stoppedBy, 'asked');
    assert.ok(await allGone(pids, 3000, isAlive));
    assert.deepEqual(labChildren(), []);
  });
});
