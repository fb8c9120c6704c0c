import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import { BIN, PtySession } from '../helpers/pty-session.js';

describe('progress of long headless work, on stderr at a terminal only', { timeout: 60_000 }, () => {
  const folder = mkdtempSync(join(tmpdir(), 'paratop-progress-'));
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('lab run at a terminal: step, time so far and left on one line; JSON on stdout stays clean', async () => {
    const json = join(folder, 'run.json');
    // stdout to a file, stderr to the terminal: as `paratop lab run ... --json > run.json` typed at a shell.
    session = new PtySession({
      args: ['lab', 'run', 'one-thread', '--seconds', '3', '--json'],
      wrap: ['/bin/sh', '-c', `exec "$0" "$@" > '${json}'`],
    });
    await session.waitFor(/One busy thread · \d+ s · about \d+ s left/);
    assert.equal((await session.waitForExit(20_000)).exitCode, 0);
    const result = JSON.parse(readFileSync(json, 'utf8')) as { scenarioId: string };
    assert.equal(result.scenarioId, 'one-thread');
    assert.doesNotMatch(session.screen(), /about \d+ s left/, 'the line is cleared at the end');
  });

  test('lab exec: the line shows until the command speaks, then never again', async () => {
    session = new PtySession({
      args: ['lab', 'exec', '--shell', '--', 'sleep 1.5; echo first-words; sleep 1; echo done'],
    });
    await session.waitFor(/sleep 1\.5; echo first-words.* · \d+ process/);
    await session.waitFor('first-words');
    assert.equal((await session.waitForExit(20_000)).exitCode, 0);
    const after = session.output.slice(session.output.indexOf('first-words\r\n'));
    assert.doesNotMatch(after, /\d+ process(es)? · \d+ s/, 'no progress line after the output began');
  });

  test('record at a terminal: samples so far and the time left of --seconds', async () => {
    const file = join(folder, 'run.ndjson');
    session = new PtySession({ args: ['record', file, '--seconds', '4'] });
    await session.waitFor(/recording .*run\.ndjson · \d+ samples? · \d+ s · about \d+ s left/);
    assert.equal((await session.waitForExit(20_000)).exitCode, 0);
    await session.waitFor(/paratop record: \d+ samples in /);
  });

  test('stderr not a terminal: nothing on it', () => {
    const run = spawnSync(process.execPath, [BIN, 'lab', 'run', 'one-thread', '--seconds', '1', '--json'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(run.status, 0);
    assert.equal(run.stderr, '');
    assert.equal((JSON.parse(run.stdout) as { scenarioId: string }).scenarioId, 'one-thread');
  });
});
