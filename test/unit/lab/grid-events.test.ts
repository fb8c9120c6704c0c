import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type GridEvent, GridProgress, LineSplitter, parseGridLine, tallyGrid } from '../../../src/lab/grid-events.js';

const line = (event: Record<string, unknown>): string => `@paratop-grid ${JSON.stringify(event)}`;

test('event lines are parsed; the engine’s own lines, torn lines and wrong fields are not events', () => {
  assert.deepEqual(parseGridLine(line({ event: 'start', task: 3, host: 'vm', pid: 41, t: 10.5 })), {
    event: 'start',
    task: 3,
    host: 'vm',
    pid: 41,
    t: 10.5,
  });
  assert.equal(parseGridLine('2026-12-06 distributed.worker - INFO - Start worker at: tcp://127.0.0.1:4'), null);
  assert.equal(parseGridLine('@paratop-grid {"event": "done", "task": 1'), null);
  assert.equal(parseGridLine(line({ event: 'start', task: '3', host: 'vm', pid: 41, t: 1 })), null);
  assert.equal(parseGridLine(line({ event: 'nonsense' })), null);
  assert.equal(parseGridLine('@paratop-grid 42'), null);
  // mpirun may put its own prefix before a rank's line.
  assert.equal(parseGridLine(`[1,0]<stdout>:${line({ event: 'error', message: 'x' })}`)?.event, 'error');
});

test('output arrives in chunks: lines are whole before they are read', () => {
  const splitter = new LineSplitter();
  assert.deepEqual(splitter.push('one\ntw'), ['one']);
  assert.deepEqual(splitter.push('o\nthree'), ['two']);
  assert.deepEqual(splitter.flush(), ['three']);
  assert.deepEqual(splitter.flush(), []);
});

const done = (task: number, pid: number, start: number, end: number): GridEvent => ({
  event: 'done',
  task,
  params: [task],
  score: -task,
  host: 'vm',
  pid,
  start,
  end,
});
const start = (task: number, pid: number, t: number): GridEvent => ({ event: 'start', task, host: 'vm', pid, t });

test('the tally: each task once, per worker, a task lost with its worker and rerun, times from submission', () => {
  const events: GridEvent[] = [
    { event: 'submitted', tasks: 3, t: 100 },
    start(0, 1, 100),
    start(1, 2, 100),
    done(0, 1, 100, 100.2),
    start(2, 1, 100.2),
    // Worker 2 dies under task 1: Dask starts it again on worker 1.
    done(2, 1, 100.2, 100.4),
    start(1, 1, 100.4),
    done(1, 1, 100.4, 100.6),
    { event: 'finished', t: 100.6, wallSeconds: 0.6, best: [0] },
  ];
  const tally = tallyGrid(events, 99);
  assert.deepEqual(
    tally.tasks.map((task) => [task.task, task.pid, task.starts]),
    [
      [0, 1, 1],
      [1, 1, 2],
      [2, 1, 1],
    ],
  );
  assert.deepEqual(tally.rerun, [1]);
  assert.deepEqual(tally.duplicates, []);
  assert.deepEqual(
    tally.workers.map((worker) => [worker.worker, worker.tasks]),
    [
      ['vm 1', 3],
      ['vm 2', 0],
    ],
  );
  const lost = tally.spans.find((span) => span.lost);
  assert.deepEqual(lost && [lost.worker, lost.start, Number(lost.end.toFixed(3))], ['vm 2', 0, 0.4]);
  assert.equal(tally.wallSeconds, 0.6);
  assert.equal(tally.startupSeconds, 1);
  assert.deepEqual(tally.best, [0]);
});

test('the tally: a task reported twice is counted once and named', () => {
  const tally = tallyGrid([start(0, 1, 0), done(0, 1, 0, 1), done(0, 1, 0, 1)]);
  assert.equal(tally.tasks.length, 1);
  assert.deepEqual(tally.duplicates, [0]);
  assert.equal(tally.wallSeconds, null, 'not finished');
});

test('progress for the panel: fits done, a fit started again after its worker died, new hosts', () => {
  const progress = new GridProgress('dask', 3);
  assert.equal(progress.take(start(0, 1, 0)), true, 'a new host');
  assert.equal(progress.take(start(1, 2, 0)), false);
  progress.take(done(0, 1, 0, 1));
  assert.equal(progress.line(), 'dask: 1 of 3 fits done');
  progress.take(start(1, 1, 1));
  assert.equal(progress.line(), 'dask: 1 of 3 fits done · 1 rerun after its worker died');
  assert.deepEqual([...progress.hosts], ['vm']);
});
