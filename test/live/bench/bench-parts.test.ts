import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { measureAccuracy, nearestReading } from '../../../bench/accuracy.js';
import { FrameDetector } from '../../../bench/frame-detector.js';
import { measureKeyLatency, percentile } from '../../../bench/key-latency.js';
import { labTarget, measureLabSpeedups, speedupScenarios, workerCounts } from '../../../bench/lab-speedup.js';
import { busyPercent, parseCoreTicks, parsePidTicks } from '../../../bench/proc-stat.js';
import { fixturesDir } from '../../helpers/fixtures.js';
import { addUtime, generateProcTree } from '../../../bench/proc-tree.js';
import { countSpawns } from '../../../bench/self-cost.js';
import { measureWaitCheck, parseCoreRunDelays, parsePerfLatency, SPINNERS } from '../../../bench/wait-check.js';
import { SCENARIOS, findScenario } from '../../../src/lab/scenarios.js';
import { LinuxSampler } from '../../../src/sampler/linux/linux-sampler.js';

/** Pure parts of the bench, checked on canned input: fast, and no timing asserted. */
describe('bench: pure parts', () => {
  test("the bench's own /proc/stat reader: busy is all but idle and iowait, guest left out", () => {
    const before = parseCoreTicks(
      'cpu  30 0 20 900 10 0 0 0 0 0\ncpu0 10 0 10 470 10 0 0 0 0 0\ncpu1 20 0 10 430 0 0 0 0 0 0\nintr 1 2\n',
    );
    const after = parseCoreTicks(
      'cpu  130 0 40 1000 10 0 0 0 0 0\ncpu0 20 0 10 560 10 0 0 0 0 0\ncpu1 100 5 20 440 0 3 2 0 50 0\nintr 1 2\n',
    );
    assert.equal(before.length, 2);
    assert.deepEqual(before[0], { busy: 20, total: 500 });
    // cpu0: 10 busy ticks of 100; cpu1: 80 user + 5 nice + 10 system + 3 irq + 2 softirq = 100 busy of 110 (guest 50 is
    // inside user).
    assert.equal(busyPercent(before[0]!, after[0]!), 10);
    assert.ok(Math.abs(busyPercent(before[1]!, after[1]!)! - (100 / 110) * 100) < 1e-9);
    assert.equal(busyPercent(before[0]!, before[0]!), null);
  });

  test('the reader agrees with a captured /proc/stat', () => {
    const cores = parseCoreTicks(readFileSync(join(fixturesDir, 'proc-t0', 'stat'), 'utf8'));
    assert.deepEqual(cores, [
      { busy: 1254 + 517 + 5 + 3, total: 1254 + 517 + 37024 + 6 + 5 + 3 },
      { busy: 1838 + 749 + 15 + 5, total: 1838 + 749 + 36149 + 97 + 15 + 5 },
    ]);
  });

  test('utime + stime of a process whose name holds spaces and parentheses', () => {
    const stat = '4242 (a) b (c)) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 7 3 20 0 1 0 100 1000 10';
    assert.equal(parsePidTicks(stat), 300);
    assert.equal(parsePidTicks('4242 (short)'), null);
  });

  test('the reading nearest a moment is chosen, before or after it', () => {
    const readings = [{ at: 100 }, { at: 102 }, { at: 104 }];
    assert.equal(nearestReading(readings, 102.9)?.at, 102);
    assert.equal(nearestReading(readings, 103.1)?.at, 104);
    assert.equal(nearestReading([], 1), null);
  });

  test(
    'lab speedups run only the steady experiments, python ones included, with ' + 'targets from their definitions',
    () => {
      const ids = speedupScenarios().map((scenario) => scenario.id);
      assert.deepEqual(ids, [
        'one-thread',
        'free-threads',
        'gil-threads',
        'processes',
        'threads-join',
        'py-gil-threads',
        'py-free-threads',
        'py-processes',
      ]);
      assert.ok(SCENARIOS.length > ids.length);
      const target = (id: string, freeThreaded = false): unknown => labTarget(findScenario(id)!, freeThreaded);
      assert.equal(target('processes'), 'speedup');
      assert.equal(target('free-threads'), 'speedup');
      assert.equal(target('py-processes'), 'speedup');
      assert.equal(target('gil-threads'), 'one-core');
      assert.equal(target('py-gil-threads'), 'one-core');
      assert.equal(target('py-gil-threads', true), null);
      assert.equal(target('gil-threads', true), 'one-core');
      assert.equal(target('one-thread'), null);
      assert.equal(target('threads-join'), null);
      assert.deepEqual(workerCounts(findScenario('processes')!, 2), [1, 2, 4]);
      assert.deepEqual(workerCounts(findScenario('one-thread')!, 2), [1]);
    },
  );

  test('percentiles by nearest rank, timeouts included as their value', () => {
    const sorted = [...Array.from({ length: 19 }, () => 2), 1000];
    assert.equal(percentile(sorted, 0.5), 2);
    assert.equal(percentile(sorted, 0.95), 2);
    assert.equal(
      percentile(
        [...sorted.slice(2), 1000, 1000].sort((a, b) => a - b),
        0.95,
      ),
      1000,
    );
  });

  test('strace output: processes, execs and threads counted inside the window only', () => {
    const trace = [
      '100 10.000000 execve("/usr/bin/node", ["node"], 0x1 /* 3 vars */) = 0',
      '100 11.500000 clone3({flags=CLONE_VM|CLONE_FS|CLONE_THREAD|CLONE_SYSVSEM, child_tid=0x1}, 88) = 101',
      '100 12.000000 clone(child_stack=NULL, ' +
        'flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x2) = 102',
      '102 12.001000 execve("/bin/sh", ["/bin/sh", "-c", "ps"], 0x3 /* 3 vars */) = 0',
      '101 12.500000 --- SIGCHLD {si_signo=SIGCHLD} ---',
      '100 13.000000 vfork( <unfinished ...>',
      '100 13.000100 <... vfork resumed>) = 103',
      '100 20.000000 clone(child_stack=NULL, flags=SIGCHLD) = 104',
      '104 20.001000 execve("/usr/local/bin/ps", ["ps"], 0x3 /* 3 vars */) = -1 ENOENT (No such file or directory)',
      '104 20.002000 execve("/usr/bin/ps", ["ps"], 0x3 /* 3 vars */) = 0',
    ].join('\n');
    assert.deepEqual(countSpawns(trace, 11, 20), { processes: 2, execs: 1, threads: 1, programs: { sh: 1 } });
    // A failed try along the PATH counts as an execve call, not as a program run.
    assert.deepEqual(countSpawns(trace, 0, 100), {
      processes: 3,
      execs: 4,
      threads: 1,
      programs: { node: 1, sh: 1, ps: 1 },
    });
  });

  test('perf sched latency rows: delay is the average times the switches; other lines skipped', () => {
    const text = [
      ' -----------------------------------------------------------------',
      '  Task                  |   Runtime ms  | Switches | Avg delay ms    | Max delay ms    |',
      '  sh:5024               |    752.181 ms |      188 | avg:  11.935 ms | max:  15.968 ms | max start: 1.0 s',
      '  a:b (odd):77          |      0.070 ms |        1 | avg:   0.000 ms | max:   0.000 ms | max start: 0.0 s',
      '  TOTAL:                |   2999.600 ms |      750 |',
    ].join('\n');
    const rows = parsePerfLatency(text);
    assert.deepEqual(
      rows.map((row) => row.pid),
      [5024, 77],
    );
    assert.ok(Math.abs((rows[0]?.delayMs ?? 0) - 11.935 * 188) < 1e-9);
    assert.equal(rows[1]?.delayMs, 0);
  });

  test('/proc/schedstat: the run delay of each cpu line (field 8), domain lines skipped', () => {
    const text = [
      'version 15',
      'timestamp 4295',
      'cpu0 0 0 100 40 50 20 9000000000 1500000000 300',
      'domain0 3 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35',
      'cpu1 0 0 10 4 5 2 900 150 30',
      'cpu2 0 0 10',
    ].join('\n');
    assert.deepEqual(
      [...parseCoreRunDelays(text)],
      [
        [0, 1500000000],
        [1, 150],
      ],
    );
  });

  test('a stat line with more utime keeps everything else', () => {
    const stat = '10001 (my (odd) name) S 1 2 3 0 -1 0 0 0 0 0 120 30 0 0 20 0 1 0 5 100 3\n';
    const busier = addUtime(stat, 7);
    assert.equal(busier, '10001 (my (odd) name) S 1 2 3 0 -1 0 0 0 0 0 127 30 0 0 20 0 1 0 5 100 3\n');
    assert.equal(parsePidTicks(busier), 157);
  });
});

