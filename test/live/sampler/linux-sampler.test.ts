import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LinuxSampler } from '../../../src/sampler/linux/linux-sampler.js';
import { ProcTreeScanner } from '../../../src/sampler/linux/proc-tree-scanner.js';
import type { ProcessSample } from '../../../src/model/types.js';
import { ProcTree, fixturesDir } from '../../helpers/fixtures.js';
import { assertClose } from '../../helpers/assert-close.js';

const byPid = (processes: ProcessSample[], pid: number): ProcessSample => {
  const found = processes.find((process) => process.pid === pid);
  assert.ok(found, `pid ${pid} missing`);
  return found;
};

describe('LinuxSampler over captured /proc trees', () => {
  let tree: ProcTree;
  before(() => {
    tree = new ProcTree('proc-t0');
  });
  after(() => tree.remove());

  const sampler = (): LinuxSampler => {
    let tick = 0;
    return new LinuxSampler({
      procRoot: tree.root,
      passwdFile: join(fixturesDir, 'passwd'),
      now: () => 1_000_000,
      monotonic: () => (tick += 1000),
    });
  };

  test('the first reading has no core loads and no process CPU%: nothing is made up', async () => {
    tree.load('proc-t0');
    const first = sampler();
    const system = await first.sampleSystem();
    assert.equal(system.cores, null);
    assert.equal(system.cpu, null);
    const processes = await first.sampleProcesses();
    assert.deepEqual(
      processes.map((process) => process.cpu),
      processes.map(() => null),
    );
    assert.deepEqual(
      processes.map((process) => process.ctxPerSecond),
      processes.map(() => null),
    );
  });

  test('per-core percentages over the interval', async () => {
    tree.load('proc-t0');
    const linux = sampler();
    await linux.sampleSystem();
    tree.load('proc-t1');
    const system = await linux.sampleSystem();
    assert.ok(system.cores);
    const [core0, core1] = system.cores;
    assert.deepEqual(core0, { id: 0, user: 50, system: 0, iowait: 0, steal: 0, idle: 50, total: 50 });
    assert.deepEqual(core1, { id: 1, user: 0, system: 25, iowait: 5, steal: 0, idle: 70, total: 25 });
    assert.ok(system.cpu);
    assert.equal(system.cpu.total, 37.5);
    assert.deepEqual(system.loadAverage.length, 3);
    assert.equal(system.uptimeSeconds, 390.92);
    // The kernel's own counters ride along, for the exporter's node_* figures.
    assert.equal(system.kernel?.bootTimeSeconds, 1795570613);
    assert.equal(system.kernel?.ticksPerSecond, 100);
    assert.equal(system.kernel?.coreTimes.length, 2);
    assert.equal(system.memory.swapUsedBytes, 0);
  });

  test('processes: names, commands, users, CPU% from deltas, lifetime average for a newcomer', async () => {
    tree.load('proc-t0');
    const linux = sampler();
    const first = await linux.sampleProcesses();
    assert.deepEqual(
      first.map((process) => process.pid).sort((a, b) => a - b),
      [1, 2, 2944, 2945],
    );
    tree.load('proc-t1');
    const processes = await linux.sampleProcesses();

    const odd = byPid(processes, 2944);
    assert.equal(odd.name, 'my (odd) name');
    assert.match(odd.command, /\/my \(odd\) name 1000$/);
    assert.equal(odd.cpu, 0);
    assert.equal(odd.user, 'root');

    const kthreadd = byPid(processes, 2);
    assert.equal(kthreadd.command, '[kthreadd]');
    assert.equal(kthreadd.rssBytes, 0);

    const node = byPid(processes, 2945);
    assertClose(node.cpu, 100);
    assertClose(node.ctxPerSecond, 40);
    assert.equal(node.threads, 8);
    assert.equal(node.startToken, '38891');
    assert.equal(node.startedAt, (1795570613 + 388.91) * 1000);
    assert.ok(node.memPercent > 0 && node.memPercent < 100);

    const late = byPid(processes, 3000);
    assertClose(late.cpu, 50);
    assert.equal(late.user, '4242', 'an unknown uid shows as its number');
    assert.equal(late.command, 'late child --flag');

    assert.equal(
      processes.find((process) => process.pid === 3001),
      undefined,
      'a half-gone process is skipped',
    );
  });

  test('a kernel thread shows its current name as its command, its (empty) cmdline never read', async () => {
    const { writeFileSync } = await import('node:fs');
    tree.load('proc-t0');
    // Were cmdline read, this would show: a kernel thread's is empty, so paratop does not look.
    writeFileSync(join(tree.root, '2/cmdline'), 'not\0read\0');
    const linux = sampler();
    assert.equal(byPid(await linux.sampleProcesses(), 2).command, '[kthreadd]');
    // kworkers rename themselves for the work they run: the command follows at once.
    writeFileSync(
      join(tree.root, '2/stat'),
      readFileSync(join(tree.root, '2/stat'), 'utf8').replace('(kthreadd)', '(kworker/0:2-events)'),
    );
    assert.equal(byPid(await linux.sampleProcesses(), 2).command, '[kworker/0:2-events]');
  });

  test('threads of one process: TIDs, names, per-thread CPU% after two readings; null when gone', async () => {
    tree.load('proc-t0');
    const linux = sampler();
    const first = await linux.sampleThreads(2945);
    assert.equal(first?.length, 8);
    assert.ok(first?.every((thread) => thread.cpu === null));
    tree.load('proc-t1');
    const threads = await linux.sampleThreads(2945);
    assert.ok(threads);
    const main = threads.find((thread) => thread.tid === 2945);
    assertClose(main?.cpu, 100);
    assertClose(main?.ctxPerSecond, 40);
    assert.ok(threads.every((thread) => thread.pid === 2945));
    assert.equal(await linux.sampleThreads(424242), null);
  });

  test('a thread view closed and reopened later starts afresh: no average over the time it was shut', async () => {
    const { writeFileSync } = await import('node:fs');
    const at = (uptime: number): void => writeFileSync(join(tree.root, 'uptime'), `${uptime} 0\n`);
    tree.load('proc-t0');
    const linux = sampler();
    await linux.sampleThreads(2945, true); // the view opens
    tree.load('proc-t1');
    at(400); // closed meanwhile, for ten seconds
    const reopened = await linux.sampleThreads(2945, true);
    assert.ok(
      reopened?.every((thread) => thread.cpu === null),
      'the first reading after reopening has no rate',
    );
    at(401);
    const open = await linux.sampleThreads(2945); // while it stays open, rates come back
    assert.ok(open?.every((thread) => thread.cpu === 0));
  });

  test('identify: PID plus start token, null for a missing PID', async () => {
    tree.load('proc-t0');
    const linux = sampler();
    assert.deepEqual(await linux.identify(2945), { pid: 2945, startToken: '38891' });
    assert.equal(await linux.identify(424242), null);
  });

  test("the tree scanner's link and the sampler's sample of a process share names and values", async () => {
    tree.load('proc-t0');
    const sample = byPid(await sampler().sampleProcesses(), 2945);
    const link = new ProcTreeScanner(tree.root).one(2945);
    assert.ok(link);
    const shared = ['pid', 'ppid', 'name', 'startToken', 'startedAt'] as const;
    for (const field of shared) assert.equal(link[field], sample[field], field);
  });
});

