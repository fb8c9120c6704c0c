import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readCompareHistory } from '../../src/lab/compare-history.js';
import { LabEngine, type StartOptions } from '../../src/lab/lab-engine.js';
import type { RunResult } from '../../src/model/lab-types.js';
import { isAlive } from '../helpers/processes.js';
import { allGone, childrenOf } from '../helpers/proc-measure.js';

const CORES = cpus().length;

/** Measured claims of the lecture's second half, on real threads and processes. */
describe('lab experiments, part two', { skip: process.platform !== 'linux', timeout: 240_000 }, () => {
  const engine = new LabEngine({ cores: CORES });
  let dataHome = '';
  /** Children the test process had before (tsx's esbuild service): not the lab's. */
  let ownChildren: number[] = [];
  const labChildren = (): number[] => childrenOf(process.pid).filter((pid) => !ownChildren.includes(pid));
  const previousDataHome = process.env.XDG_DATA_HOME;
  before(() => {
    dataHome = mkdtempSync(join(tmpdir(), 'paratop-data-'));
    process.env.XDG_DATA_HOME = dataHome;
    ownChildren = childrenOf(process.pid);
  });
  after(() => {
    engine.killNow();
    if (previousDataHome === undefined) delete process.env.XDG_DATA_HOME;
    else process.env.XDG_DATA_HOME = previousDataHome;
    rmSync(dataHome, { recursive: true, force: true });
  });

  async function run(id: string, options: StartOptions): Promise<RunResult> {
    await engine.start(id, options);
    const result = await engine.whenDone();
    assert.ok(result, `${id} left a result`);
    assert.deepEqual(labChildren(), [], `${id} left no process behind`);
    return result;
  }

  test('race: the unprotected counter loses updates in at least one of a few runs', async () => {
    const lost: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const result = await run('race', { workers: 2, count: 300_000 });
      assert.equal(result.expected, 600_000);
      assert.equal(typeof result.actual, 'number');
      lost.push((result.expected ?? 0) - (result.actual ?? 0));
    }
    assert.ok(lost.some((count) => count > 0), `no update was lost in 3 runs: ${lost.join(', ')}`);
  });

  test('race fixed with a mutex: never loses one, and shows what it costs', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const result = await run('race-fixed', { workers: 2, count: 100_000 });
      assert.equal(result.actual, result.expected);
      assert.equal(result.expected, 200_000);
      const details = result.details as { racy: { seconds: number }; locked: { seconds: number }; cost: number };
      assert.ok(details.cost > 0 && details.racy.seconds > 0 && details.locked.seconds > 0);
    }
  });

  test('lost results: the parent gets nothing back; with a queue, everything', async () => {
    const lostResult = await run('lost-results', { workers: 2, count: 500 });
    assert.equal(lostResult.expected, 1000);
    assert.equal(lostResult.actual, 0);
    assert.deepEqual((lostResult.details as { inChildren: number[] }).inChildren, [500, 500], 'each child did append, to its own list');
    const queued = await run('queue-results', { workers: 2, count: 500 });
    assert.equal(queued.actual, 1000);
  });

  test('compare: GIL-like threads no faster than serial; processes and lock-free threads near the core count; kept in the history', async () => {
    const result = await run('compare-runtimes', { workers: 2, jobSeconds: 1.5 });
    const rows = (result.details as { rows: { variant: string; speedup: number | null; coresUsed: number | null }[] }).rows;
    const speedup = (variant: string): number => rows.find((row) => row.variant === variant)?.speedup ?? Number.NaN;
    assert.ok(speedup('GIL-like threads') < 1.3, `GIL-like speedup ${speedup('GIL-like threads')}`);
    if (CORES >= 2) {
      assert.ok(speedup('processes') >= 1.6, `processes speedup ${speedup('processes')}`);
      assert.ok(speedup('lock-free threads') >= 1.6, `lock-free speedup ${speedup('lock-free threads')}`);
    }
    assert.equal(result.chart?.kind, 'bar');
    const history = readCompareHistory();
    assert.equal(history.length, 1);
    assert.equal(history[0]?.rows.length, 4);
  });

  test('sweep: throughput stops rising past the core count, context switches keep climbing', async () => {
    const result = await run('sweep', { workers: 2 * CORES, jobSeconds: 1.2 });
    const points = (result.details as { points: { workers: number; unitsPerSecond: number; contextSwitchesPerSecond: number | null }[] }).points;
    assert.equal(points.length, 2 * CORES);
    const at = (workers: number): number => points.find((point) => point.workers === workers)?.unitsPerSecond ?? Number.NaN;
    assert.ok(at(CORES) >= 0.8 * CORES * at(1), `at ${CORES} workers ${at(CORES)}, at 1 ${at(1)}`);
    assert.ok(at(2 * CORES) <= 1.15 * at(CORES), `past the cores throughput rose: ${at(2 * CORES)} vs ${at(CORES)}`);
    const switches = (workers: number): number => points.find((point) => point.workers === workers)?.contextSwitchesPerSecond ?? 0;
    assert.ok(switches(2 * CORES) > switches(1), 'more workers than cores switch more');
    assert.equal(result.chart?.kind, 'line');
  });

  test('fork memory: loading everything first costs more in all than loading after', async () => {
    const result = await run('fork-memory', { workers: 2, megabytes: 48 });
    const totals = (result.details as { totals: { approach: string; rss: number; uss: number }[] }).totals;
    const [loadFirst, startFirst] = totals;
    assert.ok(loadFirst && startFirst);
    assert.ok(loadFirst.rss > startFirst.rss + 48 * 1024 * 1024, `RSS ${loadFirst.rss} vs ${startFirst.rss}`);
    assert.ok(loadFirst.uss > startFirst.uss, 'unique memory too');
  });

  test('grid search: the pool finds the same best point sooner', async () => {
    const result = await run('grid-search', { workers: 2, taskMs: 15 });
    const details = result.details as { tasks: number; best: { params: number[] }; serialSeconds: number; poolSeconds: number };
    assert.equal(details.tasks, 125);
    assert.deepEqual(details.best.params, [2, 2, 2]);
    if (CORES >= 2) assert.ok(details.serialSeconds / details.poolSeconds >= 1.5, `pool speedup ${details.serialSeconds / details.poolSeconds}`);
    assert.equal((result.details as { lectureEstimate: { cores: number } }).lectureEstimate.cores, 8);
  });

  test('threads vs processes: each row measured; a fatal crash takes every thread but only one process', async () => {
    const result = await run('threads-vs-processes', { workers: 6 });
    const details = result.details as {
      rows: { what: string; threads: string; processes: string }[];
      threadStartSeconds: number;
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
    assert.ok(details.sharedMemoryNs > 0 && details.processRoundTripUs > 0);
    assert.ok(details.coresUnderLock.threads < 1.3);
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
