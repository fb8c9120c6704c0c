import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, afterEach, describe, test } from 'node:test';
import { KEYS, PtySession } from '../helpers/pty-session.js';
import { isAlive } from '../helpers/processes.js';
import { allGone } from '../helpers/proc-measure.js';
import { TAG_NAME, newTag, processesTagged, untilNoneTagged } from '../helpers/started.js';
import { commandLineOf, panelPids, waitForWorkloads, workloadsOf } from '../helpers/workloads.js';

const TABLE_HEADER = /PID USER +CPU%/;

/** A session whose every child process carries a fresh tag, so what it leaves behind can be found. */
function tagged(options: ConstructorParameters<typeof PtySession>[0] = {}): { paratop: PtySession; tag: string } {
  const tag = newTag();
  return { paratop: new PtySession({ ...options, env: { ...options.env, [TAG_NAME]: tag } }), tag };
}

/** Processes this paratop started that are still alive after a grace period, as "PID command". */
async function leftBehind(tag: string): Promise<string[]> {
  return (await untilNoneTagged(tag, 5000)).map((entry) => `${entry.pid} ${entry.command}`);
}

describe('the lab in the dashboard', { timeout: 120_000 }, () => {
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());

  test(
    'a digit starts processes: their PIDs on screen and highlighted rows; x stops ' + 'them and they are gone',
    async () => {
      const paratop = new PtySession({ cols: 120, rows: 40 });
      session = paratop;
      await paratop.waitFor(TABLE_HEADER);
      paratop.press('4');
      const screen = await paratop.waitUntil(
        (text) => panelPids(text, 'proc-worker').length === 2,
        'two worker PIDs in the lab panel',
      );
      const pids = panelPids(screen, 'proc-worker');
      assert.deepEqual(
        [...pids].sort(),
        [...(await waitForWorkloads(paratop.pid, 2))].sort(),
        'the PIDs shown are the workers paratop started',
      );
      assert.ok(pids.every(isAlive));
      // The same PIDs are rows of the process table.
      await paratop.waitUntil(
        (text) => pids.every((pid) => new RegExp(`^\\s*${pid} `, 'm').test(text)),
        'worker rows in the table',
      );
      paratop.press('x');
      await paratop.waitFor('Last run, Processes');
      assert.ok(await allGone(pids, 5000, isAlive), 'x stopped the workers');
      paratop.press('q');
      assert.equal((await paratop.waitForExit()).exitCode, 0);
    },
  );

  test('a thread experiment opens the thread view: one PID, a named TID per worker', async () => {
    const paratop = new PtySession({ cols: 120, rows: 40 });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('3');
    const screen = await paratop.waitUntil(
      (text) => /gil-worker-2/.test(text) && /TID S +CPU%/.test(text),
      'the thread view of the GIL-like experiment',
    );
    const [host] = await waitForWorkloads(paratop.pid, 1);
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

describe('no workload outlives the dashboard', { timeout: 360_000 }, () => {
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
    // Every open-ended experiment of page 1 (5 ends by itself within a second). Thread experiments
    // run in one host process: its PID is the workload.
    for (const [key, workers, kind] of [
      ['4', 2, 'worker processes'],
      ['3', 1, 'a GIL-like thread host'],
      ['2', 1, 'lock-free threads'],
      ['1', 1, 'one busy thread'],
    ] as const) {
      test(`${name} with ${kind} running`, async () => {
        const { paratop, tag } = tagged({ env: { PARATOP_TEST_CRASH_KEY: 'f12' } });
        session = paratop;
        await paratop.waitFor(TABLE_HEADER);
        paratop.press(key);
        await paratop.waitFor(/ x stop /);
        const pids = await waitForWorkloads(paratop.pid, workers);
        exit(paratop);
        const status = await paratop.waitForExit();
        if (expected.code !== undefined) assert.equal(status.exitCode, expected.code);
        if (expected.restores)
          assert.equal(paratop.isAlternateScreen(), false, 'the terminal is back on its normal screen');
        if (name === 'an uncaught exception') await paratop.waitFor('paratop crashed: Error: test crash');
        assert.ok(await allGone(pids, 5000, isAlive), `workload PIDs ${pids.join(', ')} survived ${name}`);
        assert.deepEqual(await leftBehind(tag), [], `left behind after ${name}`);
      });
    }
  }
});

/**
 * Start the experiment on `key` of the page shown, press q as soon as its first workload runs (some
 * end within half a second, so the workloads are looked for every few milliseconds), and check that
 * q came mid-run and that nothing paratop started is left.
 */
async function quitWhileItRuns(paratop: PtySession, tag: string, key: string): Promise<void> {
  paratop.press(key);
  const [first] = await waitForWorkloads(paratop.pid, 1, 15_000, 5);
  assert.ok(first !== undefined);
  paratop.press('q');
  // The workload was still there when q went: q came mid-run, not after the end.
  assert.ok(isAlive(first), `the workload had already ended: ${commandLineOf(first)}`);
  assert.equal((await paratop.waitForExit(15_000)).exitCode, 0);
  assert.ok(await allGone([first], 5000, isAlive));
  assert.deepEqual(await leftBehind(tag), []);
}

describe('the lab, page two', { timeout: 120_000 }, () => {
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());

  test('Tab turns the page; 3 shows results lost by processes', async () => {
    const paratop = new PtySession({ cols: 120, rows: 40 });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('\t');
    await paratop.waitFor('LAB 2/5');
    paratop.press('3');
    await paratop.waitFor("the parent's list holds 0");
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
  });

  test('v shows the last table and its chart; Esc goes back', async () => {
    const paratop = new PtySession({ cols: 120, rows: 40 });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('\t');
    await paratop.waitFor('LAB 2/5');
    paratop.press('7');
    await paratop.waitFor('Last run, Beware fork()', 20_000);
    paratop.press('v');
    const screen = await paratop.waitUntil(
      (text) =>
        /Beware fork\(\): memory: results · T its trace \(Perfetto\) · v or Esc back/.test(text) && /└─+┘/.test(text),
      'the results view with its chart',
    );
    assert.match(screen, /approach\s+process\s+PID\s+RSS MB\s+PSS MB\s+USS MB/);
    assert.match(screen, /load, then start\s+total/);
    assert.match(screen, /┌─ [^─]*MB ─+┐/, 'a chart in MB');
    paratop.press(KEYS.escape);
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('q');
    await paratop.waitForExit();
  });

  test('= asks the calculator: the lecture example gives 8 cores', async () => {
    const paratop = new PtySession({ cols: 120, rows: 40 });
    session = paratop;
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

  // Each experiment of page 2 stopped by q while its first workload runs. Some end within half a
  // second, so the test looks for the workload every few milliseconds and presses q at once.
  const titles: Record<string, string> = {
    '1': 'Race on a shared counter',
    '2': 'The race fixed with a mutex',
    '3': 'Results lost by processes',
    '4': 'Results sent back on a queue',
    '5': 'Serial, threads and processes compared',
    '6': 'How many workers?',
    '7': 'Beware fork(): memory',
    '8': 'Grid search on a pool',
    '9': 'Threads vs processes, measured',
  };
  for (const [key, title] of Object.entries(titles)) {
    test(`page 2, key ${key} (${title}): q while it runs leaves nothing behind`, async () => {
      const { paratop, tag } = tagged({ cols: 120, rows: 40 });
      session = paratop;
      await paratop.waitFor(TABLE_HEADER);
      paratop.press('\t');
      await paratop.waitFor('LAB 2/5');
      await quitWhileItRuns(paratop, tag, key);
    });
  }
});

describe('the lab, page four: the machine', { timeout: 120_000 }, () => {
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());

  const toMachinePage = async (paratop: PtySession): Promise<void> => {
    for (const page of [2, 3, 4]) {
      paratop.press('\t');
      await paratop.waitFor(`LAB ${page}/5`);
    }
  };

  // Each experiment of page 4 stopped by q while its first workload runs: nothing left behind.
  const titles: Record<string, [string, boolean]> = {
    '1': ['The memory hierarchy, measured', false],
    '2': ['More workers, more cache misses', false],
    '3': ['I/O-bound against CPU-bound threads', false],
    '4': ['Python threads waiting on I/O', true],
    '5': ['Processes pinned to one core, then free', false],
  };
  for (const [key, [title, python]] of Object.entries(titles)) {
    test(`page 4, key ${key} (${title}): q while it runs leaves nothing behind`, {
      skip: python && !hasPython() && 'python3 is not installed',
    }, async () => {
      const { paratop, tag } = tagged({ cols: 120, rows: 40 });
      session = paratop;
      await paratop.waitFor(TABLE_HEADER);
      await toMachinePage(paratop);
      await quitWhileItRuns(paratop, tag, key);
    });
  }

  test('the I/O-bound experiment ends by itself; the panel says what held each run back', async () => {
    const { paratop } = tagged({ cols: 120, rows: 40 });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    await toMachinePage(paratop);
    paratop.press('3');
    const screen = await paratop.waitFor('Last run, I/O-bound against CPU-bound threads', 30_000);
    assert.match(screen, /I\/O-bound, 8 threads: I\/O \(the threads waited on I\/O/);
    assert.match(screen, /CPU-bound, 8 threads: the lock \(/);
    paratop.press('q');
    await paratop.waitForExit();
  });
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
      const { paratop, tag } = tagged({ env: { PARATOP_TEST_CRASH_KEY: 'f12' } });
      session = paratop;
      await paratop.waitFor(TABLE_HEADER);
      paratop.press('\t');
      await paratop.waitFor('LAB 2/5');
      paratop.press('6');
      await paratop.waitFor(/Now: [2-9] of/, 20_000);
      const pids = await waitForWorkloads(paratop.pid, 2);
      exit(paratop);
      await paratop.waitForExit();
      assert.ok(await allGone(pids, 5000, isAlive), `workload PIDs ${pids.join(', ')} survived ${name}`);
      assert.deepEqual(await leftBehind(tag), [], `left behind after ${name}`);
    });
  }
});

describe('real Python in the dashboard', { skip: !hasPython() && 'python3 is not installed', timeout: 120_000 }, () => {
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());

  const toPythonPage = async (paratop: PtySession): Promise<void> => {
    paratop.press('\t');
    await paratop.waitFor('LAB 2/5');
    paratop.press('\t');
    await paratop.waitFor(/LAB 3\/5 \(Tab\) · Python \d/);
  };

  test('page 3: pure-Python threads, one PID and a TID per thread in the thread view', async () => {
    const paratop = new PtySession({ cols: 120, rows: 40 });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    await toPythonPage(paratop);
    paratop.press('1');
    const screen = await paratop.waitUntil(
      (text) => /py-gil-2/.test(text) && /TID S +CPU%/.test(text),
      'the thread view of the Python process',
    );
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
      const { paratop, tag } = tagged({ cols: 120, rows: 40 });
      session = paratop;
      await paratop.waitFor(TABLE_HEADER);
      await toPythonPage(paratop);
      paratop.press('3');
      await paratop.waitFor(/ x stop /, 15_000);
      // paratop_lab.py and the worker processes it forks (each spinning in pure Python).
      const pids = await waitForWorkloads(paratop.pid, 3, 15_000);
      exit(paratop);
      await paratop.waitForExit();
      assert.ok(await allGone(pids, 5000, isAlive), `left running: ${pids.filter(isAlive).join(', ')}`);
      assert.deepEqual(await leftBehind(tag), []);
    });
  }
});

