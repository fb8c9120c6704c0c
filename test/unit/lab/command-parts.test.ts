import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { deferred } from '../../../src/lab/deferred.js';
import { OutputPump } from '../../../src/lab/output-pump.js';
import { ThreadRows } from '../../../src/lab/thread-rows.js';

describe('deferred', () => {
  test('settles from outside; a quiet one may be rejected before anyone awaits it', async () => {
    const answer = deferred<number>();
    answer.resolve(42);
    assert.equal(await answer.promise, 42);
    const failing = deferred(true);
    failing.reject(new Error('no start'));
    await new Promise((resolve) => setImmediate(resolve));
    await assert.rejects(failing.promise, /no start/);
  });
});

describe('thread rows', () => {
  test('a row number per thread for the whole run, CPU% between two readings, names made printable', () => {
    const rows = new ThreadRows();
    const first = rows.rows(10, [{ tid: 10, name: 'main', cpuSeconds: 1 }], 1);
    assert.deepEqual(
      first.map((row) => [row.index, row.tid, row.cpu]),
      [[1, 10, null]],
    );
    const second = rows.rows(
      10,
      [
        { tid: 11, name: 'w\x1b[31m', cpuSeconds: 0 },
        { tid: 10, name: 'main', cpuSeconds: 1.5 },
      ],
      0.5,
    );
    assert.deepEqual(
      second.map((row) => [row.index, row.tid, row.cpu]),
      [
        [2, 11, null],
        [1, 10, 100],
      ],
    );
    assert.equal(second[0]?.name.includes('\x1b'), false);
  });

  test('where threads cannot be seen, the process stands for them (no TID)', () => {
    const [row] = new ThreadRows().rows(7, [{ tid: null, name: 'sh', cpuSeconds: null }], 1);
    assert.deepEqual(row && [row.pid, row.tid, row.cpu], [7, null, null]);
  });
});

describe('the output pump', () => {
  test('reads both streams as text, then drains what is left', async () => {
    const out = new PassThrough();
    const err = new PassThrough();
    const heard: string[] = [];
    const pump = new OutputPump(
      [
        ['out', out],
        ['err', err],
      ],
      { onText: (stream, text) => heard.push(`${stream}:${text}`) },
    );
    out.write('hello ');
    err.write('oops');
    out.write('world');
    await pump.drain();
    assert.deepEqual(heard, ['out:hello ', 'err:oops', 'out:world']);
  });

  test('past its budget it stops reading for the rest of the window, so a fast writer waits', async () => {
    const out = new PassThrough();
    let read = 0;
    new OutputPump([['out', out]], { perSecond: 1000, onText: (_stream, text) => (read += text.length) });
    out.write('x'.repeat(100));
    out.write('y'.repeat(100));
    await new Promise((resolve) => setImmediate(resolve));
    // A budget of 1,000 a second is 100 per 100 ms window: the second write waits for the next window.
    assert.equal(read, 100);
    assert.equal(out.isPaused(), true);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(read, 200);
  });
});