const ESC = '\x1b';
const at = (row: number): string => `${ESC}[${row};1H`;
const plain = (text: string): string => text.padEnd(60);
const selected = (text: string): string => `${ESC}[30;46m${text.padEnd(60)}${ESC}[0m`;
const screen = (selectedRow: number, names: string[]): string => {
  const rows = names.map(
    (name, index) => `${at(index + 1)}${index + 1 === selectedRow ? selected(name) : plain(name)}`,
  );
  return `${ESC}[2J${rows.join('')}`;
};
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('bench: the key-to-frame detector on canned output', () => {
  test('the frame ends at the last chunk of the burst that moved the selected row', async () => {
    const detector = new FrameDetector(60, 10, 20);
    try {
      detector.feed(screen(2, ['init', 'bash', 'node', 'sshd']), 0);
      await detector.drained();
      assert.match(detector.selection() ?? '', /^1\|bash/);
      const frame = detector.nextFrame(1000);
      // The old row is cleared in one chunk, the new one painted in the next, then a footer.
      detector.feed(`${at(2)}${plain('bash')}`, 100);
      await wait(2);
      detector.feed(`${at(3)}${selected('node')}`, 104);
      await wait(2);
      detector.feed(`${at(8)}pid 3 selected`, 106);
      assert.equal(await frame, 106);
      assert.match(detector.selection() ?? '', /^2\|node/);
    } finally {
      detector.dispose();
    }
  });

  test('a scroll (same row, other process) is a change; output that moves nothing times out', async () => {
    const detector = new FrameDetector(60, 10, 20);
    try {
      detector.feed(screen(4, ['a', 'b', 'c', 'd']), 0);
      await detector.drained();
      const scrolled = detector.nextFrame(1000);
      detector.feed(screen(4, ['b', 'c', 'd', 'e']), 50);
      assert.equal(await scrolled, 50);
      const nothing = detector.nextFrame(150);
      detector.feed(screen(4, ['b', 'c', 'd', 'e']), 300);
      assert.equal(await nothing, null);
    } finally {
      detector.dispose();
    }
  });
});

