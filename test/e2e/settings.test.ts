import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import { createServer } from 'node:net';
import { PtySession } from '../helpers/pty-session.js';

const TABLE_HEADER = /PID\S* +(USER +)?CPU%/;
const folder = mkdtempSync(join(tmpdir(), 'paratop-settings-e2e-'));
let homes = 0;

/** A settings folder holding `text` as paratop/config.toml. */
function configHome(text: string): { home: string; file: string } {
  homes += 1;
  const home = join(folder, `home-${homes}`);
  mkdirSync(join(home, 'paratop'), { recursive: true });
  const file = join(home, 'paratop', 'config.toml');
  writeFileSync(file, text);
  return { home, file };
}

const COMMENTED = `# kept by hand
[dashboard]
interval = 5        # a slow machine
sort = "pid"        # oldest first
sort_descending = false
columns = ["pid", "cpu", "command"]
`;

const header = (screen: string): string => screen.split('\n').find((line) => TABLE_HEADER.test(line)) ?? '';

describe('the settings file, through the real dashboard', { timeout: 120_000 }, () => {
  let session: PtySession | undefined;
  const open = (options: ConstructorParameters<typeof PtySession>[0]): PtySession => {
    session = new PtySession(options);
    return session;
  };
  afterEach(() => session?.dispose());
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('the file sets sort and columns, options win, and q writes back only what keys changed', async () => {
    const { home, file } = configHome(COMMENTED);
    const paratop = open({ args: ['--interval', '2'], env: { XDG_CONFIG_HOME: home } });
    const screen = await paratop.waitFor(TABLE_HEADER);
    assert.match(screen, /every 2s/, `--interval beats the file's 5:\n${screen}`);
    assert.match(header(screen), /^\s*PID▲\s+CPU%\s+COMMAND\s*$/, 'only the columns the file lists');
    const pids = screen
      .split('\n')
      .map((line) => /^\s*(\d+)\s+[\d.-]+\s/.exec(line)?.[1])
      .filter((pid) => pid !== undefined)
      .map(Number);
    assert.ok(pids.length > 3, `process rows:\n${screen}`);
    assert.deepEqual(
      pids,
      [...pids].sort((a, b) => a - b),
      'sorted by PID, smallest first',
    );
    paratop.press('t');
    await paratop.waitFor(/[├└]─/);
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
    const text = readFileSync(file, 'utf8');
    assert.match(
      text,
      /^# kept by hand\n\[dashboard\]\ninterval = 5 +# a slow machine\nsort = "pid" +# oldest first\n/,
    );
    assert.match(text, /tree = true/);
    assert.doesNotMatch(text, /interval = 2/, 'a setting from the command line is not made permanent');
  });

  test('a bad value: the dashboard starts on the default and one line names file, line and key', async () => {
    const { home } = configHome('[dashboard]\ntree = false\nsort = "speed"\n');
    const paratop = open({ cols: 160, env: { XDG_CONFIG_HOME: home } });
    const screen = await paratop.waitFor(/config\.toml:3: dashboard\.sort = "speed": it must be one of pid/);
    assert.match(header(screen), /CPU%/);
    assert.match(header(screen), /MEM%/, 'the default columns');
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
  });

  test('--no-config ignores the file; the help names the file in use', async () => {
    const { home } = configHome('[dashboard]\ncolumns = ["pid", "command"]\n');
    const paratop = open({ rows: 60, args: ['--no-config'], env: { XDG_CONFIG_HOME: home } });
    const screen = await paratop.waitFor(TABLE_HEADER);
    assert.match(header(screen), /USER +CPU%\S* +MEM%/);
    paratop.press('?');
    await paratop.waitFor('Settings: none (--no-config)');
    paratop.press('q');
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
  });

  test('a read-only file is left as it was, and paratop says so after the screen is restored', async () => {
    const { home, file } = configHome(COMMENTED);
    chmodSync(file, 0o444);
    const paratop = open({ env: { XDG_CONFIG_HOME: home } });
    await paratop.waitFor(TABLE_HEADER);
    paratop.press('t');
    await paratop.waitFor(/[├└]─/);
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
    assert.equal(paratop.isAlternateScreen(), false);
    assert.match(paratop.output, /paratop: settings not saved to .*config\.toml: it is read-only/);
    assert.equal(readFileSync(file, 'utf8'), COMMENTED);
  });

  test('read_only from the file turns kill off; --no-read-only turns it back on', async () => {
    const { home } = configHome('[dashboard]\nread_only = true\n');
    const frozen = open({ env: { XDG_CONFIG_HOME: home } });
    await frozen.waitFor(TABLE_HEADER);
    frozen.press('k');
    await frozen.waitFor('Read-only mode');
    frozen.press('q');
    assert.equal((await frozen.waitForExit()).exitCode, 0);
    frozen.dispose();
    const free = open({ args: ['--no-read-only'], env: { XDG_CONFIG_HOME: home } });
    await free.waitFor(TABLE_HEADER);
    // The test runner itself as the target (only the dialog is opened): not PID 1 or paratop.
    free.press(`/${process.pid}`);
    await free.waitFor(`Filter: ${process.pid}`);
    free.press('\r');
    free.press('k');
    await free.waitFor('Send a signal');
    free.press('\x1b');
    await free.waitUntil((screen) => !screen.includes('Send a signal'), 'the dialog closed');
    free.press('q');
    assert.equal((await free.waitForExit()).exitCode, 0);
  });

  test("an [export] address in use: exit 2, naming the file's key, before the screen opens", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    try {
      const address = holder.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const { home } = configHome(`[export]\nlisten = "127.0.0.1:${port}"\n`);
      const paratop = open({ env: { XDG_CONFIG_HOME: home } });
      assert.equal((await paratop.waitForExit()).exitCode, 2);
      assert.match(paratop.output, /paratop: export\.listen in .*config\.toml: /);
    } finally {
      holder.close();
    }
  });
});