describe('the dashboard without Python', { timeout: 60_000 }, () => {
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());

  test(
    'page 3 greys the py- rows with the reason; a digit is refused on the status ' + 'line and starts nothing',
    async () => {
      const { paratop, tag } = tagged({ cols: 120, rows: 40, env: { PARATOP_PYTHON: '/nonexistent/python3' } });
      session = paratop;
      await paratop.waitFor(TABLE_HEADER);
      paratop.press('\t');
      await paratop.waitFor('LAB 2/5');
      paratop.press('\t');
      const screen = await paratop.waitFor(/LAB 3\/5 \(Tab\) · python3 unavailable/);
      const lines = screen.split('\n');
      const rows = lines
        .map((line, y) => ({ line, y }))
        .filter(({ line }) => /^\s*[1-8] ×\d+\s+(Python|Simulated)/.test(line));
      assert.equal(rows.length, 8, screen);
      for (const { line, y } of rows) {
        assert.match(line, /needs python3: .*nonexistent\/python3/);
        // Greyed: the title, in the row's eighth column, is drawn in grey (palette colour 8).
        assert.equal(paratop.paletteColour(8, y), 8, `row ${y} is not grey: ${line}`);
      }
      paratop.press('1');
      // The status line, the bottom row, says why.
      const refused = await paratop.waitUntil(
        (text) => /^Python threads, pure Python needs python3: .*nonexistent/.test(text.split('\n').at(-1) ?? ''),
        'the refusal on the status line',
      );
      assert.doesNotMatch(refused, / x stop /, 'no experiment runs');
      assert.deepEqual(workloadsOf(paratop.pid), []);
      // Nothing was started for it: no process of this paratop runs Python or a workload.
      assert.deepEqual(
        processesTagged(tag, [paratop.pid]).filter((entry) => /python|paratop-lab|paratop_lab/.test(entry.command)),
        [],
      );
      paratop.press('q');
      assert.equal((await paratop.waitForExit()).exitCode, 0);
    },
  );
});

