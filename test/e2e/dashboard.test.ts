import assert from 'node:assert/strict';
import { cpus } from 'node:os';
import { after, afterEach, describe, test } from 'node:test';
import { KEYS, PtySession } from '../helpers/pty-session.js';
import { TestProcesses, isAlive, waitForExit } from '../helpers/processes.js';

const TABLE_HEADER = /PID USER +CPU%/;
const CORE_METER = /^\s*\d+ \[[^\]]*(%|…)\]/;

describe('the dashboard in a pseudo-terminal', { timeout: 120_000 }, () => {
  const processes = new TestProcesses();
  let session: PtySession | undefined;
  const open = (options?: ConstructorParameters<typeof PtySession>[0]): PtySession => {
    session = new PtySession(options);
    return session;
  };
  afterEach(() => session?.dispose());
  after(() => processes.stopAll());

  test('one meter per core, a process table, and q leaves the alternate screen with exit 0', async () => {
    const paratop = open();
    const screen = await paratop.waitFor(TABLE_HEADER);
    assert.ok(paratop.isAlternateScreen(), 'the dashboard draws on the alternate screen');
    const meters = screen.split('\n').filter((line) => CORE_METER.test(line));
    assert.equal(meters.length, cpus().length, `one meter per core:\n${screen}`);
    assert.match(screen, /Mem\[/);
    paratop.press('q');
    const status = await paratop.waitForExit();
    assert.equal(status.exitCode, 0);
    assert.equal(paratop.isAlternateScreen(), false, 'back on the normal screen');
  });

  test('a busy process shows near 100% CPU, and is killed through / filter, k, Enter', async () => {
    const marker = `paratop-e2e-busy-${process.pid}`;
    const busy = processes.busy(marker);
    const paratop = open();
    await paratop.waitFor(TABLE_HEADER);
    paratop.press(`/${marker}`);
    await paratop.waitFor(`Filter: ${marker}`);
    paratop.press(KEYS.enter);
    const cpuOf = (screen: string): number | null => {
      const row = screen.split('\n').find((line) => line.trim().startsWith(`${busy.pid} `));
      const cpu = row?.trim().split(/\s+/)[2];
      return cpu === undefined ? null : Number(cpu);
    };
    // Generous bound: the test machine has 2 cores and other work on them.
    await paratop.waitUntil((screen) => (cpuOf(screen) ?? 0) >= 70, 'the busy process near 100% CPU', 15_000);
    paratop.press('k');
    const dialog = await paratop.waitFor('Send a signal');
    assert.match(dialog, new RegExp(`PID ${busy.pid}`));
    assert.match(dialog, />\s*SIGTERM/, 'TERM is preselected');
    paratop.press(KEYS.enter);
    await paratop.waitFor(`Sent SIGTERM to PID ${busy.pid}`);
    assert.equal(await waitForExit(busy), 'SIGTERM');
    assert.equal(isAlive(busy.pid ?? 0), false);
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
  });

  test('escape sequences and blessed tags in process names are shown inert', async () => {
    const marker = `paratop-e2e-hostile-${process.pid}`;
    // The command line carries an OSC title change and blessed tags; the name (comm) an SGR colour.
    const hostile = processes.node(
      "require('fs').writeFileSync('/proc/self/comm','\\x1b[31mevil');setInterval(()=>{},1e9)",
      marker,
      ['\x1b]0;pwned\x07', '{red-fg}tagged{/red-fg}', '\x1b[2J'],
    );
    const paratop = open({ cols: 240, args: ['--no-lab'] });
    await paratop.waitFor(TABLE_HEADER);
    paratop.press(`/${marker}`);
    paratop.press(KEYS.enter);
    const screen = await paratop.waitFor(`{red-fg}tagged{/red-fg}`);
    assert.match(screen, /\]0;pwned/, 'the OSC sequence is text, its ESC and BEL stripped');
    assert.ok(
      !paratop.titles.some((title) => title.includes('pwned')),
      `title changed to ${JSON.stringify(paratop.titles)}`,
    );
    assert.match(screen, TABLE_HEADER, 'the screen was not cleared by the embedded CSI 2J');
    paratop.press('H');
    const threads = await paratop.waitFor(`threads of PID ${hostile.pid}`);
    assert.match(threads, /\[31mevil/, 'the thread name is shown without its ESC');
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
  });

  test('H shows the threads of the selected process with their TIDs', async () => {
    const paratop = open();
    await paratop.waitFor(TABLE_HEADER);
    paratop.press(`/${paratop.pid}`);
    paratop.press(KEYS.enter);
    await paratop.waitFor(new RegExp(`^\\s*${paratop.pid} `, 'm'));
    paratop.press('H');
    const screen = await paratop.waitFor(/TID S +CPU%/);
    assert.match(screen, new RegExp(`threads of PID ${paratop.pid}`));
    // node runs several threads (libuv pool, V8 workers); the main one has TID = PID.
    assert.match(screen, new RegExp(`^\\s*${paratop.pid} [RS]`, 'm'));
    paratop.press(KEYS.escape);
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('q');
    await paratop.waitForExit();
  });

  test('a terminal that is too small says so, and the dashboard comes back on resize', async () => {
    const paratop = open({ cols: 80, rows: 24 });
    await paratop.waitFor(TABLE_HEADER);
    paratop.resize(40, 10);
    await paratop.waitFor('Terminal too small: 40x10');
    paratop.resize(80, 24);
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
  });

  test('sorting, tree view, help and a mouse click work from the keyboard and mouse', async () => {
    const paratop = open();
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('>');
    await paratop.waitFor(/MEM%▼/);
    paratop.press('I');
    await paratop.waitFor(/MEM%▲/);
    paratop.press('t');
    await paratop.waitFor(/[├└]─ /);
    paratop.press('?');
    await paratop.waitFor('paratop keys');
    paratop.press('x');
    await paratop.waitUntil((screen) => !screen.includes('paratop keys'), 'the help to close');
    // Click the PID column title: sorted by PID, ascending.
    const headerRow = paratop.lines().findIndex((line) => TABLE_HEADER.test(line));
    paratop.click(3, headerRow);
    await paratop.waitFor(/PID▲/);
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
  });
});

describe('signals to the dashboard', { timeout: 60_000 }, () => {
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const) {
    test(`${signal}: exit ${code}, back on the normal screen`, async () => {
      const paratop = new PtySession();
      try {
        await paratop.waitFor(TABLE_HEADER);
        process.kill(paratop.pid, signal);
        const status = await paratop.waitForExit();
        assert.equal(status.exitCode, code);
        assert.equal(paratop.isAlternateScreen(), false);
      } finally {
        paratop.dispose();
      }
    });
  }
});
