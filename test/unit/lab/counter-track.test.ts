import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CounterTrack } from '../../../src/lab/counter-track.js';

test('counters from a start: each since its start, the reading before, sums only when all are known', () => {
  const cpu = new CounterTrack<number>();
  cpu.start(1, 10);
  cpu.start(2, 3);
  assert.equal(cpu.read(1, 12.5), 10, 'the reading before, for a rate');
  assert.equal(cpu.sinceStart(1), 2.5);
  assert.equal(cpu.totalOver([1, 2]), 2.5);
  assert.equal(cpu.totalOver([1, 2, 3]), null, 'a PID never read: not known');
  assert.equal(cpu.total(), 2.5);
  assert.equal(cpu.read(9, 4), undefined, 'a first reading has none before it');
  assert.equal(cpu.sinceStart(9), 0, 'read but never started: counted from its first reading');
  assert.equal(cpu.total(), 2.5, 'only counters with a start are summed');
  assert.equal(new CounterTrack<number>().total(), null);
});
