import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommandTree } from '../../../src/lab/command-tree.js';
import type { ProcessLink } from '../../../src/sampler/process-tree-scanner.js';

const link = (pid: number, ppid: number, cpuSeconds: number, reaped = 0, threads = 1): ProcessLink => ({
  pid,
  ppid,
  pgid: 100,
  sid: 100,
  startToken: String(pid),
  startedAt: pid,
  name: `p${pid}`,
  cpuSeconds,
  reapedCpuSeconds: reaped,
  threads,
});

describe("a command's process tree over its run", () => {
  test('comings and goings are changes; peaks of processes and threads are kept', () => {
    const tree = new CommandTree();
    tree.rootPid = 100;
    assert.equal(tree.update([link(100, 1, 0)], 0), true);
    assert.equal(tree.update([link(100, 1, 0.1)], 1), false);
    assert.equal(tree.update([link(100, 1, 0.2), link(101, 100, 0, 0, 4), link(102, 100, 0, 0, 2)], 2), true);
    assert.equal(tree.update([link(100, 1, 0.3)], 3), true);
    assert.equal(tree.peakProcesses, 3);
    assert.equal(tree.peakThreads, 7);
    assert.deepEqual(
      tree.processes().map((entry) => [entry.pid, entry.firstSeen, entry.lastSeen, entry.ended]),
      [
        [100, 0, 3, false],
        [101, 2, 2, true],
        [102, 2, 2, true],
      ],
    );
    assert.deepEqual([...tree.followed()], [[100, '100']]);
  });

  test("CPU: a child reaped by a followed parent counts through the parent's reaped time, not twice", () => {
    const tree = new CommandTree();
    tree.rootPid = 100;
    tree.update([link(100, 1, 1), link(101, 100, 2)], 1);
    assert.equal(tree.cpuSeconds(null), 3);
    // 101 ended and 100 waited for it: its 2 s now sit in 100's reaped time.
    tree.update([link(100, 1, 1, 2)], 2);
    assert.equal(tree.cpuSeconds(null), 3);
  });

  test("CPU: an orphan's time is kept from its last reading; the root's final figure wins once known", () => {
    const tree = new CommandTree();
    tree.rootPid = 100;
    tree.update([link(100, 1, 1), link(200, 1, 5)], 1);
    tree.update([link(100, 1, 1)], 2);
    assert.equal(tree.cpuSeconds(null), 6);
    tree.update([], 3);
    assert.equal(tree.cpuSeconds(null), 6, 'the root gone: its last reading');
    assert.equal(tree.cpuSeconds(1.5), 6.5, 'the final figure from its parent');
  });

  test('a command that ended before the first look is still listed', () => {
    const tree = new CommandTree();
    tree.rootPid = 100;
    tree.rememberUnseenRoot({ ppid: 50, name: 'true', cpuSeconds: 0.001, lastSeen: 0.002 });
    assert.deepEqual(tree.processes(), [
      {
        pid: 100,
        ppid: 50,
        name: 'true',
        cpuSeconds: 0.001,
        peakThreads: 1,
        firstSeen: 0,
        lastSeen: 0.002,
        ended: true,
      },
    ]);
    assert.equal(tree.peakProcesses, 1);
  });
});
