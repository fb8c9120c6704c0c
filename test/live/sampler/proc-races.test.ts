import assert from 'node:assert/strict';
import { cpus } from 'node:os';
import { describe, test } from 'node:test';
import type { ProcessSample, ThreadSample } from '../../../src/model/types.js';
import { LinuxSampler } from '../../../src/sampler/linux/linux-sampler.js';
import { startChurn } from '../../helpers/churn.js';
import { waitForExit } from '../../helpers/processes.js';

const CEILING = cpus().length * 100 + 50;

function sane(value: number | null, what: string): void {
  assert.ok(value === null || (Number.isFinite(value) && value >= 0 && value <= CEILING), `${what}: ${value}`);
}

describe('processes and threads that come and go while paratop samples', {
  skip: process.platform !== 'linux',
  timeout: 60_000,
}, () => {
  test('no error, no impossible figure, however fast they churn', async () => {
    const churn = startChurn(4, 600, 150);
    const sampler = new LinuxSampler();
    let scans = 0;
    let threadScans = 0;
    let sawChurnThreads = 0;
    const exited = waitForExit(churn, 10_000);
    let done = false;
    void exited.then(() => {
      done = true;
    });
    try {
      while (!done) {
        const processes: ProcessSample[] = await sampler.sampleProcesses();
        scans += 1;
        for (const process of processes) {
          sane(process.cpu, `CPU% of ${process.pid}`);
          assert.ok(
            process.ctxPerSecond === null || (Number.isFinite(process.ctxPerSecond) && process.ctxPerSecond >= 0),
            'context switches',
          );
          assert.ok(process.rssBytes >= 0 && process.memPercent >= 0 && process.memPercent <= 100);
          assert.ok(process.threads === null || process.threads >= 1);
          assert.equal(typeof process.command, 'string');
        }
        const threads: ThreadSample[] | null = await sampler.sampleThreads(churn.pid ?? 0);
        if (threads) {
          threadScans += 1;
          sawChurnThreads = Math.max(sawChurnThreads, threads.length);
          for (const thread of threads) sane(thread.cpu, `CPU% of thread ${thread.tid}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await exited;
    } finally {
      sampler.close();
      churn.kill('SIGKILL');
    }
    assert.ok(scans > 50, `only ${scans} scans`);
    assert.ok(threadScans > 10);
    assert.ok(sawChurnThreads > 1, 'the churning process was seen with extra threads');
    assert.equal(await sampler.sampleThreads(churn.pid ?? 0), null, 'a process that has gone has no threads');
  });
});
