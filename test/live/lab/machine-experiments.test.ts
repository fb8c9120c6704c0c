import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpus, hostname } from 'node:os';
import { describe, test } from 'node:test';
import { readLadder } from '../../../src/lab/memory-ladder-store.js';
import type { LatencyStep } from '../../../src/model/memory-ladder.js';
import type { CacheLevel } from '../../../src/model/types.js';
import { readCaches } from '../../../src/sampler/caches/read-caches.js';
import { labSession } from '../../helpers/lab-session.js';

const CORES = cpus().length;
const HAS_PYTHON =
  spawnSync('python3', ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)']).status === 0;

interface IoRun {
  work: 'I/O' | 'CPU';
  threads: number;
  speedup: number | null;
  coresUsed: number;
  asleepShare: number | null;
  ioShare: number;
  bottleneck: { component: string };
}

/** The lecture's cartoon of the machine, measured on real processes and threads (lab page 4). */
describe('lab experiments, the machine', { skip: process.platform !== 'linux', timeout: 300_000 }, () => {
  const { engine, labChildren, run } = labSession();

  test('memory-hierarchy stopped mid-way: nothing left running, and no ladder kept', async () => {
    await engine.start('memory-hierarchy', { workers: 1, jobSeconds: 4 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const result = await engine.stop();
    assert.equal(result?.stoppedBy, 'asked');
    assert.match(result?.summary ?? '', /^Stopped after \d+ of \d+ working sets/);
    assert.deepEqual(labChildren(), []);
    assert.equal(readLadder(hostname()), null);
  });

  test('memory-hierarchy: loads at 4x the largest cache take several times as long as in L1', async () => {
    const result = await run('memory-hierarchy', { workers: 1, jobSeconds: 4 });
    assert.equal(result.stoppedBy, 'finished');
    const details = result.details as {
      reported: CacheLevel[];
      steps: LatencyStep[];
      goalBytes: number;
      capBytes: number;
    };
    assert.deepEqual(details.reported, readCaches(), 'the caches as info reports them');
    const rows = result.table?.rows ?? [];
    assert.deepEqual(result.table?.columns.slice(0, 3), ['bytes', 'working set', 'ns per load']);
    const [first, last] = [rows[0], rows.at(-1)];
    assert.equal(first?.[0], 4096);
    const largest = Math.max(
      0,
      ...details.reported.filter((cache) => cache.name !== 'L1i').map((cache) => cache.bytes),
    );
    // Up to at least 4 x the largest cache, unless a quarter of free memory is less.
    assert.ok(
      Number(last?.[0]) >= Math.min(4 * largest || details.goalBytes, details.capBytes / 2),
      `went up to ${last?.[0]}`,
    );
    const [l1, far] = [Number(first?.[2]), Number(last?.[2])];
    assert.ok(far >= 3 * l1, `${far} ns per load far out against ${l1} ns in L1`);
    assert.ok(details.steps.length >= 2, JSON.stringify(details.steps));
    assert.match(result.summary, /^L1 about [\d.]+ ns up to \d/);
    assert.equal(result.chart?.labels.length, rows.length);
    assert.ok((result.chart?.marks ?? []).length >= (largest > 0 ? 1 : 0), 'the reported caches are marked');
    assert.equal(result.perWorker.length, 1);
    assert.match(result.perWorker[0]?.name ?? '', /^mem-ladder-1$/);
    // Kept for info: the steps, and estimated sizes for a machine whose OS reports none.
    assert.deepEqual(readLadder(hostname())?.steps, details.steps);
  });

  // After memory-hierarchy above: the working sets are sized by the ladder it kept.
  test('cache-sharing: past what the cache holds for one, each load costs more and each worker does less', async () => {
    const workers = 2 * CORES;
    const result = await run('cache-sharing', { workers, jobSeconds: 1 });
    assert.equal(result.stoppedBy, 'finished');
    const details = result.details as {
      workingSetBytes: number;
      sharedCacheBytes: number;
      sharedCacheSource: string;
      counters: string | null;
      points: { workers: number; nsPerLoad: number; loadsPerSecondPerWorker: number }[];
    };
    assert.match(details.sharedCacheSource, /memory-hierarchy measured/);
    // As large as the measured cache, or smaller where one worker alone did not fit it.
    assert.ok(details.workingSetBytes <= details.sharedCacheBytes);
    assert.deepEqual(
      details.points.map((point) => point.workers),
      Array.from({ length: workers }, (_, at) => at + 1),
    );
    const [one, most] = [details.points[0]!, details.points.at(-1)!];
    assert.ok(
      most.nsPerLoad >= 1.25 * one.nsPerLoad,
      `ns per load ${one.nsPerLoad} with 1 worker, ${most.nsPerLoad} with ${workers}`,
    );
    assert.ok(most.loadsPerSecondPerWorker < one.loadsPerSecondPerWorker);
    // Counters where the CPU has them; else one line saying why, never a made-up figure.
    const text = result.lines?.join('\n') ?? '';
    if (details.counters === null) assert.match(text, /Miss rate: cache misses \/ cache references/);
    else assert.match(text, new RegExp(`No cache-miss counts: ${details.counters.replace(/[()<>]/g, '.')}`));
    assert.equal(result.table?.rows.length, workers);
    assert.equal(result.perWorker.length, (workers * (workers + 1)) / 2);
  });

  for (const id of ['io-bound', 'py-io-threads']) {
    test(`${id}: 8 I/O-bound threads finish at least 4x as fast as 1 on under half a core; CPU-bound ones do not`, {
      skip: id.startsWith('py-') && !HAS_PYTHON && 'needs python3',
    }, async () => {
      const result = await run(id, { workers: 8 });
      assert.equal(result.stoppedBy, 'finished');
      const runs = (result.details as { runs: IoRun[] }).runs;
      const find = (work: IoRun['work'], threads: number): IoRun => {
        const found = runs.find((entry) => entry.work === work && entry.threads === threads);
        assert.ok(found, `${work} x ${threads} in ${JSON.stringify(runs)}`);
        return found;
      };
      const [ioOne, ioMany, cpuOne, cpuMany] = [find('I/O', 1), find('I/O', 8), find('CPU', 1), find('CPU', 8)];
      assert.ok((ioMany.speedup ?? 0) >= 4, `I/O-bound speedup ${ioMany.speedup}`);
      assert.ok(ioMany.coresUsed < 0.5, `I/O-bound threads used ${ioMany.coresUsed} cores`);
      // Asleep in the kernel (state S) most of the time, by /proc; waiting on I/O, by their own clocks.
      assert.ok((ioMany.asleepShare ?? 0) >= 0.5 && ioMany.ioShare >= 0.5, JSON.stringify(ioMany));
      // Under the lock, more CPU-bound threads are no faster, and use about one core.
      assert.ok((cpuMany.speedup ?? 9) < 1.5, `CPU-bound speedup ${cpuMany.speedup}`);
      assert.ok(cpuMany.coresUsed < 1.5, `CPU-bound threads used ${cpuMany.coresUsed} cores`);
      assert.deepEqual(
        [ioOne, ioMany, cpuOne, cpuMany].map((entry) => entry.bottleneck.component),
        ['I/O', 'I/O', 'CPU', 'the lock'],
      );
      assert.deepEqual(
        result.table?.rows.map((row) => row.at(-1)),
        ['I/O', 'I/O', 'CPU', 'the lock'],
      );
      // Every thread that ran is recorded with its PID and TID.
      assert.equal(result.perWorker.length, 1 + 8 + 1 + 8);
      assert.ok(result.perWorker.every((worker) => worker.tid !== null && worker.pid > 1));
    });
  }
});
