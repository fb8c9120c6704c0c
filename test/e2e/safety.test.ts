import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { after, afterEach, describe, test } from 'node:test';
import { KEYS, PtySession } from '../helpers/pty-session.js';
import { allGone, childrenOf } from '../helpers/proc-measure.js';
import { TestProcesses, isAlive, waitForExit } from '../helpers/processes.js';
import { TAG_NAME, newTag, untilNoneTagged } from '../helpers/started.js';
import { panelPids, waitForWorkloads } from '../helpers/workloads.js';

const TABLE_HEADER = /PID USER +CPU%/;
const IS_ROOT = process.getuid?.() === 0;

/**
 * Start the Processes experiment (4) and return its two worker PIDs: those the lab panel shows,
 * checked to be the workload processes paratop started (not one of its short-lived helpers).
 */
async function startProcesses(paratop: PtySession): Promise<number[]> {
  paratop.press('4');
  const screen = await paratop.waitUntil(
    (text) => panelPids(text, 'proc-worker').length === 2,
    'two worker PIDs in the lab panel',
  );
  const pids = panelPids(screen, 'proc-worker');
  assert.deepEqual(
    [...(await waitForWorkloads(paratop.pid, 2))].sort(),
    [...pids].sort(),
    'the panel shows the workers paratop started',
  );
  return pids;
}

/** Start the lock-free threads experiment (2); the PID of its one thread host, once its threads run. */
async function startThreads(paratop: PtySession): Promise<number> {
  paratop.press('2');
  await paratop.waitUntil((text) => /free-worker-2/.test(text), 'the two threads in the panel');
  const [host, ...more] = await waitForWorkloads(paratop.pid, 1);
  assert.ok(host !== undefined && more.length === 0, 'one process for the threads');
  return host;
}

/** Filter the table down to one PID and select it. */
async function select(paratop: PtySession, pid: number): Promise<void> {
  paratop.press(`/${pid}`);
  paratop.press(KEYS.enter);
  // The filter has applied when the PID's row is the first (the selected one) under the header.
  await paratop.waitUntil((text) => {
    const lines = text.split('\n');
    const header = lines.findIndex((line) => /^\s*PID\S* +USER/.test(line));
    return header >= 0 && new RegExp(`^\\s*${pid} `).test(lines[header + 1] ?? '');
  }, `PID ${pid} alone in the table`);
}

/** Processes started by this paratop (they carry its tag) still alive, but for the shell of a thenStty session. */
async function leftBehind(paratop: PtySession, tag: string): Promise<string[]> {
  // The test shell runs stty, then a sleep, after paratop: looked for afresh each time, as it may start late.
  const shell = (): number[] => [paratop.ptyPid, ...childrenOf(paratop.ptyPid)];
  return (await untilNoneTagged(tag, 5000, shell)).map((entry) => `${entry.pid} ${entry.command}`);
}