/**
 * Small runs of the bench's parts against the real paratop, so `npm run bench` cannot rot unnoticed. No timing is
 * asserted.
 */
describe('bench parts', { skip: process.platform !== 'linux', timeout: 60_000 }, () => {
  test(
    'a generated /proc tree has the asked number of processes, each with its own ' + 'PID; 5% can be made busy',
    async () => {
      const tree = generateProcTree(100);
      const sampler = new LinuxSampler({ procRoot: tree.root });
      try {
        const processes = await sampler.sampleProcesses();
        assert.equal(processes.length, 100);
        assert.equal(new Set(processes.map((process) => process.pid)).size, 100);
        const ticks = (): number[] =>
          processes.map(
            (process) => parsePidTicks(readFileSync(join(tree.root, String(process.pid), 'stat'), 'utf8')) ?? 0,
          );
        const before = ticks();
        assert.equal(tree.makeBusy(0.05), 5);
        const after = ticks();
        assert.equal(after.filter((value, index) => value > (before[index] ?? 0)).length, 5);
        assert.equal((await sampler.sampleProcesses()).length, 100);
      } finally {
        sampler.close();
        tree.remove();
      }
    },
  );

  test(
    'accuracy compares paratop watch with the bench’s own /proc/stat reading, core ' + 'by core, with a pinned core',
    async () => {
      const result = await measureAccuracy(2);
      assert.ok(result.intervals >= 2, `compared ${result.intervals} core-intervals`);
      assert.ok(Number.isFinite(result.maxDifference));
      assert.ok(Number.isFinite(result.skewMs.max));
      assert.ok(result.pinned, 'the pinned core was read');
    },
  );

  test(
    'lab speedups: a run measured by paratop and by the bench alike; python ' +
      'experiments skipped, not thrown, without python3',
    async () => {
      const { points, skipped } = await measureLabSpeedups(0.6, () => undefined, {
        scenarios: [findScenario('one-thread')!, findScenario('py-processes')!],
        pythonCommand: '/nonexistent/python3',
      });
      assert.equal(points.length, 1);
      const [point] = points;
      assert.ok(point?.coresUsed !== null && point?.coresUsedProc !== null, 'both figures measured');
      assert.ok(
        Math.abs((point?.coresUsed ?? 0) - (point?.coresUsedProc ?? 0)) < 0.1,
        `paratop ${point?.coresUsed}, /proc ${point?.coresUsedProc}`,
      );
      assert.deepEqual(
        skipped.map((skip) => skip.scenario),
        ['py-processes'],
      );
      assert.match(skipped[0]?.reason ?? '', /nonexistent/);
    },
  );

  test('the WAIT% check reads every task it started and ends them; perf and schedstat say why unused', async () => {
    const result = await measureWaitCheck(2);
    assert.equal(result.tasks.length, SPINNERS + 1);
    for (const task of result.tasks) {
      assert.notEqual(task.paratopWaitPercent, null, `paratop read ${task.what} ${task.pid}`);
      assert.equal(task.perfWaitPercent === null, result.perfSkipped !== null, `perf figure of ${task.pid}`);
      assert.throws(() => process.kill(task.pid, 0), /ESRCH/, `${task.pid} ended`);
    }
    assert.equal(result.coreWaitingTasks === null, result.schedstatSkipped !== null);
    if (result.schedstatSkipped) assert.match(result.schedstatSkipped, /CONFIG_SCHEDSTATS/);
  });

  test('key latency times each press to a completed frame, timeouts counted', async () => {
    const result = await measureKeyLatency(5);
    assert.equal(result.presses, 5);
    assert.ok(result.timeouts <= 5);
    assert.ok(result.p50Ms > 0);
  });
});
