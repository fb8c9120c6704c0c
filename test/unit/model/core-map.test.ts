import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CORE_MAP_SLICES,
  coreMapReading,
  emptyCoreMap,
  type PlacedTask,
  withSlice,
} from '../../../src/model/core-map.js';

const task = (name: string, cpu: number | null, running = true): PlacedTask => ({
  key: name,
  label: name,
  cpu,
  running,
});

const slices = (count: number, each: (slice: number) => PlacedTask[]) => {
  let map = emptyCoreMap([0, 1]);
  for (let slice = 0; slice < count; slice += 1) map = withSlice(map, each(slice));
  return map;
};

test('each core shows the task running there; a sleeping task shows nowhere; marks in order of first sight', () => {
  const map = withSlice(emptyCoreMap([0, 1]), [task('w1', 1), task('w2', 0, false), task('w3', 0)]);
  assert.deepEqual(
    map.legend.map((entry) => [entry.mark, entry.label]),
    [
      ['A', 'w1'],
      ['B', 'w3'],
    ],
  );
  assert.deepEqual(map.rows.get(0), [1]);
  assert.deepEqual(map.rows.get(1), [0]);
  assert.deepEqual(map.busyCores, [2]);
});

test('two ready tasks on one core: one is on it, the other waits for it', () => {
  const map = withSlice(emptyCoreMap([0, 1]), [task('a', 0), task('b', 0), task('c', 0)]);
  assert.equal(map.waiting.get(0), 2);
  assert.deepEqual(map.rows.get(1), [null]);
});

test('the strip keeps the latest slices only', () => {
  const map = slices(CORE_MAP_SLICES + 5, () => [task('a', 0)]);
  assert.equal(map.rows.get(0)?.length, CORE_MAP_SLICES);
});

test('the reading: one at a time (a GIL), waiting for cores, or one per core', () => {
  const gil = slices(12, (slice) => [
    task('t1', slice % 2, slice % 2 === 0),
    task('t2', 1 - (slice % 2), slice % 2 === 1),
  ]);
  assert.match(coreMapReading(gil) ?? '', /One at a time/);
  const crowded = slices(12, () => [task('p1', 0), task('p2', 0), task('p3', 1), task('p4', 1)]);
  assert.match(coreMapReading(crowded) ?? '', /2 waiting for a core/);
  const parallel = slices(12, () => [task('p1', 0), task('p2', 1)]);
  assert.match(coreMapReading(parallel) ?? '', /One task per core/);
  assert.equal(coreMapReading(slices(3, () => [task('p1', 0)])), null, 'too few slices to say');
});

test('the reading tolerates hand-overs caught mid-way; tasks sharing a core with others are not taking turns', () => {
  // Lab runs on a 2-core VM caught both GIL threads ready in 5-17% of looks: one in four here.
  const gil = slices(CORE_MAP_SLICES, (slice) =>
    slice % 4 === 0 ? [task('t1', 0), task('t2', 1)] : [task('t1', slice % 2), task('t2', 0, false)],
  );
  assert.match(coreMapReading(gil) ?? '', /One at a time/);
  // Two lock-free threads, a busy program beside them: three looks in four find both ready on one core.
  const crowded = slices(CORE_MAP_SLICES, (slice) =>
    slice % 4 === 0 ? [task('p1', 0), task('p2', 1)] : [task('p1', 0), task('p2', 0)],
  );
  assert.match(coreMapReading(crowded) ?? '', /More ready tasks than cores: 1 waiting/);
  const preempted = slices(CORE_MAP_SLICES, (slice) =>
    slice % 4 === 0 ? [task('p1', 0), task('p2', 0, false)] : [task('p1', 0), task('p2', 1)],
  );
  assert.match(coreMapReading(preempted) ?? '', /One task per core/);
});
