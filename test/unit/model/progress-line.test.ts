import assert from 'node:assert/strict';
import { test } from 'node:test';
import { progressLine, secondsLeft, wholeSeconds } from '../../../src/model/progress-line.js';

test('the progress line: what, step, time so far, and what is left only where known', () => {
  const figures = { what: 'How many workers?', step: '2 of 4 workers', elapsedSeconds: 6.4, leftSeconds: 12.2 };
  assert.equal(progressLine(figures, 80), 'How many workers? · 2 of 4 workers · 6 s · about 12 s left');
  assert.equal(progressLine({ ...figures, step: null, leftSeconds: null }, 80), 'How many workers? · 6 s');
  assert.equal(progressLine({ ...figures, elapsedSeconds: 65 }, 80).includes('1 min 05 s'), true);
  const narrow = progressLine(figures, 20);
  assert.equal([...narrow].length, 20);
  assert.ok(narrow.endsWith('…'));
});

test('a command line on the progress line carries no escape sequence', () => {
  const line = progressLine(
    { what: 'evil \x1b]0;pwned\x07 \x1b[2J', step: null, elapsedSeconds: 1, leftSeconds: null },
    80,
  );
  assert.doesNotMatch(line, /\x1b/);
});

test('time left: from a planned length, or from "K of N" steps once one is done; else no guess', () => {
  assert.equal(secondsLeft(2, null, 5), 3);
  assert.equal(secondsLeft(7, 'anything', 5), 0);
  assert.equal(secondsLeft(6, '2 of 4 workers, 800 units', null), 18);
  assert.equal(secondsLeft(6, '1 of 4 workers', null), null);
  assert.equal(secondsLeft(6, 'sizing the job on one worker', null), null);
  assert.equal(secondsLeft(6, null, null), null);
  assert.equal(wholeSeconds(-3), '0 s');
});
