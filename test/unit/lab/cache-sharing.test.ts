import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedCache } from '../../../src/lab/experiments/cache-sharing.js';
import type { CacheLevel } from '../../../src/model/types.js';

const M = 1024 * 1024;
const reported: CacheLevel[] = [
  { name: 'L1d', bytes: 48 * 1024, sharedBy: 1, lineBytes: 64, source: 'sysfs' },
  { name: 'L2', bytes: 2 * M, sharedBy: 1, lineBytes: 64, source: 'sysfs' },
  { name: 'L3', bytes: 480 * M, sharedBy: 2, lineBytes: 64, source: 'sysfs' },
];

test('the cache one worker gets: measured here first, then as reported, then a desktop L3', () => {
  const steps = [
    { name: 'L1', upToBytes: 48 * 1024, nsPerLoad: 1.5 },
    { name: 'L2', upToBytes: 1.5 * M, nsPerLoad: 4.6 },
    { name: 'L3', upToBytes: 16 * M, nsPerLoad: 21 },
    { name: 'RAM', upToBytes: 2048 * M, nsPerLoad: 88 },
  ];
  assert.deepEqual(sharedCache(reported, steps), {
    bytes: 16 * M,
    source: 'the L3 step memory-hierarchy measured here',
    measured: true,
    nsPerLoad: 21,
  });
  assert.deepEqual(sharedCache(reported, null), {
    bytes: 480 * M,
    source: 'the L3 as the OS reports it (sysfs)',
    measured: false,
    nsPerLoad: null,
  });
  // A ladder that found only L1 says nothing about the last level.
  assert.equal(sharedCache(reported, [{ name: 'L1', upToBytes: 32 * 1024, nsPerLoad: 1.5 }]).bytes, 480 * M);
  assert.deepEqual(sharedCache([], null), {
    bytes: 8 * M,
    source: 'no cache size known here: a desktop L3',
    measured: false,
    nsPerLoad: null,
  });
});
