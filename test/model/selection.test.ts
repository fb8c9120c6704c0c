import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMPTY_CURSOR, moveCursor, scrollToShow, settleCursor } from '../../src/model/selection.js';

test('the selection follows its PID when rows move', () => {
  const cursor = { selectedId: 30, index: 2, scrollTop: 0 };
  assert.deepEqual(settleCursor(cursor, [30, 10, 20], 10), { selectedId: 30, index: 0, scrollTop: 0 });
});

test('a vanished PID hands the selection to the row now in its place', () => {
  const cursor = { selectedId: 99, index: 1, scrollTop: 0 };
  assert.deepEqual(settleCursor(cursor, [10, 20, 30], 10), { selectedId: 20, index: 1, scrollTop: 0 });
  assert.deepEqual(settleCursor({ ...cursor, index: 7 }, [10, 20], 10), { selectedId: 20, index: 1, scrollTop: 0 });
  assert.equal(settleCursor(EMPTY_CURSOR, [5, 6], 10).selectedId, 5);
});

test('moving keeps the selection on screen; pages, home and end', () => {
  const ids = Array.from({ length: 50 }, (_, index) => index + 100);
  let cursor = settleCursor(EMPTY_CURSOR, ids, 10);
  cursor = moveCursor(cursor, ids, 'page-down', 10);
  assert.deepEqual(cursor, { selectedId: 109, index: 9, scrollTop: 0 });
  cursor = moveCursor(cursor, ids, 'down', 10);
  assert.deepEqual(cursor, { selectedId: 110, index: 10, scrollTop: 1 });
  cursor = moveCursor(cursor, ids, 'end', 10);
  assert.deepEqual(cursor, { selectedId: 149, index: 49, scrollTop: 40 });
  cursor = moveCursor(cursor, ids, 'down', 10);
  assert.equal(cursor.index, 49);
  cursor = moveCursor(cursor, ids, 'home', 10);
  assert.deepEqual(cursor, { selectedId: 100, index: 0, scrollTop: 0 });
  assert.equal(moveCursor(cursor, ids, 'up', 10).index, 0);
});

test('scrolling never leaves blank rows at the bottom when rows shrink', () => {
  assert.equal(scrollToShow(40, 5, 10, 12), 2);
  assert.equal(scrollToShow(0, 0, 10, 3), 0);
});
