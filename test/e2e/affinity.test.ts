import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, afterEach, describe, test } from 'node:test';
import { findExecutable } from '../../src/lab/find-executable.js';
import { parseCpuList } from '../../src/model/cpu-list.js';
import { KEYS, PtySession } from '../helpers/pty-session.js';
import { TestProcesses, isAlive, waitForExit } from '../helpers/processes.js';

const TABLE_HEADER = /PID USER +CPU%/;

const allowedOf = (path: string): number[] =>
  parseCpuList(/^Cpus_allowed_list:\s*(.*)$/m.exec(readFileSync(path, 'utf8'))?.[1] ?? '') ?? [];

function hasTaskset(): boolean {
  try {
    findExecutable('taskset');
    return true;
  } catch {
    return false;
  }
}

const skip =
  process.platform !== 'linux' || !hasTaskset()
    ? 'needs Linux and taskset'
    : !allowedOf('/proc/self/status').includes(1) || !allowedOf('/proc/self/status').includes(0)
      ? 'needs cores 0 and 1'
      : false;

describe('a: pin to cores, in a pseudo-terminal', { timeout: 120_000, skip }, () => {
  const processes = new TestProcesses();
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());
  after(() => processes.stopAll());

  /** paratop with the list filtered down to one idle process of ours. */
  async function showing(marker: string, args: string[] = []): Promise<PtySession> {
    const paratop = new PtySession({ args });
    session = paratop;
    await paratop.waitFor(TABLE_HEADER);
    paratop.press(`/${marker}`);
    await paratop.waitFor(`Filter: ${marker}`);
    paratop.press(KEYS.enter);
    return paratop;
  }

  test('select a process, a, Space, Enter: the status line says it was pinned, and /proc agrees', async () => {
    const marker = `paratop-e2e-pin-${process.pid}`;
    const idle = processes.idle(marker);
    const pid = idle.pid ?? 0;
    const paratop = await showing(marker);
    await paratop.waitUntil((screen) => screen.includes(`${pid} `), 'the process in the list', 15_000);
    paratop.press('a');
    const dialog = await paratop.waitFor(/\[x\] core 1/);
    assert.match(dialog, /Pin to cores/);
    assert.match(dialog, new RegExp(`PID ${pid}`));
    assert.match(dialog, /> \[x\] core 0/, 'preselected from its current cores, cursor on core 0');
    paratop.press(' ');
    await paratop.waitFor(/> \[ \] core 0/);
    paratop.press(KEYS.enter);
    await paratop.waitFor(`Pinned PID ${pid} (node) to core 1, every thread.`);
    assert.deepEqual(allowedOf(`/proc/${pid}/status`), [1]);
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
    idle.kill('SIGKILL');
    await waitForExit(idle);
    assert.equal(isAlive(pid), false);
  });

  test('--read-only: a is refused in words, nothing changes', async () => {
    const marker = `paratop-e2e-pin-ro-${process.pid}`;
    const idle = processes.idle(marker);
    const pid = idle.pid ?? 0;
    const before = allowedOf(`/proc/${pid}/status`);
    const paratop = await showing(marker, ['--read-only']);
    await paratop.waitUntil((screen) => screen.includes(`${pid} `), 'the process in the list', 15_000);
    paratop.press('a');
    await paratop.waitFor('Read-only mode (--read-only): pinning to cores is turned off.');
    assert.deepEqual(allowedOf(`/proc/${pid}/status`), before);
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
    idle.kill('SIGKILL');
    await waitForExit(idle);
  });
});
