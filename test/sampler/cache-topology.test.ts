import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { countCpuList, parseCacheSize, readCacheTopology } from '../../src/sampler/linux/cache-topology.js';
import { fixturesDir } from '../helpers/fixtures.js';

test('cache sizes and CPU lists as sysfs writes them', () => {
  assert.equal(parseCacheSize('48K\n'), 48 * 1024);
  assert.equal(parseCacheSize('2M'), 2 * 1024 * 1024);
  assert.equal(parseCacheSize('junk'), 0);
  assert.equal(countCpuList('0-1\n'), 2);
  assert.equal(countCpuList('0-3,8,10-11'), 7);
});

test('per-core L1/L2 and a shared L3 from a captured sysfs tree', () => {
  const levels = readCacheTopology(join(fixturesDir, 'sys-cpu0-cache'));
  assert.deepEqual(levels, [
    { name: 'L1d', bytes: 48 * 1024, sharedBy: 1 },
    { name: 'L1i', bytes: 32 * 1024, sharedBy: 1 },
    { name: 'L2', bytes: 2048 * 1024, sharedBy: 1 },
    { name: 'L3', bytes: 266240 * 1024, sharedBy: 2 },
  ]);
  assert.equal(readCacheTopology('/nonexistent'), null);
});