describe('LinuxSampler on this machine', { skip: process.platform !== 'linux' }, () => {
  test('sees itself, with a command line and a user', async () => {
    const linux = new LinuxSampler();
    const processes = await linux.sampleProcesses();
    const self = byPid(processes, process.pid);
    assert.match(self.command, /node/);
    assert.ok(self.threads !== null && self.threads >= 1);
    assert.ok(processes.length > 5);
    const threads = await linux.sampleThreads(process.pid);
    assert.ok(threads?.some((thread) => thread.tid === process.pid));
  });
});

describe('LinuxSampler follows a process that renames itself', { skip: process.platform !== 'linux' }, () => {
  test(
    'a new name (here a title set after start-up, as the lab workers do) shows its ' + 'new command line at once',
    async () => {
      const { spawn } = await import('node:child_process');
      const { setTimeout: sleep } = await import('node:timers/promises');
      // Renames itself on its first line of input: the test decides when, between two scans.
      const child = spawn(
        process.execPath,
        [
          '-e',
          "process.stdin.once('data', () => { process.title = 'paratop-test-retitled'; " +
            "process.stdout.write('done'); })",
        ],
        { stdio: ['pipe', 'pipe', 'ignore'] },
      );
      const linux = new LinuxSampler();
      try {
        let before: ProcessSample | undefined;
        for (let tries = 0; tries < 50 && !before?.command.includes('process.stdin'); tries += 1) {
          before = (await linux.sampleProcesses()).find((entry) => entry.pid === child.pid);
          await sleep(20);
        }
        assert.match(before?.command ?? '', /process\.stdin/, 'first seen with its original command line');
        const renamed = new Promise((resolve) => child.stdout?.once('data', resolve));
        child.stdin?.write('go\n');
        await renamed;
        const after = byPid(await linux.sampleProcesses(), child.pid ?? 0);
        assert.equal(after.command, 'paratop-test-retitled', 'the very next scan, not ten scans later');
      } finally {
        linux.close();
        child.kill('SIGKILL');
      }
    },
  );
});

