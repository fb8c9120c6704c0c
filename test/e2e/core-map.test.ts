import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { PtySession } from '../helpers/pty-session.js';
import { TAG_NAME, newTag, untilNoneTagged } from '../helpers/started.js';

/** The core map over a real lab run, read back from the terminal as a user sees it. */
describe('the core map in a pseudo-terminal', { skip: process.platform !== 'linux', timeout: 120_000 }, () => {
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());

  test('GIL-like threads: one strip per core, the workers in the legend, "one at a time"; g closes', async () => {
    const tag = newTag();
    const paratop = new PtySession({ cols: 120, rows: 40, env: { [TAG_NAME]: tag } });
    session = paratop;
    await paratop.waitFor(/PID USER +CPU%/);
    paratop.press('3');
    await paratop.waitFor(/gil-worker-2/);
    // The panel reads the map from the run's start, open or not.
    await paratop.waitFor(/Seen: One at a time/, 20_000);
    paratop.press('g');
    const map = await paratop.waitUntil(
      (text) => /CORE MAP/.test(text) && /^One at a time/m.test(text),
      'the map saying the threads take turns',
      20_000,
    );
    assert.match(map, /CORE MAP/);
    assert.match(map, /^ *0 │.*│ +[\d.]+% busy, \d+ waiting/m);
    assert.match(map, /A gil-worker-\d · B gil-worker-\d/);
    paratop.press('g');
    await paratop.waitUntil((text) => !/CORE MAP/.test(text), 'the map closed');
    paratop.press('q');
    assert.equal((await paratop.waitForExit()).exitCode, 0);
    assert.deepEqual(await untilNoneTagged(tag, 5000), [], 'no worker left running');
  });
});
