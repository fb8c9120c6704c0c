import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import { readRecording } from '../../src/app/recording-file.js';
import { PtySession } from '../helpers/pty-session.js';
import { knownRecordingText } from '../helpers/recording.js';

const folder = mkdtempSync(join(tmpdir(), 'paratop-replay-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const RIGHT = '\x1b[C';
const LEFT = '\x1b[D';

describe('replay and --record in a pseudo-terminal', { timeout: 120_000 }, () => {
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());

  test('replay: the same screens, a time line in the footer; Space pauses, arrows step, k is refused', async () => {
    const path = join(folder, 'known.ndjson');
    writeFileSync(path, knownRecordingText());
    const paratop = new PtySession({ args: ['replay', path], cols: 100, rows: 30 });
    session = paratop;
    await paratop.waitFor(/REPLAY \d:\d\d \/ 0:04 \[[=-]+\] ×1 (playing|paused|end) #\d\/5/);
    await paratop.waitFor(/PID USER +CPU%/);
    await paratop.waitFor(/replay: nothing here is live/);
    paratop.press(' ');
    await paratop.waitFor(/×1 paused/);
    paratop.press(LEFT);
    paratop.press(LEFT);
    paratop.press(LEFT);
    paratop.press(LEFT);
    await paratop.waitFor(/REPLAY 0:00 \/ 0:04 .* paused #1\/5/);
    // The first sample: the lab run of the recording is on, its workers in the panel.
    await paratop.waitFor(/gil-worker-1/);
    paratop.press(RIGHT);
    await paratop.waitFor(/paused #2\/5/);
    paratop.press('k');
    await paratop.waitFor(/This is a replay of a recording: no signal can be sent from it\./);
    assert.doesNotMatch(paratop.screen(), /Send a signal/, 'no kill dialog');
    paratop.press('3');
    await paratop.waitFor(/cannot start or stop experiments/);
    paratop.press('+');
    await paratop.waitFor(/Replay speed ×2\./);
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
  });

  test('a recording cut short says so on the screen, and replays up to its last whole line', async () => {
    const path = join(folder, 'cut.ndjson');
    const text = knownRecordingText();
    writeFileSync(path, text.slice(0, text.length - 40));
    const paratop = new PtySession({ args: ['replay', path], cols: 140, rows: 30 });
    session = paratop;
    await paratop.waitFor(/cut\.ndjson was cut short \(paratop killed while writing\?\): replayed up to its last/);
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
  });

  test('--record on the dashboard: q closes the file, a recording with the dashboard as its source', async () => {
    const path = join(folder, 'dashboard.ndjson.gz');
    const paratop = new PtySession({ args: ['--record', path, '--interval', '0.5'], cols: 100, rows: 30 });
    session = paratop;
    await paratop.waitFor(/PID USER +CPU%/);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
    const recording = readRecording(path);
    assert.equal(recording.header.source, 'dashboard');
    assert.equal(recording.truncated, false);
    const samples = recording.entries.filter((entry) => entry.line.type === 'sample');
    assert.ok(samples.length >= 3, `${samples.length} samples`);
  });

  test('--record on the dashboard killed with SIGKILL: the file reads up to its last whole line', async () => {
    const path = join(folder, 'killed.ndjson');
    const paratop = new PtySession({ args: ['--record', path, '--interval', '0.25'], cols: 100, rows: 30 });
    session = paratop;
    await paratop.waitFor(/PID USER +CPU%/);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    process.kill(paratop.pid, 'SIGKILL');
    await paratop.waitForExit();
    const samples = readRecording(path).entries.filter((entry) => entry.line.type === 'sample');
    assert.ok(samples.length >= 3, `${samples.length} samples`);
  });

  test('replay of a file that is not a recording: a message and exit 2, the terminal untouched', async () => {
    const path = join(folder, 'not.txt');
    writeFileSync(path, 'hello\n');
    const paratop = new PtySession({ args: ['replay', path], cols: 100, rows: 30 });
    session = paratop;
    const status = await paratop.waitForExit();
    assert.equal(status.exitCode, 2);
    assert.match(paratop.output, /not\.txt is not a paratop recording/);
    assert.equal(paratop.isAlternateScreen(), false);
  });
});
