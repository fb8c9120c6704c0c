import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import { allGone, childrenOf } from '../helpers/proc-measure.js';
import { isAlive } from '../helpers/processes.js';
import { KEYS, PtySession } from '../helpers/pty-session.js';
import { TAG_NAME, newTag, processesTagged, untilNoneTagged } from '../helpers/started.js';
import { descendantsOf } from '../helpers/workloads.js';

const TABLE_HEADER = /PID USER +CPU%/;
const folder = mkdtempSync(join(tmpdir(), 'paratop-run-'));
after(() => rmSync(folder, { recursive: true, force: true }));
/** Prints a few lines, one of them hostile, then spins until stopped. */
const CHATTY = join(folder, 'chatty.sh');
writeFileSync(
  CHATTY,
  `echo "hello from the job"\nprintf ` +
    `'\\033]0;pwned\\007{red-fg}tagged{/red-fg}\\n'\necho "to stderr" ` +
    `>&2\nwhile :; do :; done\n`,
);

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** A session whose every child process carries a fresh tag, so what it leaves behind can be found. */
function tagged(options: ConstructorParameters<typeof PtySession>[0] = {}): { paratop: PtySession; tag: string } {
  const tag = newTag();
  return { paratop: new PtySession({ ...options, env: { ...options.env, [TAG_NAME]: tag } }), tag };
}

/** The command's processes: everything under paratop's command keeper (not paratop's other helpers). */
function commandTree(paratop: PtySession): number[] {
  const keepers = childrenOf(paratop.pid).filter((pid) => commandLine(pid).startsWith('paratop-keeper'));
  return [...keepers, ...keepers.flatMap((pid) => descendantsOf(pid))];
}

/** Processes this paratop started that are still alive after a grace period, as "PID command". */
async function leftBehind(tag: string): Promise<string[]> {
  return (await untilNoneTagged(tag, 5000)).map((entry) => `${entry.pid} ${entry.command}`);
}

