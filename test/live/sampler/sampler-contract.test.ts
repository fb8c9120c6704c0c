import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { ProcessSample } from '../../../src/model/types.js';
import { FallbackSampler } from '../../../src/sampler/fallback/fallback-sampler.js';
import { LinuxSampler } from '../../../src/sampler/linux/linux-sampler.js';
import type { Sampler } from '../../../src/sampler/sampler.js';
import { TestProcesses, isAlive, waitForExit } from '../../helpers/processes.js';

/**
 * The Sampler contract, held against both implementations on this machine: the Linux one on /proc
 * and the fallback (Node and ps) that macOS runs. The same assertions for each; then the two side by
 * side, whose figures must agree within a few points.
 */
const SAMPLERS: [string, () => Sampler][] = [
  ['linux', () => new LinuxSampler()],
  ['fallback', () => new FallbackSampler()],
];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const find = (processes: ProcessSample[], pid: number | undefined): ProcessSample | undefined =>
  processes.find((process) => process.pid === pid);

const children = new TestProcesses();
const scratch = mkdtempSync(join(tmpdir(), 'paratop-contract-'));
/** A program whose name has spaces and parentheses: a copy of sleep. */
const oddName = join(scratch, 'my (odd) name');
copyFileSync('/bin/sleep', oddName);
const started: ChildProcess[] = [];

after(() => {
  children.stopAll();
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

for (const [label, make] of SAMPLERS) {
  describe(`the Sampler contract: ${label}`, () => {
    test('system: nothing made up on the first reading; per-core shares that add up; memory', async () => {
      const sampler = make();
      const first = await sampler.sampleSystem();
      assert.equal(first.cores, null);
      assert.equal(first.cpu, null);
      await sleep(300);
      const system = await sampler.sampleSystem();
      assert.equal(system.cores?.length, cpus().length);
      for (const core of system.cores ?? []) {
        const sum = core.user + core.system + core.iowait + core.steal + core.idle;
        assert.ok(Math.abs(sum - 100) < 0.01, `core ${core.id} adds up to ${sum}`);
        assert.ok(core.total >= 0 && core.total <= 100);
      }
      const { memory } = system;
      assert.ok(memory.totalBytes > 0);
      assert.ok(memory.usedBytes > 0 && memory.usedBytes <= memory.totalBytes);
      assert.ok(memory.availableBytes <= memory.totalBytes);
      assert.equal(system.loadAverage.length, 3);
      assert.ok(system.uptimeSeconds > 0);
    });

    test('processes: this one, with its parent, memory and a start token that identify() agrees with', async () => {
      const sampler = make();
      const first = await sampler.sampleProcesses();
      const self = find(first, process.pid);
      assert.ok(self, 'this process is listed');
      assert.equal(self.cpu, null, 'no interval yet');
      assert.equal(self.ppid, process.ppid);
      assert.equal(self.name, 'node');
      assert.match(self.command, /sampler-contract\.test\.ts/);
      assert.ok(self.rssBytes > 0.5 * process.memoryUsage().rss && self.rssBytes < 2 * process.memoryUsage().rss);
      assert.ok(self.startToken.length > 0);
      assert.ok(Math.abs(self.startedAt - (Date.now() - process.uptime() * 1000)) < 5000);
      assert.deepEqual(await sampler.identify(process.pid), { pid: process.pid, startToken: self.startToken });
      await sleep(200);
      const again = find(await sampler.sampleProcesses(), process.pid);
      assert.equal(again?.startToken, self.startToken);
      assert.equal(typeof again?.cpu, 'number');
    });

    test('a name with spaces and parentheses; a process that has gone is neither listed nor identified', async () => {
      const sampler = make();
      const child = spawn(oddName, ['30'], { stdio: 'ignore' });
      started.push(child);
      await sleep(200);
      const odd = find(await sampler.sampleProcesses(), child.pid);
      assert.equal(odd?.name, 'my (odd) name');
      assert.equal(odd?.command, `${oddName} 30`);
      child.kill('SIGKILL');
      await waitForExit(child);
      assert.equal(find(await sampler.sampleProcesses(), child.pid), undefined);
      assert.equal(await sampler.identify(child.pid ?? 0), null);
      assert.equal(await sampler.sampleThreads(child.pid ?? 0), null);
    });

    test('CPU% from two scans: a spinning child reads busy, an idle one near zero', async () => {
      const sampler = make();
      const busy = children.busy(`contract-busy-${label}`);
      const idle = children.idle(`contract-idle-${label}`);
      await sleep(300);
      await sampler.sampleProcesses();
      await sleep(2000);
      const processes = await sampler.sampleProcesses();
      busy.kill('SIGKILL');
      idle.kill('SIGKILL');
      // ps from procps counts CPU time in whole seconds: a 2 s interval reads in steps of 50 points.
      assert.ok((find(processes, busy.pid)?.cpu ?? 0) > 40, `busy: ${find(processes, busy.pid)?.cpu}`);
      assert.ok((find(processes, idle.pid)?.cpu ?? 100) < 50, `idle: ${find(processes, idle.pid)?.cpu}`);
      await waitForExit(busy);
      await waitForExit(idle);
      assert.ok(!isAlive(busy.pid ?? 0) && !isAlive(idle.pid ?? 0));
    });

    test("threads of one process: this one's, its main thread among them", async () => {
      const sampler = make();
      assert.ok(sampler.hasThreads);
      const threads = await sampler.sampleThreads(process.pid, true);
      assert.ok(threads && threads.length >= 1);
      assert.ok(threads.some((thread) => thread.tid === process.pid));
      assert.ok(threads.every((thread) => thread.pid === process.pid && thread.cpu === null));
    });
  });
}

describe('the two samplers side by side on this machine', () => {
  test('per-core busy, memory used and the process count agree within a few points', async () => {
    const linux = new LinuxSampler();
    const fallback = new FallbackSampler();
    const spinner = children.busy('contract-side-by-side');
    await Promise.all([linux.sampleSystem(), fallback.sampleSystem()]);
    await sleep(2000);
    const [a, b] = await Promise.all([linux.sampleSystem(), fallback.sampleSystem()]);
    const [listA, listB] = await Promise.all([linux.sampleProcesses(), fallback.sampleProcesses()]);
    spinner.kill('SIGKILL');
    await waitForExit(spinner);
    for (const [index, core] of (a.cores ?? []).entries()) {
      const other = b.cores?.[index];
      assert.ok(other, `core ${index} read by both`);
      // Node has no iowait: it reads as idle in both; steal and softirq are busy only in /proc's.
      assert.ok(Math.abs(core.total - other.total) <= 10, `core ${index}: ${core.total} vs ${other.total}`);
    }
    const usedShare = (used: number, total: number): number => (used / total) * 100;
    const usedA = usedShare(a.memory.usedBytes, a.memory.totalBytes);
    const usedB = usedShare(b.memory.usedBytes, b.memory.totalBytes);
    assert.ok(Math.abs(usedA - usedB) <= 5, `memory used ${usedA.toFixed(1)}% vs ${usedB.toFixed(1)}%`);
    assert.ok(Math.abs(a.memory.totalBytes - b.memory.totalBytes) <= 0.01 * a.memory.totalBytes);
    assert.ok(Math.abs(listA.length - listB.length) <= 10, `processes: ${listA.length} vs ${listB.length}`);
  });
});
