import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bottleneckOf } from '../../../src/model/bottleneck.js';

test('I/O-bound: threads that mostly wait on I/O, whatever the lock and the cores', () => {
  assert.equal(
    bottleneckOf({ threads: 8, cores: 2, coresUsed: 0.04, ioShare: 0.97, lockShare: 0.01 }).component,
    'I/O',
  );
  assert.equal(bottleneckOf({ threads: 1, cores: 2, coresUsed: 0.01, ioShare: 0.99, lockShare: 0 }).component, 'I/O');
});

test('the lock: threads queued for it while usable cores sit idle', () => {
  const gil = bottleneckOf({ threads: 8, cores: 2, coresUsed: 1.0, ioShare: 0, lockShare: 0.85 });
  assert.equal(gil.component, 'the lock');
  assert.match(gil.why, /waited for the lock 85% of their time; 1\.00 of 2 usable cores busy/);
});

test('CPU: the threads had the cores they could use and kept them busy', () => {
  assert.equal(bottleneckOf({ threads: 1, cores: 2, coresUsed: 0.99, ioShare: 0, lockShare: 0 }).component, 'CPU');
  // Lock-free threads on every core: no idle core, so the CPU, not the lock.
  assert.equal(bottleneckOf({ threads: 2, cores: 2, coresUsed: 1.97, ioShare: 0, lockShare: 0.02 }).component, 'CPU');
  // More threads than cores: waiting their turn for a core is the CPU's limit, even if it shows as time off the CPU.
  assert.equal(bottleneckOf({ threads: 8, cores: 2, coresUsed: 1.95, ioShare: 0, lockShare: 0.7 }).component, 'CPU');
});