describe('LinuxSampler keeps /proc files open between scans', { skip: process.platform !== 'linux' }, () => {
  test('and closes those of a process that has exited', async () => {
    const { TestProcesses, waitForExit } = await import('../../helpers/processes.js');
    const { readdirSync, readlinkSync } = await import('node:fs');
    const children = new TestProcesses();
    const child = children.idle('paratop-test-open-files');
    const openOn = (pid: number): number =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`).startsWith(`/proc/${pid}/`);
        } catch {
          return false;
        }
      }).length;
    const linux = new LinuxSampler();
    try {
      await linux.sampleProcesses();
      assert.equal(openOn(child.pid ?? 0), 3, 'stat, schedstat and status stay open');
      await linux.sampleProcesses();
      assert.equal(openOn(child.pid ?? 0), 3, 'and are re-read, not reopened');
      child.kill('SIGKILL');
      await waitForExit(child);
      const processes = await linux.sampleProcesses();
      assert.equal(
        processes.find((entry) => entry.pid === child.pid),
        undefined,
      );
      assert.equal(openOn(child.pid ?? 0), 0);
    } finally {
      linux.close();
      children.stopAll();
    }
  });
});

describe('LinuxSampler reads status only for processes that ran', () => {
  /** `withSchedstat`: give 2944 and 2945 schedstat files (the captured tree has none). */
  const setUp = async (
    withSchedstat = false,
  ): Promise<{
    tree: ProcTree;
    bump: (path: string, pattern: RegExp, by: number) => void;
    scan: (second: number) => Promise<ProcessSample[]>;
  }> => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const tree = new ProcTree('proc-t0');
    if (withSchedstat) {
      writeFileSync(join(tree.root, '2944/schedstat'), '1000 2000 7\n');
      writeFileSync(join(tree.root, '2945/schedstat'), '5000 6000 30\n');
    }
    let tick = 0;
    const linux = new LinuxSampler({
      procRoot: tree.root,
      passwdFile: join(fixturesDir, 'passwd'),
      monotonic: () => (tick += 1000),
    });
    const bump = (path: string, pattern: RegExp, by: number): void => {
      const file = join(tree.root, path);
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(pattern, (_, head: string, value: string) => `${head}${Number(value) + by}`),
      );
    };
    const scan = async (second: number): Promise<ProcessSample[]> => {
      writeFileSync(join(tree.root, 'uptime'), `${389.92 + second} 700.00\n`);
      return linux.sampleProcesses();
    };
    return { tree, bump, scan };
  };
  const VOLUNTARY = /(\nvoluntary_ctxt_switches:\t)(\d+)/;
  const RUNS = /^(\d+ \d+ )(\d+)/;
  const RSS = /^(\d+ \(my \(odd\) name\) S(?: \S+){20} )(\d+)/;
  const THREADS = /^(\d+ \(my \(odd\) name\) S(?: \S+){16} )(\d+)/;

  test(
    'one that has not run (schedstat unchanged) switched 0 times; one that ran every ' +
      'scan; status re-read every 10th',
    async () => {
      const { tree, bump, scan } = await setUp(true);
      try {
        const initial = byPid(await scan(0), 2944).ctxVoluntary ?? 0;
        // A change schedstat does not show (a setuid, say) is only seen at the periodic re-read.
        bump('2944/status', VOLUNTARY, 50);
        for (let second = 1; second <= 9; second += 1) {
          bump('2945/stat', /^(\d+ \(node\) S(?: \S+){10} )(\d+)/, 100);
          bump('2945/status', VOLUNTARY, 20);
          bump('2945/schedstat', RUNS, 20);
          const processes = await scan(second);
          assert.equal(
            byPid(processes, 2944).ctxVoluntary,
            initial,
            `idle process status not re-read at second ${second}`,
          );
          assert.equal(byPid(processes, 2944).ctxPerSecond, 0, 'it has not run, so it has not switched');
          assertClose(byPid(processes, 2945).ctxPerSecond, 20);
          assertClose(byPid(processes, 2945).cpu, 100);
        }
        assert.equal(byPid(await scan(10), 2944).ctxVoluntary, initial + 50);
        // It runs again after ten idle scans: its switches are counted over the last interval alone.
        bump('2944/status', VOLUNTARY, 6);
        bump('2944/schedstat', RUNS, 6);
        assertClose(byPid(await scan(11), 2944).ctxPerSecond, 6);
      } finally {
        tree.remove();
      }
    },
  );

  test(
    'an idle process (same stat line, no run) gets its previous sample again; any ' + 'change makes a new one',
    async () => {
      const { tree, bump, scan } = await setUp(true);
      try {
        await scan(0);
        const second = byPid(await scan(1), 2944); // the first with rates: cpu 0, 0 switches a second
        assert.deepEqual([second.cpu, second.ctxPerSecond], [0, 0]);
        assert.equal(byPid(await scan(2), 2944), second, 'the same object: nothing was parsed or built');
        // A run without a tick of CPU time (a brief wake-up): schedstat shows it, and switches count.
        bump('2944/schedstat', RUNS, 1);
        bump('2944/status', VOLUNTARY, 3);
        const woke = byPid(await scan(3), 2944);
        assert.notEqual(woke, second);
        assertClose(woke.ctxPerSecond, 3);
        const idleAgain = byPid(await scan(4), 2944);
        assert.equal(byPid(await scan(5), 2944), idleAgain);
        // Its one thread has not run, so its stat line is not even read: a change there (memory
        // reclaimed, say) shows at the re-read due every 10th scan.
        bump('2944/stat', RSS, -10);
        let seenAt = 6;
        for (; byPid(await scan(seenAt), 2944) === idleAgain; seenAt += 1)
          assert.ok(seenAt < 16, 'seen within 10 scans');
        assert.ok(seenAt > 6, 'not read at the next scan, while its thread slept');
        assert.ok(byPid(await scan(seenAt), 2944).rssBytes < idleAgain.rssBytes);
      } finally {
        tree.remove();
      }
    },
  );

  test('a process of several threads: its stat line is read every scan, since any thread may have run', async () => {
    const { tree, bump, scan } = await setUp(true);
    try {
      bump('2944/stat', THREADS, 1);
      await scan(0);
      const idle = byPid(await scan(1), 2944);
      assert.equal(idle.threads, 2);
      assert.equal(byPid(await scan(2), 2944), idle, 'nothing changed: the same sample');
      // Memory grew while the main thread slept (another thread ran): the stat line differs.
      bump('2944/stat', RSS, 10);
      const grown = byPid(await scan(3), 2944);
      assert.ok(grown.rssBytes > idle.rssBytes, `${grown.rssBytes} after ${idle.rssBytes}`);
    } finally {
      tree.remove();
    }
  });

  test('without schedstat (a kernel without it) status is read on every scan', async () => {
    const { tree, bump, scan } = await setUp();
    try {
      await scan(0);
      bump('2944/status', VOLUNTARY, 30);
      const seen = byPid(await scan(1), 2944);
      assertClose(seen.ctxPerSecond, 30);
      assertClose(seen.ctxVoluntaryPerSecond, 30);
      assertClose(seen.ctxInvoluntaryPerSecond, 0);
      assert.equal(seen.waitPercent, null, 'no schedstat: WAIT% unknown, never 0');
      assertClose(byPid(await scan(2), 2944).ctxPerSecond, 0);
    } finally {
      tree.remove();
    }
  });
});