function hasPython(): boolean {
  return spawnSync('python3', ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)']).status === 0;
}

/** Whether /usr/bin/python3 or python3 has the engine (what paratop would find). */
function hasEngine(module: string): boolean {
  return ['python3', '/usr/bin/python3'].some((python) => spawnSync(python, ['-c', `import ${module}`]).status === 0);
}

describe('the lab, page five: the grid on Dask and MPI', { timeout: 120_000 }, () => {
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());

  /** A tagged dashboard on the engines page, `key` pressed once the engine was found. */
  const startEngine = async (key: '1' | '2', found: RegExp): Promise<{ paratop: PtySession; tag: string }> => {
    const started = tagged({ cols: 140, rows: 45 });
    session = started.paratop;
    await started.paratop.waitFor(TABLE_HEADER);
    for (const page of [2, 3, 4, 5]) {
      started.paratop.press('\t');
      await started.paratop.waitFor(`LAB ${page}/5`);
    }
    await started.paratop.waitFor(found, 20_000);
    started.paratop.press(key);
    return started;
  };

  test('1 starts a local Dask cluster: scheduler and workers in the panel, highlighted; q leaves nothing', {
    skip: !hasEngine('distributed') && 'needs python3-distributed',
  }, async () => {
    const { paratop, tag } = await startEngine('1', /Dask found/);
    const screen = await paratop.waitFor(/dask-worker-2/, 30_000);
    assert.match(screen, /dask-scheduler/);
    await paratop.waitFor(/dask: \d+ of 125 fits done/, 30_000);
    paratop.press('q');
    assert.equal((await paratop.waitForExit(20_000)).exitCode, 0);
    assert.deepEqual(await leftBehind(tag), []);
  });

  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    test(`${signal} to the dashboard while the Dask cluster runs: nothing of it is left`, {
      skip: !hasEngine('distributed') && 'needs python3-distributed',
    }, async () => {
      const { paratop, tag } = await startEngine('1', /Dask found/);
      await paratop.waitFor(/dask: \d+ of 125 fits done/, 30_000);
      process.kill(paratop.pid, signal);
      await paratop.waitForExit(20_000);
      assert.deepEqual(await leftBehind(tag), []);
    });
  }

  test('2 runs the grid on mpirun; q mid-run leaves nothing', {
    skip: !hasEngine('mpi4py') && 'needs openmpi-bin python3-mpi4py',
  }, async () => {
    const { paratop, tag } = await startEngine('2', /MPI found/);
    await paratop.waitFor(/mpi-rank-2/, 30_000);
    await paratop.waitFor(/mpi: \d+ of 125 fits done/, 30_000);
    paratop.press('q');
    assert.equal((await paratop.waitForExit(20_000)).exitCode, 0);
    assert.deepEqual(await leftBehind(tag), []);
  });
});
