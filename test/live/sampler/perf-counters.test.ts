import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  PERF_MISSING,
  countCacheMissesWithPerf,
  parseCacheCounters,
} from '../../../src/sampler/linux/perf-counters.js';
import { fixturesDir } from '../../helpers/fixtures.js';

const fixture = (name: string): string => readFileSync(join(fixturesDir, 'perf', name), 'utf8');

test('perf stat -x, output: counts and a miss rate, or the reason there are none', () => {
  assert.deepEqual(parseCacheCounters(fixture('counted.txt')), {
    kind: 'counted',
    misses: 1234567,
    references: 9876543,
    missRate: 1234567 / 9876543,
  });
  const vm = parseCacheCounters(fixture('not-supported.txt'));
  assert.equal(vm.kind, 'unavailable');
  assert.match(
    vm.kind === 'unavailable' ? vm.reason : '',
    /exposes no hardware cache counters \(perf: <not supported>\)/,
  );
  const locked = parseCacheCounters(fixture('no-permission.txt'));
  assert.match(locked.kind === 'unavailable' ? locked.reason : '', /perf_event_paranoid/);
});

test('no perf on the machine: said, with the package to install', async () => {
  assert.deepEqual(await countCacheMissesWithPerf([process.pid], 0.1, '/nonexistent/perf'), {
    kind: 'unavailable',
    reason: PERF_MISSING,
  });
});

const perfRuns = spawnSync('perf', ['--version']).status === 0;
test('the real perf, on a real process: counts, or why not', {
  skip: !perfRuns && 'needs perf (Debian package linux-perf)',
}, async () => {
  const counters = await countCacheMissesWithPerf([process.pid], 0.2);
  if (counters.kind === 'counted')
    assert.ok(counters.references > 0 && counters.missRate >= 0 && counters.missRate <= 1);
  else assert.match(counters.reason, /no hardware cache counters|perf_event_paranoid|gave no cache counters/);
});
