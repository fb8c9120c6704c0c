import assert from 'node:assert/strict';
import { test } from 'node:test';
import { effectiveCores, quotaCores } from '../../../src/model/cpu-limits.js';
import { formatCpuList, parseCpuList } from '../../../src/model/cpu-list.js';

test('a CPU list reads as the kernel writes it: ranges and single cores', () => {
  assert.deepEqual(parseCpuList('0-3,8,10-11\n'), [0, 1, 2, 3, 8, 10, 11]);
  assert.deepEqual(parseCpuList('1'), [1]);
  assert.deepEqual(parseCpuList(''), []);
  assert.equal(parseCpuList('0-x'), null);
  assert.equal(parseCpuList('3-1'), null);
});

test('a CPU list is written shortest: runs of three or more as ranges', () => {
  assert.equal(formatCpuList([3, 0, 1, 2, 8, 10, 11]), '0-3,8,10,11');
  assert.equal(formatCpuList([1]), '1');
  assert.equal(formatCpuList([]), '');
  assert.equal(formatCpuList([5, 5, 4]), '4,5');
});

test('the effective core count is the allowed cores, capped by the quota rounded up', () => {
  const quota = (quotaMicros: number) => ({ quotaMicros, periodMicros: 100_000, source: 'cpu.max' });
  assert.equal(quotaCores(quota(150_000)), 2);
  assert.equal(quotaCores(quota(20_000)), 1);
  assert.equal(effectiveCores(64, null, quota(200_000)), 2);
  assert.equal(effectiveCores(64, [0], null), 1);
  assert.equal(effectiveCores(8, [0, 1, 2, 3], quota(1_000_000)), 4);
  assert.equal(effectiveCores(2, null, null), 2);
  assert.equal(effectiveCores(2, [], null), 2, 'an empty list is no information, not zero cores');
});
