import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labProcessesChanged, processScanDue, processScanEveryMs } from '../../../src/model/scan-cadence.js';
import { startState } from '../../helpers/dashboard-events.js';

test('the process list has its own, slower cadence, never faster than the meters', () => {
  assert.equal(processScanEveryMs({ intervalMs: 1000, processIntervalMs: 2000 }), 2000);
  assert.equal(processScanEveryMs({ intervalMs: 500, processIntervalMs: 2000 }), 2000);
  // Slower meters slow the list down with them: it is read on a tick, never between ticks.
  assert.equal(processScanEveryMs({ intervalMs: 5000, processIntervalMs: 2000 }), 5000);
  assert.equal(processScanEveryMs({ intervalMs: 1000, processIntervalMs: 1000 }), 1000);
});

test('a scan falls due on the tick that reaches its interval, even when the timer fires a little early', () => {
  // 1 s ticks, a 2 s process cadence: scans at 0, ~2000, ~4000, not at ~1000 or ~3000.
  assert.equal(processScanDue(1003, 0, 2000), false);
  assert.equal(processScanDue(1998, 0, 2000), true, 'a tick 2 ms early still scans');
  assert.equal(processScanDue(1940, 0, 2000), false);
  assert.equal(processScanDue(0, Number.NEGATIVE_INFINITY, 2000), true, 'the first tick scans');
});

test('lab workers coming or going ask for an early scan; anything else does not', () => {
  const idle = startState();
  const run = (pids: number[]) => ({ ...idle, lab: { ...idle.lab, run: { pids } as never } });
  const started = run([101, 102]);
  assert.equal(labProcessesChanged(idle, started), true, 'a run started');
  assert.equal(labProcessesChanged(started, run([101, 102])), false, 'same workers, new snapshot');
  assert.equal(labProcessesChanged(started, run([101, 103])), true, 'a worker replaced');
  assert.equal(labProcessesChanged(started, run([101, 102, 104])), true, 'a worker added');
  assert.equal(labProcessesChanged(started, idle), true, 'the run ended');
  assert.equal(labProcessesChanged(idle, { ...idle, selfCpu: 3 }), false);
});
