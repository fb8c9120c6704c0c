import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, afterEach, describe, test } from 'node:test';
import { KEYS, PtySession } from '../helpers/pty-session.js';
import { isAlive } from '../helpers/processes.js';
import { allGone, childrenOf } from '../helpers/proc-measure.js';

const TABLE_HEADER = /PID USER +CPU%/;

/** Worker PIDs as the lab panel prints them ("PID 1234 proc-worker-1 ..."). */
function panelPids(screen: string, prefix: string): number[] {
  return [...screen.matchAll(new RegExp(`PID (\\d+) ${prefix}-\\d+`, 'g'))].map((match) => Number(match[1]));
}

async function workloadChildren(paratop: PtySession, count: number): Promise<number[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const children = childrenOf(paratop.pid);
    if (children.length >= count) return children;
    if (Date.now() > deadline) throw new Error(`paratop has ${children.length} children, expected ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the lab in the dashboard', { timeout: 120_000 }, () => {
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());

  test('a digit starts processes: their PIDs on screen and highlighted rows; x stops them and they are gone', async () => {
    const paratop = (session = new PtySession({ cols: 120, rows: 40 }));
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('4');
    const screen = await paratop.waitUntil((text) => panelPids(text, 'proc-worker').length === 2, 'two worker PIDs in the lab panel');
    const pids = panelPids(screen, 'proc-worker');
    assert.deepEqual([...pids].sort(), childrenOf(paratop.pid).sort(), 'the PIDs shown are paratop’s children');
    assert.ok(pids.every(isAlive));
    // The same PIDs are rows of the process table.
    await paratop.waitUntil((text) => pids.every((pid) => new RegExp(`^\\s*${pid} `, 'm').test(text)), 'worker rows in the table');
    paratop.press('x');
    await paratop.waitFor('Last run, Processes');
    assert.ok(await allGone(pids, 5000, isAlive), 'x stopped the workers');
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
  });

  test('a thread experiment opens the thread view: one PID, a named TID per worker', async () => {
    const paratop = (session = new PtySession({ cols: 120, rows: 40 }));
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('3');
    const screen = await paratop.waitUntil((text) => /gil-worker-2/.test(text) && /TID S +CPU%/.test(text), 'the thread view of the GIL-like experiment');
    const [host] = await workloadChildren(paratop, 1);
    assert.match(screen, new RegExp(`threads of PID ${host}`));
    assert.match(screen, /Simulates CPython's GIL/);
    const tids = [...screen.matchAll(/^\s*(\d+) [RS] .* gil-worker-\d+$/gm)].map((match) => Number(match[1]));
    assert.equal(tids.length, 2, screen);
    assert.ok(tids.every((tid) => tid !== host));
    paratop.press('x');
    await paratop.waitFor('Last run, Threads under a GIL-like lock');
    assert.ok(await allGone([host ?? 0], 5000, isAlive));
    paratop.press('q');
    await paratop.waitForExit();
  });
});

describe('no workload outlives the dashboard', { timeout: 180_000 }, () => {
  const exits: [string, (paratop: PtySession) => void, { code?: number; restores: boolean }][] = [
    ['q', (paratop) => paratop.press('q'), { code: 0, restores: true }],
    ['Ctrl-C', (paratop) => paratop.press(KEYS.ctrlC), { code: 0, restores: true }],
    ['SIGTERM', (paratop) => process.kill(paratop.pid, 'SIGTERM'), { code: 143, restores: true }],
    ['SIGHUP', (paratop) => process.kill(paratop.pid, 'SIGHUP'), { code: 129, restores: true }],
    ['an uncaught exception', (paratop) => paratop.press('\x1b[24~'), { code: 1, restores: true }],
    ['SIGKILL', (paratop) => process.kill(paratop.pid, 'SIGKILL'), { restores: false }],
  ];
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());
  after(() => session?.dispose());

  for (const [name, exit, expected] of exits) {
    for (const [key, workers] of [
      ['4', 2],
      ['3', 1],
    ] as const) {
      test(`${name} with ${key === '4' ? 'worker processes' : 'a thread host'} running`, async () => {
        const paratop = (session = new PtySession({ env: { PARATOP_TEST_CRASH_KEY: 'f12' } }));
        await paratop.waitFor(TABLE_HEADER);
        paratop.press(key);
        await paratop.waitFor(/ x stop /);
        const pids = await workloadChildren(paratop, workers);
        exit(paratop);
        const status = await paratop.waitForExit();
        if (expected.code !== undefined) assert.equal(status.exitCode, expected.code);
        if (expected.restores) assert.equal(paratop.isAlternateScreen(), false, 'the terminal is back on its normal screen');
        if (name === 'an uncaught exception') await paratop.waitFor('paratop crashed: Error: test crash');
        assert.ok(await allGone(pids, 5000, isAlive), `workload PIDs ${pids.join(', ')} survived ${name}`);
      });
    }
  }
});

describe('the lab, page two', { timeout: 120_000 }, () => {
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());

  test('Tab turns the page; 3 shows results lost by processes', async () => {
    const paratop = (session = new PtySession({ cols: 120, rows: 40 }));
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('\t');
    await paratop.waitFor('LAB 2/3');
    paratop.press('3');
    await paratop.waitFor("the parent's list holds 0");
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
  });

  test('v shows the last table and its chart; Esc goes back', async () => {
    const paratop = (session = new PtySession({ cols: 120, rows: 40 }));
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('\t');
    await paratop.waitFor('LAB 2/3');
    paratop.press('7');
    await paratop.waitFor('Last run, Beware fork()', 20_000);
    paratop.press('v');
    const screen = await paratop.waitFor('total RSS, MB');
    assert.match(screen, /approach\s+process\s+PID\s+RSS MB\s+PSS MB\s+USS MB/);
    assert.match(screen, /load, then start\s+total/);
    paratop.press(KEYS.escape);
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('q');
    await paratop.waitForExit();
  });

  test('= asks the calculator: the lecture example gives 8 cores', async () => {
    const paratop = (session = new PtySession({ cols: 120, rows: 40 }));
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('=');
    await paratop.waitFor('Cores for a deadline');
    paratop.press('\x15');
    paratop.press('125 70 20m');
    paratop.press(KEYS.enter);
    await paratop.waitFor('125 tasks of 70 s within 20 min: 8 cores');
    paratop.press('q');
    await paratop.waitForExit();
  });

  for (const key of ['1', '2', '3', '4', '5', '6', '7', '8', '9']) {
    test(`page 2, key ${key}: q while it runs (or after) leaves nothing behind`, async () => {
      const paratop = (session = new PtySession({ cols: 120, rows: 40 }));
      await paratop.waitFor(TABLE_HEADER);
      paratop.press('\t');
      await paratop.waitFor('LAB 2/3');
      paratop.press(key);
      const pids = await workloadChildren(paratop, 1);
      await new Promise((resolve) => setTimeout(resolve, 700));
      const seen = [...new Set([...pids, ...childrenOf(paratop.pid)])];
      paratop.press('q');
      assert.equal((await paratop.waitForExit(15_000)).exitCode, 0);
      assert.ok(await allGone(seen, 5000, isAlive), `left running: ${seen.filter(isAlive).join(', ')}`);
    });
  }
});

describe('no workload of a multi-step experiment outlives the dashboard', { timeout: 120_000 }, () => {
  const exits: [string, (paratop: PtySession) => void][] = [
    ['q', (paratop) => paratop.press('q')],
    ['Ctrl-C', (paratop) => paratop.press(KEYS.ctrlC)],
    ['SIGTERM', (paratop) => process.kill(paratop.pid, 'SIGTERM')],
    ['SIGHUP', (paratop) => process.kill(paratop.pid, 'SIGHUP')],
    ['an uncaught exception', (paratop) => paratop.press('\x1b[24~')],
    ['SIGKILL', (paratop) => process.kill(paratop.pid, 'SIGKILL')],
  ];
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());

  for (const [name, exit] of exits) {
    test(`${name} during the sweep`, async () => {
      const paratop = (session = new PtySession({ env: { PARATOP_TEST_CRASH_KEY: 'f12' } }));
      await paratop.waitFor(TABLE_HEADER);
      paratop.press('\t');
      await paratop.waitFor('LAB 2/3');
      paratop.press('6');
      await paratop.waitFor(/Now: [2-9] of/, 20_000);
      const pids = childrenOf(paratop.pid);
      assert.ok(pids.length >= 2);
      exit(paratop);
      await paratop.waitForExit();
      assert.ok(await allGone(pids, 5000, isAlive), `workload PIDs ${pids.join(', ')} survived ${name}`);
    });
  }
});

describe('real Python in the dashboard', { skip: !hasPython() && 'python3 is not installed', timeout: 120_000 }, () => {
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());

  const toPythonPage = async (paratop: PtySession): Promise<void> => {
    paratop.press('\t');
    await paratop.waitFor('LAB 2/3');
    paratop.press('\t');
    await paratop.waitFor(/LAB 3\/3 \(Tab\) · Python \d/);
  };

  test('page 3: pure-Python threads, one PID and a TID per thread in the thread view', async () => {
    const paratop = (session = new PtySession({ cols: 120, rows: 40 }));
    await paratop.waitFor(TABLE_HEADER);
    await toPythonPage(paratop);
    paratop.press('1');
    const screen = await paratop.waitUntil((text) => /py-gil-2/.test(text) && /TID S +CPU%/.test(text), 'the thread view of the Python process');
    assert.match(screen, /threads of PID \d+ py-gil-main/);
    assert.match(screen, /Python 3\.\d+\.\d+, with its GIL|free-threaded/);
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
  });

  for (const [name, exit] of [
    ['q', (paratop: PtySession) => paratop.press('q')],
    ['SIGTERM', (paratop: PtySession) => process.kill(paratop.pid, 'SIGTERM')],
    ['SIGKILL', (paratop: PtySession) => process.kill(paratop.pid, 'SIGKILL')],
  ] as const) {
    test(`${name} with Python multiprocessing running: the Python process and its forked workers end`, async () => {
      const paratop = (session = new PtySession({ cols: 120, rows: 40 }));
      await paratop.waitFor(TABLE_HEADER);
      await toPythonPage(paratop);
      paratop.press('3');
      await paratop.waitFor(/ x stop /, 15_000);
      const deadline = Date.now() + 10_000;
      let pids: number[] = [];
      while (pids.length < 3 && Date.now() < deadline) {
        const pythons = childrenOf(paratop.pid);
        pids = [...pythons, ...pythons.flatMap((pid) => childrenOf(pid))];
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(pids.length >= 3, `python and its workers: ${pids.join(', ')}`);
      exit(paratop);
      await paratop.waitForExit();
      assert.ok(await allGone(pids, 5000, isAlive), `left running: ${pids.filter(isAlive).join(', ')}`);
    });
  }
});

function hasPython(): boolean {
  return spawnSync('python3', ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)']).status === 0;
}
