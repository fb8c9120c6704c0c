import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type GridEngineOutcome, gridEngineResult, whyItEnded } from '../../../src/lab/experiments/grid-engine.js';
import type { GridEvent } from '../../../src/lab/grid-events.js';

const found = {
  available: true as const,
  engine: 'dask' as const,
  python: '/usr/bin/python3',
  pythonVersion: '3.11.2',
  version: '2022.12.1',
  mpirun: null,
};
const measured = {
  wallSeconds: 3,
  cpuSeconds: 4,
  coresBefore: null,
  coresAfter: null,
  processes: [],
  peakProcesses: 4,
  peakThreads: 20,
};

/** Four tasks of 1 s on two workers, two rounds, with a price: the calculator's 2 s beside a measured 2.5 s. */
function outcome(fields: Partial<GridEngineOutcome> = {}): GridEngineOutcome {
  const events: GridEvent[] = [{ event: 'submitted', tasks: 4, t: 10 }];
  for (const [task, pid, start] of [
    [0, 1, 10],
    [1, 2, 10],
    [2, 1, 11.2],
    [3, 2, 11.5],
  ] as const) {
    events.push({ event: 'start', task, host: 'vm', pid, t: start });
    events.push({ event: 'done', task, params: [task], score: task, host: 'vm', pid, start, end: start + 1 });
  }
  events.push({ event: 'finished', t: 12.5, wallSeconds: 2.5, best: [3] });
  return {
    engine: 'dask',
    found,
    spec: { engine: 'dask', grid: [2, 2], taskMs: 1000, workers: 2, maxSeconds: 130 },
    events,
    startedAt: 9,
    measured,
    exit: { code: 0, signal: null },
    tail: [],
    stoppedBy: 'finished',
    pricePerCoreHour: 36,
    ...fields,
  };
}

test('a finished grid: speedup against the serial estimate, the calculator beside what happened', () => {
  const result = gridEngineResult({ id: 'grid-dask', title: 'Grid search on Dask' }, outcome());
  assert.equal(result.stoppedBy, 'finished');
  assert.equal(result.speedup, 4 / 2.5);
  assert.equal(result.wallSeconds, 2.5);
  assert.equal(result.actual, 4);
  assert.match(result.summary, /4 fits of 1000 ms on 2 Dask workers: 2\.50 s, 1\.60x the serial estimate of 4\.00 s/);
  assert.match(result.summary, /calculator: 2\.00 s in 2 rounds/);
  const lines = (result.lines ?? []).join('\n');
  assert.match(lines, /Calculator for 2 cores: 2 rounds, 2\.00 s, 0\.0400 at 36 per core-hour; measured: 2\.50 s/);
  assert.match(lines, /Start-up \(cluster and connection\): 1\.00 s/);
  assert.match(lines, /vm 1 +\|[█▓·]{32}\| 2\n/);
  assert.deepEqual(result.table?.rows[2], [2, '2', 'vm', 1, '1.20', '2.20', 1]);
});

test('an MPI job ended by a killed rank says so, in mpirun’s words', () => {
  const events = outcome().events.slice(0, 4);
  const tail = ['mpirun noticed that process rank 1 with PID 0 on node vm exited on signal 9 (Killed).'];
  const ended = outcome({ engine: 'mpi', events, tail, exit: { code: 137, signal: null }, stoppedBy: 'finished' });
  const result = gridEngineResult({ id: 'grid-mpi', title: 'Grid search on MPI' }, ended);
  assert.equal(result.stoppedBy, 'exited');
  assert.equal(result.speedup, null);
  assert.match(result.summary, /^1 of 4 fits done, then mpirun noticed that process rank 1 .* exited on signal 9/);
  assert.match(result.summary, /when one rank dies, MPI ends the whole job/);
  assert.match(whyItEnded({ ...ended, engine: 'dask', tail: [] }), /the program exited with code 137/);
  assert.equal(
    whyItEnded({ ...ended, events: [{ event: 'error', message: 'OSError: no scheduler' }] }),
    'OSError: no scheduler',
  );
});