describe('every way out gives the terminal back and leaves no workload', { timeout: 180_000 }, () => {
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());

  const catchable: [string, (paratop: PtySession) => void, number][] = [
    ['q', (paratop) => paratop.press('q'), 0],
    ['Ctrl-C', (paratop) => paratop.press(KEYS.ctrlC), 0],
    ['SIGTERM', (paratop) => process.kill(paratop.pid, 'SIGTERM'), 143],
    ['SIGHUP', (paratop) => process.kill(paratop.pid, 'SIGHUP'), 129],
    ['an uncaught exception', (paratop) => paratop.press('\x1b[24~'), 1],
  ];
  for (const [name, exit, code] of catchable) {
    test(`${name}: alternate screen left, cursor shown, echo and line editing back on`, async () => {
      const tag = newTag();
      const paratop = new PtySession({ thenStty: true, env: { PARATOP_TEST_CRASH_KEY: 'f12', [TAG_NAME]: tag } });
      session = paratop;
      await paratop.waitFor(TABLE_HEADER);
      const pids = await startProcesses(paratop);
      exit(paratop);
      const { exitCode, stty } = await paratop.afterExit();
      assert.equal(exitCode, code);
      assert.equal(paratop.isAlternateScreen(), false);
      assert.ok(paratop.cursorShown(), 'the cursor is visible again');
      assert.match(stty, /(^|\s)echo(\s|$)/m, `echo is on:\n${stty}`);
      assert.match(stty, /(^|\s)icanon(\s|$)/m, 'line editing is on');
      assert.ok(await allGone(pids, 5000, isAlive), `workers left: ${pids.filter(isAlive).join(', ')}`);
      assert.deepEqual(await leftBehind(paratop, tag), []);
    });
  }

  test('SIGKILL: nothing can restore the terminal, but every workload still ends', async () => {
    const tag = newTag();
    const paratop = new PtySession({ env: { [TAG_NAME]: tag } });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    const pids = await startProcesses(paratop);
    process.kill(paratop.pid, 'SIGKILL');
    await paratop.waitForExit();
    assert.ok(await allGone(pids, 5000, isAlive), `workers left: ${pids.filter(isAlive).join(', ')}`);
    assert.deepEqual(await leftBehind(paratop, tag), []);
  });

  test('a crashing worker process is reported; the other runs on; quitting ends it', async () => {
    const tag = newTag();
    const paratop = new PtySession({ cols: 120, rows: 40, env: { [TAG_NAME]: tag } });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    const [crashing, other] = await startProcesses(paratop);
    assert.ok(crashing && other);
    process.kill(crashing, 'SIGSEGV');
    await paratop.waitFor(new RegExp(`PID ${crashing} proc-worker-\\d killed by SIGSEGV`));
    assert.ok(isAlive(other), 'the other worker runs on');
    assert.match(paratop.screen(), / x stop /, 'the experiment is still running');
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
    assert.ok(await allGone([other], 5000, isAlive));
    assert.deepEqual(await leftBehind(paratop, tag), []);
  });

  test(
    'a crashing thread host takes all its threads with it: the run ends and says so; ' + 'quitting leaves nothing',
    async () => {
      const tag = newTag();
      const paratop = new PtySession({ cols: 120, rows: 40, env: { [TAG_NAME]: tag } });
      session = paratop;
      await paratop.waitFor(TABLE_HEADER);
      const host = await startThreads(paratop);
      process.kill(host, 'SIGSEGV');
      await paratop.waitFor('The run ended because its workers exited');
      assert.match(paratop.screen(), /Last run, Threads that release the lock/);
      paratop.press('q');
      assert.equal((await paratop.waitForExit()).exitCode, 0);
      assert.deepEqual(await leftBehind(paratop, tag), []);
    },
  );
});

