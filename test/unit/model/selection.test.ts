import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMPTY_CURSOR, moveCursor, scrollToShow, settleCursor } from '../../../src/model/selection.js';

test('a picked row: the selection follows its PID when rows move', () => {
  const cursor = { selectedId: 30, index: 2, scrollTop: 0, following: true };
  assert.deepEqual(settleCursor(cursor, [30, 10, 20], 10), { selectedId: 30, index: 0, scrollTop: 0, following: true });
});

test('a vanished PID hands the selection to the row now in its place', () => {
  const cursor = { selectedId: 99, index: 1, scrollTop: 0, following: true };
  assert.deepEqual(settleCursor(cursor, [10, 20, 30], 10), { selectedId: 20, index: 1, scrollTop: 0, following: true });
  assert.deepEqual(settleCursor({ ...cursor, index: 7 }, [10, 20], 10), {
    selectedId: 20,
    index: 1,
    scrollTop: 0,
    following: true,
  });
  assert.equal(settleCursor(EMPTY_CURSOR, [5, 6], 10).selectedId, 5);
});

test('no row picked: the cursor stays on the top row and the top of the list stays in view', () => {
  // The first row of the first reading (PID 1) sinks below a 3-row view as others get busy: the
  // cursor must not follow it and scroll the busiest processes away.
  const first = settleCursor(EMPTY_CURSOR, [1, 2, 3, 4, 5, 6], 3);
  assert.deepEqual(first, { selectedId: 1, index: 0, scrollTop: 0, following: false });
  const resorted = settleCursor(first, [6, 5, 4, 3, 2, 1], 3);
  assert.deepEqual(resorted, { selectedId: 6, index: 0, scrollTop: 0, following: false });
  // New busy rows arrive on top: still the top.
  assert.deepEqual(settleCursor(resorted, [70, 71, 6, 5, 4, 3, 2, 1], 3), {
    selectedId: 70,
    index: 0,
    scrollTop: 0,
    following: false,
  });
});

test('moving picks the row; Home goes back to the top row, not followed', () => {
  const ids = [1, 2, 3, 4, 5, 6];
  const picked = moveCursor(settleCursor(EMPTY_CURSOR, ids, 3), ids, 'down', 3);
  assert.deepEqual(picked, { selectedId: 2, index: 1, scrollTop: 0, following: true });
  // Followed down the list, kept on screen.
  assert.deepEqual(settleCursor(picked, [6, 5, 4, 3, 1, 2], 3), {
    selectedId: 2,
    index: 5,
    scrollTop: 3,
    following: true,
  });
  const home = moveCursor(settleCursor(picked, [6, 5, 4, 3, 1, 2], 3), [6, 5, 4, 3, 1, 2], 'home', 3);
  assert.deepEqual(home, { selectedId: 6, index: 0, scrollTop: 0, following: false });
  assert.deepEqual(settleCursor(home, [5, 6, 4, 3, 1, 2], 3), {
    selectedId: 5,
    index: 0,
    scrollTop: 0,
    following: false,
  });
  // Up at the top picks the top row's process.
  assert.equal(moveCursor(home, [5, 6, 4, 3, 1, 2], 'up', 3).following, true);
});

test('moving keeps the selection on screen; pages, home and end', () => {
  const ids = Array.from({ length: 50 }, (_, index) => index + 100);
  let cursor = settleCursor(EMPTY_CURSOR, ids, 10);
  cursor = moveCursor(cursor, ids, 'page-down', 10);
  assert.deepEqual(cursor, { selectedId: 109, index: 9, scrollTop: 0, following: true });
  cursor = moveCursor(cursor, ids, 'down', 10);
  assert.deepEqual(cursor, { selectedId: 110, index: 10, scrollTop: 1, following: true });
  cursor = moveCursor(cursor, ids, 'end', 10);
  assert.deepEqual(cursor, { selectedId: 149, index: 49, scrollTop: 40, following: true });
  cursor = moveCursor(cursor, ids, 'down', 10);
  assert.equal(cursor.index, 49);
  cursor = moveCursor(cursor, ids, 'home', 10);
  assert.deepEqual(cursor, { selectedId: 100, index: 0, scrollTop: 0, following: false });
  assert.equal(moveCursor(cursor, ids, 'up', 10).index, 0);
});

test('scrolling never leaves blank rows at the bottom when rows shrink', () => {
  assert.equal(scrollToShow(40, 5, 10, 12), 2);
  assert.equal(scrollToShow(0, 0, 10, 3), 0);
});