describe('your own command in the dashboard', {
  skip: process.platform !== 'linux' && 'needs Linux',
  timeout: 120_000,
}, () => {
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());

  test(
    'paratop run -- <command>: its PID in the panel, output in the o pane (inert), x ' + 'stops it, q leaves nothing',
    async () => {
      const paratop = new PtySession({ cols: 120, rows: 40, args: ['run', '--', 'sh', CHATTY] });
      session = paratop;
      const screen = await paratop.waitFor(/RUN {2}sh .*chatty\.sh · \d+ s · x stop · o output/);
      assert.match(screen, TABLE_HEADER, 'the process table stays up; the output does not spill onto it');
      // Printed only in the panel's one-line preview, never straight onto the screen.
      assert.deepEqual(
        screen.split('\n').filter((line) => /hello from the job|to stderr/.test(line) && !/^o output: /.test(line)),
        [],
      );
      const withPid = await paratop.waitUntil(
        (text) => /PID \d+ sh \d/.test(text),
        'the command listed with its PID and CPU%',
      );
      const pid = Number(/PID (\d+) sh /.exec(withPid)?.[1]);
      assert.ok(isAlive(pid));
      paratop.press('o');
      const output = await paratop.waitFor(/Output of sh .*chatty\.sh \(running\)/);
      assert.match(output, /hello from the job/);
      assert.match(output, /\{red-fg\}tagged\{\/red-fg\}/, 'tags shown as text');
      assert.match(output, /to stderr/);
      assert.ok(!paratop.titles.includes('pwned'), 'the window title was not changed');
      paratop.press('x');
      await paratop.waitFor(/Last run, sh .*: stopped \(SIGINT\)|Last run, sh .*: killed by/, 15_000);
      assert.ok(await allGone([pid], 3000, isAlive));
      await paratop.waitFor(/\(ended\)/);
      paratop.press(KEYS.escape);
      await paratop.waitFor(TABLE_HEADER);
      paratop.press('q');
      assert.equal((await paratop.waitForExit()).exitCode, 0);
    },
  );

  test('r prompts for a command line; q while it runs ends its whole tree', async () => {
    const { paratop, tag } = tagged({ cols: 120, rows: 40 });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('r');
    await paratop.waitFor('Run: ');
    paratop.press(`--shell sh ${CHATTY} & sh ${CHATTY}; wait`);
    paratop.press('\r');
    await paratop.waitUntil(
      (text) => (text.match(/PID \d+ sh /g) ?? []).length >= 3,
      'the shell and both children in the panel',
    );
    const tree = commandTree(paratop);
    assert.ok(tree.length >= 4, `keeper, shell and two children: ${tree.join(', ')}`);
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
    assert.ok(await allGone(tree, 5000, isAlive), `left running: ${tree.filter(isAlive).join(', ')}`);
    assert.deepEqual(await leftBehind(tag), []);
  });

  test('one process of the command killed from the table (/ PID, k, Enter): the rest runs on', async () => {
    const { paratop, tag } = tagged({
      cols: 120,
      rows: 40,
      args: ['run', '--', 'sh', '-c', 'sleep 300 & sleep 301; wait'],
    });
    session = paratop;
    await paratop.waitUntil(
      (text) => (text.match(/PID \d+ sleep /g) ?? []).length === 2 && /PID \d+ sh /.test(text),
      'sh and both sleeps in the panel',
    );
    const tree = commandTree(paratop);
    const victim = tree.find((pid) => commandLine(pid).startsWith('sleep\u0000300'));
    assert.ok(victim, `sleep 300 among ${tree.join(', ')}`);
    // A number in the filter matches that PID: the sleep's row alone, selected.
    paratop.press(`/${victim}`);
    await paratop.waitFor(`Filter: ${victim}`);
    paratop.press(KEYS.enter);
    await paratop.waitUntil(
      (text) =>
        new RegExp(`^ *${victim} .*sleep 300`, 'm').test(text) && !/sleep 301/.test(text.split('RUN ')[0] ?? ''),
      'the sleep alone in the table',
    );
    paratop.press('k');
    await paratop.waitFor(new RegExp(`Send a signal[\\s\\S]*PID ${victim}`));
    paratop.press(KEYS.enter);
    await paratop.waitFor(`Sent SIGTERM to PID ${victim}`);
    assert.ok(await allGone([victim], 3000, isAlive));
    const screen = await paratop.waitUntil(
      (text) => !new RegExp(`PID ${victim} `).test(text),
      'the killed process gone from the panel',
    );
    assert.match(screen, /RUN {2}sh -c .* x stop/, 'the command still runs');
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
    assert.ok(await allGone(tree, 5000, isAlive), `left running: ${tree.filter(isAlive).join(', ')}`);
    assert.deepEqual(await leftBehind(tag), []);
  });

  test(
    'SIGKILL of paratop: a daemon the command started (setsid, re-parented) ends ' + 'too, once paratop had seen it',
    async () => {
      // The subshell starts a sleep in a session of its own and ends 3 s later: the sleep is then
      // re-parented, outside the command's session and tree, as a daemon would be.
      const marker = `1002.${process.pid}`;
      const { paratop, tag } = tagged({
        cols: 120,
        rows: 40,
        args: ['run', '--', 'sh', '-c', `(setsid sleep ${marker} & sleep 3); sleep 303`],
      });
      session = paratop;
      // Once the subshell has gone, the daemon is listed in the panel by PID: paratop followed it.
      let daemon = 0;
      await paratop.waitUntil(
        (text) => {
          daemon = processesTagged(tag).find((entry) => entry.command === `sleep ${marker}`)?.pid ?? 0;
          return daemon > 0 && !commandTree(paratop).includes(daemon) && new RegExp(`PID ${daemon} sleep`).test(text);
        },
        'the daemon re-parented and still followed in the panel',
        15_000,
      );
      try {
        process.kill(paratop.pid, 'SIGKILL');
        await paratop.waitForExit();
        assert.ok(await allGone([daemon], 5000, isAlive), `the daemon ${daemon} still runs`);
        assert.deepEqual(await leftBehind(tag), []);
      } finally {
        if (isAlive(daemon)) process.kill(daemon, 'SIGKILL');
      }
    },
  );

  test('a command that cannot run is refused in plain words, and nothing starts', async () => {
    const { paratop, tag } = tagged({ cols: 120, rows: 40 });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('r');
    await paratop.waitFor('Run: ');
    paratop.press('no-such-program-xyz --flag\r');
    await paratop.waitFor(/Cannot run that: "no-such-program-xyz" was not found on the PATH/);
    assert.deepEqual(
      processesTagged(tag, [paratop.pid]).filter((entry) => /keeper|no-such-program/.test(entry.command)),
      [],
      'no keeper, no command',
    );
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
  });
});