describe('kill safety', { timeout: 120_000 }, () => {
  const processes = new TestProcesses();
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());
  after(() => processes.stopAll());

  test('PID 1 and paratop itself are refused', async () => {
    const paratop = new PtySession({ cols: 120, rows: 40 });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    // Sort by PID, first row: PID 1.
    const headerRow = paratop.lines().findIndex((line) => TABLE_HEADER.test(line));
    paratop.click(3, headerRow);
    await paratop.waitFor(/PID▲/);
    paratop.press('\x1b[H');
    await paratop.waitFor(/^\s+1 /m);
    paratop.press('k');
    await paratop.waitFor('PID 1 is init; paratop will not signal it');
    await select(paratop, paratop.pid);
    paratop.press('k');
    await paratop.waitFor('That is paratop itself');
    assert.doesNotMatch(paratop.screen(), /Send a signal/);
    paratop.press('q');
    await paratop.waitForExit();
  });

  test('a process that exited after it was selected: reported, nothing sent', async () => {
    const target = processes.idle('paratop-safety-exited');
    const paratop = new PtySession({ cols: 120, rows: 40 });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    await select(paratop, target.pid ?? 0);
    paratop.press('k');
    await paratop.waitFor('Send a signal');
    target.kill('SIGKILL');
    await waitForExit(target);
    paratop.press(KEYS.enter);
    await paratop.waitFor(`PID ${target.pid} (node) has already exited; nothing was sent.`);
    paratop.press('q');
    await paratop.waitForExit();
  });

  test('a PID reused by a new process between selection and kill: refused, the newcomer untouched', {
    skip: !IS_ROOT && 'needs root to steer PID reuse',
  }, async () => {
    const first = processes.idle('paratop-safety-first');
    const pid = first.pid ?? 0;
    const paratop = new PtySession({ cols: 120, rows: 40 });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    await select(paratop, pid);
    paratop.press('k');
    await paratop.waitFor('Send a signal');
    first.kill('SIGKILL');
    await waitForExit(first);
    // Make the kernel hand out the same PID next (ns_last_pid is how checkpoint/restore does it).
    let newcomer: ChildProcess | undefined;
    for (let attempt = 0; attempt < 20 && newcomer?.pid !== pid; attempt += 1) {
      newcomer?.kill('SIGKILL');
      writeFileSync('/proc/sys/kernel/ns_last_pid', String(pid - 1));
      newcomer = spawn('sleep', ['60'], { stdio: 'ignore' });
    }
    assert.equal(newcomer?.pid, pid, 'the PID was reused');
    paratop.press(KEYS.enter);
    await paratop.waitFor(`PID ${pid} now belongs to another process`);
    assert.ok(isAlive(pid), 'the newcomer was not signalled');
    newcomer?.kill('SIGKILL');
    paratop.press('q');
    await paratop.waitForExit();
  });

  const setpriv =
    spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', '0']).status ===
    0;
  const readable =
    setpriv &&
    spawnSync('setpriv', [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      process.execPath,
      'bin/paratop',
      '--version',
    ]).status === 0;
  test("another user's process: paratop run as nobody is not permitted, says so, and nothing is signalled", {
    skip: !IS_ROOT
      ? 'needs root to start paratop as another user'
      : !readable && 'setpriv is missing, or this checkout is not readable by nobody',
  }, async () => {
    const target = processes.idle('paratop-safety-root-owned');
    const paratop = new PtySession({
      cols: 120,
      rows: 40,
      wrap: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
    });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    await select(paratop, target.pid ?? 0);
    paratop.press('k');
    await paratop.waitFor('Send a signal');
    paratop.press('\x1b[B'); // SIGKILL
    paratop.press(KEYS.enter);
    await paratop.waitFor(`Not permitted to signal PID ${target.pid} (node): it belongs to root.`);
    assert.ok(isAlive(target.pid ?? 0));
    paratop.press('q');
    await paratop.waitForExit();
  });
});

