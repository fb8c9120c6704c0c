import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { measureAccuracy } from '../../bench/accuracy.js';
import { measureKeyLatency } from '../../bench/key-latency.js';
import { generateProcTree } from '../../bench/proc-tree.js';
import { LinuxSampler } from '../../src/sampler/linux/linux-sampler.js';

/** Small runs of the bench's parts, so `npm run bench` cannot rot unnoticed. No timing is asserted. */
describe('bench parts', { skip: process.platform !== 'linux', timeout: 60_000 }, () => {
  test('a generated /proc tree has the asked number of processes, each with its own PID', async () => {
    const tree = generateProcTree(50);
    const sampler = new LinuxSampler({ procRoot: tree.root });
    try {
      const processes = await sampler.sampleProcesses();
      assert.equal(processes.length, 50);
      assert.equal(new Set(processes.map((process) => process.pid)).size, 50);
    } finally {
      sampler.close();
      tree.remove();
    }
  });

  test('accuracy compares paratop watch with /proc/stat, core by core', async () => {
    const result = await measureAccuracy(2);
    assert.ok(result.intervals >= 2, `compared ${result.intervals} core-intervals`);
    assert.ok(Number.isFinite(result.maxDifference));
  });

  test('key latency sees a frame for each key press', async () => {
    const result = await measureKeyLatency(5);
    assert.equal(result.presses, 5);
    assert.ok(result.p50Ms > 0);
  });
});
