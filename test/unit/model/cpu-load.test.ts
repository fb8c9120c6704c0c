import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OwnCpuAverage, coreLoadBetween, cpuPercent, perSecond } from '../../../src/model/cpu-load.js';
import { appendCapped, appendEach } from '../../../src/model/history.js';
import type { CpuTimes } from '../../../src/model/types.js';

const times = (fields: Partial<CpuTimes>): CpuTimes => ({
  user: 0,
  nice: 0,
  system: 0,
  idle: 0,
  iowait: 0,
  irq: 0,
  softirq: 0,
  steal: 0,
  ...fields,
});

test('a core busy half the time in user space', () => {
  const load = coreLoadBetween(times({ user: 100, idle: 100 }), times({ user: 150, idle: 150 }));
  assert.deepEqual(load, { user: 50, system: 0, iowait: 0, steal: 0, idle: 50, total: 50 });
});

test('nice counts as user, irq and softirq as system, steal as busy, iowait as not busy', () => {
  const load = coreLoadBetween(times({}), times({ nice: 10, irq: 5, softirq: 5, steal: 10, iowait: 20, idle: 50 }));
  assert.deepEqual(load, { user: 10, system: 10, iowait: 20, steal: 10, idle: 50, total: 30 });
});

test('no time passed gives null, not 0% or 100%', () => {
  assert.equal(coreLoadBetween(times({ idle: 5 }), times({ idle: 5 })), null);
});

test('a counter that steps backwards (iowait does) counts as no time, not negative time', () => {
  const load = coreLoadBetween(times({ iowait: 50, idle: 0 }), times({ iowait: 40, idle: 100 }));
  assert.deepEqual(load, { user: 0, system: 0, iowait: 0, steal: 0, idle: 100, total: 0 });
});

test('process CPU%: 100 means one core; more than one core gives more than 100', () => {
  assert.equal(cpuPercent(1, 2, 1), 100);
  assert.equal(cpuPercent(0, 3, 2), 150);
  assert.equal(cpuPercent(5, 4, 1), 0);
  assert.equal(cpuPercent(0, 1, 0), null);
  assert.equal(perSecond(10, 30, 2), 10);
  assert.equal(perSecond(10, 30, 0), null);
});

test('history keeps the newest readings up to its capacity, without touching the old array', () => {
  const before = [1, 2, 3];
  assert.deepEqual(appendCapped(before, 4, 3), [2, 3, 4]);
  assert.deepEqual(before, [1, 2, 3]);
  assert.deepEqual(appendEach([[1], [2]], [5, 6, 7], 2), [[1, 5], [2, 6], [7]]);
});

test('own CPU: one figure per block of at least the block length, null before the first block ends', () => {
  const own = new OwnCpuAverage(5000);
  assert.equal(own.add(0, 100), null);
  assert.equal(own.add(1000, 110), null);
  assert.equal(own.add(4999, 120), null);
  // 25 ms of CPU over 5 s: 0.5% of a core.
  assert.equal(own.add(5000, 125), 0.5);
  assert.equal(own.add(6000, 200), 0.5, 'unchanged until the next block ends');
  // A tick interval longer than the block: every reading closes a block, over its whole length.
  assert.equal(own.add(20_000, 275), 1);
});