describe('hostile process names and command lines', { timeout: 60_000 }, () => {
  const processes: ChildProcess[] = [];
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());
  after(() => {
    for (const child of processes) child.kill('SIGKILL');
  });

  test(
    'escape sequences, BEL, blessed tags, huge and invalid-UTF-8 command lines: ' +
      'inert, layout intact, title unchanged',
    async () => {
      const marker = `paratop-hostile-${process.pid}`;
      const hostile = [
        `${marker}-osc \x1b]0;pwned-title\x07 \x1b]2;pwned-st\x1b\\ bell\x07bell`,
        `${marker}-csi \x1b[2J\x1b[H\x1b[31mred\x1b[0m \x1b[10;10Hmoved`,
        `${marker}-tags {red-fg}{bold}tagged{/bold}{/red-fg}`,
        `${marker}-long ${'x'.repeat(100_000)}`,
      ];
      for (const argument of hostile)
        processes.push(spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)', argument], { stdio: 'ignore' }));
      // argv[0] with bytes that are not UTF-8, set from a shell.
      processes.push(spawn('bash', ['-c', `exec -a $'\\xff\\xfe${marker}-bytes\\xc3' sleep 600`], { stdio: 'ignore' }));
      const paratop = new PtySession({ cols: 180, rows: 40, args: ['--no-lab'] });
      session = paratop;
      let bells = 0;
      paratop.terminal.onBell(() => {
        bells += 1;
      });
      await paratop.waitFor(TABLE_HEADER);
      paratop.press(`/${marker}`);
      paratop.press(KEYS.enter);
      const screen = await paratop.waitUntil(
        (text) => (text.match(new RegExp(marker, 'g')) ?? []).length >= 6,
        'all hostile rows',
      );
      assert.match(screen, /\]0;pwned-title \]2;pwned-st\\ bellbell/, 'OSC and BEL are text, their ESC and BEL gone');
      assert.match(screen, /\{red-fg\}\{bold\}tagged\{\/bold\}\{\/red-fg\}/);
      assert.match(screen, /\[2J\[H\[31mred\[0m \[10;10Hmoved/);
      assert.match(screen, /\ufffd\ufffdparatop-hostile-\d+-bytes\ufffd/);
      assert.deepEqual(paratop.titles, [], 'nothing changed the terminal title');
      assert.equal(bells, 0, 'no bell rang');
      const lines = paratop.lines();
      assert.match(lines[0] ?? '', /^paratop /, 'the header is still on the first row');
      assert.match(lines.at(-1) ?? '', /F1Help/, 'the footer is still on the last row');
      assert.ok(lines.every((line) => line.length <= 180));
      paratop.press('q');
      assert.equal((await paratop.waitForExit()).exitCode, 0);
    },
  );
});

describe('terminals', { timeout: 60_000 }, () => {
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());

  test('20x6 says it is too small, readably; growing to 80x24 brings the dashboard', async () => {
    const paratop = new PtySession({ cols: 20, rows: 6 });
    session = paratop;
    await paratop.waitFor(/Terminal too small/);
    assert.match(paratop.screen().replace(/\n/g, ' '), /needs at least 60x15/);
    paratop.resize(80, 24);
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
  });

  test('a burst of resizes: no crash, and the last size is drawn right', async () => {
    const paratop = new PtySession({ cols: 80, rows: 24 });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    for (let step = 0; step < 60; step += 1) paratop.resize(60 + ((step * 7) % 80), 15 + ((step * 5) % 30));
    paratop.resize(100, 30);
    await paratop.waitUntil(
      (screen) => TABLE_HEADER.test(screen) && (screen.split('\n').at(-1) ?? '').includes('F1Help'),
      'a whole frame at 100x30',
    );
    assert.equal(paratop.lines().length, 30);
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
  });

  test('TERM=dumb gets a clear message and exit 2', async () => {
    const paratop = new PtySession({ env: { TERM: 'dumb' } });
    session = paratop;
    const status = await paratop.waitForExit();
    assert.equal(status.exitCode, 2);
    assert.match(paratop.screen(), /TERM=dumb cannot draw a full-screen dashboard/);
  });

  test('an unknown TERM still gets the dashboard', async () => {
    const paratop = new PtySession({ env: { TERM: 'frobnicator-9000' } });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
  });

  test('NO_COLOR: no colour at all, selection still visible', async () => {
    const paratop = new PtySession({ env: { NO_COLOR: '1' } });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    // Not the first frame, which has no figures yet: wait for measured ones (meters, own CPU),
    // the parts that would be coloured.
    await paratop.waitUntil(
      (text) => /pid \d+ · cpu \d/.test(text) && /^0 \[\|*\s*\d+\.\d%\]/m.test(text),
      'a frame with measured figures',
    );
    paratop.press('q');
    await paratop.waitForExit();
    // SGR colour parameters: 30-37, 40-47, 90-97, 100-107, 38;5 / 48;5 (39 and 49 only reset to default).
    const colours = [...paratop.output.matchAll(/\x1b\[([\d;]*)m/g)]
      .flatMap((match) => (match[1] ?? '').split(';'))
      .filter((code) => /^(3[0-8]|4[0-8]|9\d|10\d)$/.test(code));
    assert.deepEqual(colours, []);
    assert.match(paratop.output, /\x1b\[[\d;]*7[\d;]*m/, 'the selection is drawn in inverse video');
  });
});

describe('the dashboard while processes and threads churn', { timeout: 60_000 }, () => {
  test('thread view open on a process whose threads come and go: no crash, clean exit', async () => {
    const { startChurn } = await import('../helpers/churn.js');
    const churn = startChurn(5, 800, 200);
    const paratop = new PtySession({ cols: 120, rows: 40, args: ['--interval', '0.25'] });
    try {
      await paratop.waitFor(TABLE_HEADER);
      await select(paratop, churn.pid ?? 0);
      paratop.press('H');
      await paratop.waitFor(`threads of PID ${churn.pid}`);
      await waitForExit(churn, 10_000);
      await paratop.waitFor(`PID ${churn.pid} has exited`);
      paratop.press(KEYS.escape);
      // A q right behind Esc in the same read is Alt-q to blessed: wait for the list first.
      await paratop.waitFor(TABLE_HEADER);
      paratop.press('q');
      assert.equal((await paratop.waitForExit()).exitCode, 0);
    } finally {
      churn.kill('SIGKILL');
      paratop.dispose();
    }
  });
});
