import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stripLines, taskStrip } from '../../../src/model/task-strip.js';

test('a strip per worker: back-to-back tasks alternate marks, idle time is dots, the tail shows', () => {
  const strip = taskStrip(
    [
      { task: 0, worker: 'a', start: 0, end: 1 },
      { task: 1, worker: 'a', start: 1, end: 2 },
      { task: 2, worker: 'a', start: 2, end: 3 },
      { task: 3, worker: 'b', start: 0, end: 1 },
      { task: 4, worker: 'b', start: 1, end: 2 },
    ],
    3,
    6,
  );
  assert.equal(strip.secondsPerColumn, 0.5);
  assert.deepEqual(
    strip.rows.map((row) => [row.worker, row.cells, row.tasks, row.busySeconds]),
    [
      ['a', '██▓▓██', 3, 3],
      ['b', '██▓▓··', 2, 2],
    ],
  );
  const lines = stripLines(strip);
  assert.equal(lines[0], 'a      |██▓▓██| 3');
  assert.equal(lines[1], 'b      |██▓▓··| 2');
  assert.match(lines[2] ?? '', /^ {7}0 +3\.0 s$/);
});

test('a task lost with its worker is an x, and not counted as done', () => {
  const strip = taskStrip(
    [
      { task: 0, worker: 'a', start: 0, end: 2, lost: true },
      { task: 0, worker: 'b', start: 2, end: 4 },
    ],
    4,
    4,
  );
  assert.deepEqual(
    strip.rows.map((row) => [row.cells, row.tasks]),
    [
      ['xx··', 0],
      ['··██', 1],
    ],
  );
});

test('no tasks at all: no rows, and still a scale', () => {
  const strip = taskStrip([], 0, 10);
  assert.deepEqual(strip.rows, []);
  assert.equal(stripLines(strip).length, 1);
});
