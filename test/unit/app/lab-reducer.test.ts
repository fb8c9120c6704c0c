import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SCENARIOS } from '../../../src/lab/scenarios.js';
import type { DashboardState } from '../../../src/model/dashboard-state.js';
import { feed, key, startState } from '../../helpers/dashboard-events.js';
import { machineFacts } from '../../helpers/samples.js';
import type { RunSnapshot } from '../../../src/model/lab-types.js';

const start = (): DashboardState =>
  startState({
    lab: {
      scenarios: SCENARIOS,
      cores: 2,
      workers: { 'one-thread': 1, 'free-threads': 2, 'gil-threads': 2, processes: 2, 'threads-join': 4 },
      visible: true,
    },
  });
const run = feed;

function snapshot(fields: Partial<RunSnapshot>): RunSnapshot {
  return {
    scenarioId: 'gil-threads',
    title: 'Threads under a GIL-like lock',
    kind: 'threads',
    workers: 2,
    phase: 'running',
    startedAt: 500,
    pids: [4000],
    hostName: 'gil-worker-main',
    step: null,
    ctxPerSecond: null,
    elapsedSeconds: 1,
    units: 10,
    coresUsed: 1,
    workerStates: [
      { index: 1, pid: 4000, tid: 4010, name: 'gil-worker-1', units: 5, cpuSeconds: 0.5, cpu: 50, exit: null },
      { index: 2, pid: 4000, tid: 4011, name: 'gil-worker-2', units: 5, cpuSeconds: 0.5, cpu: 50, exit: null },
    ],
    ...fields,
  };
}

test('a digit starts its experiment with that experiment’s worker count', () => {
  assert.deepEqual(run(start(), key('3')).effects, [{ type: 'lab-start', scenarioId: 'gil-threads', workers: 2 }]);
  assert.deepEqual(run(start(), key('4')).effects, [{ type: 'lab-start', scenarioId: 'processes', workers: 2 }]);
  assert.deepEqual(run(start(), key('9')).effects, [], 'a digit with no experiment does nothing');
});

test('[ ] c m change the count: a running experiment restarts, an idle one remembers it for next time', () => {
  const running = run(start(), key('3'), { type: 'lab-changed', run: snapshot({}), result: null, output: null }).state;
  assert.deepEqual(run(running, key(']')).effects, [{ type: 'lab-start', scenarioId: 'gil-threads', workers: 3 }]);
  assert.deepEqual(run(running, key('m')).effects, [{ type: 'lab-start', scenarioId: 'gil-threads', workers: 11 }]);
  assert.deepEqual(run(running, key('c')).effects, [], 'already as many as cores');
  const idle = run(running, { type: 'lab-changed', run: null, result: null, output: null }).state;
  const next = run(idle, key('['));
  assert.deepEqual(next.effects, []);
  assert.equal(next.state.lab.workers['gil-threads'], 1);
  assert.match(next.state.status?.text ?? '', /Next run of Threads under a GIL-like lock: 1 worker\./);
  assert.equal(run(next.state, key('[')).state.lab.workers['gil-threads'], 1, 'never below one');
});

test('the one-thread experiment keeps its single worker; nothing started yet means nothing to change', () => {
  const one = run(start(), key('1')).state;
  assert.match(run(one, key(']')).state.status?.text ?? '', /always runs 1 worker/);
  assert.match(run(start(), key(']')).state.status?.text ?? '', /Start an experiment first/);
});

test('x stops what runs, or says nothing runs', () => {
  const running = run(start(), { type: 'lab-changed', run: snapshot({}), result: null, output: null }).state;
  assert.deepEqual(run(running, key('x')).effects, [{ type: 'lab-stop' }]);
  assert.match(run(start(), key('x')).state.status?.text ?? '', /No experiment is running/);
});

test(
  'a thread experiment that starts running opens the thread view of its process; ' + 'it closes when the run ends',
  () => {
    const starting = run(start(), {
      type: 'lab-changed',
      run: snapshot({ phase: 'starting' }),
      result: null,
      output: null,
    });
    assert.equal(starting.state.threadPanel, null);
    const running = run(starting.state, { type: 'lab-changed', run: snapshot({}), result: null, output: null });
    assert.equal(running.state.threadPanel?.pid, 4000);
    assert.equal(running.state.threadPanel?.name, 'gil-worker-main');
    assert.deepEqual(running.effects, [{ type: 'sample-threads', pid: 4000 }]);
    // Later readings of the same run do not reopen a view the user closed.
    const closed = run(running.state, key('escape'), {
      type: 'lab-changed',
      run: snapshot({ elapsedSeconds: 2 }),
      result: null,
      output: null,
    });
    assert.equal(closed.state.threadPanel, null);
    const ended = run(running.state, { type: 'lab-changed', run: null, result: null, output: null });
    assert.equal(ended.state.threadPanel, null);
  },
);

test('l hides and shows the panel, giving the table its rows back', () => {
  const hidden = run(start(), key('l')).state;
  assert.equal(hidden.lab.visible, false);
  assert.equal(run(hidden, key('l')).state.lab.visible, true);
});

test('a failed start is shown in plain words', () => {
  const { state } = run(start(), { type: 'lab-failed', message: 'Could not start processes: dist is missing' });
  assert.equal(state.lab.error, 'Could not start processes: dist is missing');
  assert.equal(state.status?.tone, 'error');
});

test('r prompts for a command line; Enter asks the runtime to run it and remembers the line for next time', () => {
  const typed = run(
    start(),
    key('r'),
    ...Array.from('python3 0.py', (ch) => key(ch === ' ' ? 'space' : ch, ch)),
    key('enter'),
  );
  assert.deepEqual(typed.effects, [{ type: 'lab-run-command', line: 'python3 0.py' }]);
  assert.equal(typed.state.mode.kind, 'normal');
  const again = run(typed.state, key('r')).state;
  assert.deepEqual(again.mode, { kind: 'prompt', purpose: 'run', draft: 'python3 0.py' });
  assert.deepEqual(run(again, key('escape')).effects, [], 'Esc runs nothing');
});

test('o shows the command output in the table area; arrows scroll it, End follows, Esc goes back', () => {
  assert.equal(run(start(), key('o')).state.outputOpen, false, 'nothing to show before a command ran');
  const lines = Array.from({ length: 100 }, (_, index) => ({ stream: 'out' as const, text: `line ${index}` }));
  const output = { display: 'job', lines, total: 100, running: true };
  const open = run(start(), { type: 'lab-changed', run: null, result: null, output }, key('o')).state;
  assert.equal(open.outputOpen, true);
  const cursor = open.cursor;
  const scrolled = run(open, key('up'), key('up'), key('pageup')).state;
  assert.ok(scrolled.outputScroll > 2);
  assert.deepEqual(scrolled.cursor, cursor, 'the process selection does not move');
  assert.equal(run(scrolled, key('end')).state.outputScroll, 0);
  assert.equal(
    run(scrolled, key('home')).state.outputScroll,
    run(scrolled, key('home'), key('pageup')).state.outputScroll,
    'no further back than the first line',
  );
  const closed = run(scrolled, key('escape')).state;
  assert.equal(closed.outputOpen, false);
  assert.deepEqual(closed.lab.output, output, 'the output is kept after the pane closes');
});

test(
  'a latency ladder measured where the OS reports no cache puts its estimates on ' +
    'the machine line; reported sizes stay',
  () => {
    const facts = machineFacts();
    const estimated = [{ name: 'L1d', bytes: 32768, sharedBy: null, lineBytes: 64, source: 'measured' as const }];
    const ladder = {
      scenarioId: 'memory-hierarchy',
      title: 'The memory hierarchy, measured',
      kind: 'processes' as const,
      workers: 1,
      wallSeconds: 20,
      cpuSeconds: 20,
      coresUsed: null,
      units: 0,
      unitsPerSecond: 0,
      perCore: null,
      speedup: null,
      stoppedBy: 'finished' as const,
      perWorker: [],
      joined: [],
      summary: 'L1 about 1.3 ns up to 32K, RAM about 120 ns.',
      details: { estimated },
    };
    const bare = run(
      start(),
      { type: 'facts-read', facts },
      { type: 'lab-changed', run: null, result: ladder, output: null },
    ).state;
    assert.deepEqual(bare.facts?.caches, estimated);
    const reported = [{ name: 'L1d', bytes: 49152, sharedBy: 1, lineBytes: 64, source: 'sysfs' as const }];
    const known = run(
      start(),
      { type: 'facts-read', facts: { ...facts, caches: reported } },
      { type: 'lab-changed', run: null, result: ladder, output: null },
    ).state;
    assert.deepEqual(known.facts?.caches, reported);
  },
);

test('the engines are looked for when their page is first shown, not before; a missing one is refused', () => {
  const toPage4 = run(start(), key('tab'), key('tab'), key('tab'));
  assert.deepEqual(toPage4.effects, [], 'no engine looked for on pages 1 to 4');
  const page5 = run(toPage4.state, key('tab'));
  assert.equal(page5.state.lab.page, 5);
  assert.deepEqual(page5.effects, [{ type: 'find-engines' }]);
  const missing = {
    available: false as const,
    reason: 'mpirun was not found on the PATH. Install it: apt-get install',
  };
  const found = run(
    page5.state,
    { type: 'engine-found', engine: 'dask', info: { available: true, line: 'Dask distributed 1 under python3' } },
    { type: 'engine-found', engine: 'mpi', info: missing },
    { type: 'engine-found', engine: 'gpu', info: { available: false, reason: 'no module torch or cupy' } },
  ).state;
  const again = run(found, key('tab'), key('tab'), key('tab'), key('tab'), key('tab'));
  assert.equal(again.state.lab.page, 5);
  assert.deepEqual(again.effects, [], 'once known, not again');
  const refused = run(found, key('2'));
  assert.deepEqual(refused.effects, []);
  assert.match(refused.state.status?.text ?? '', /^Grid search on MPI needs MPI: mpirun was not found on the PATH/);
  assert.deepEqual(run(found, key('1')).effects, [{ type: 'lab-start', scenarioId: 'grid-dask', workers: 1 }]);
  const noGpu = run(found, key('3'));
  assert.deepEqual(noGpu.effects, []);
  assert.match(noGpu.state.status?.text ?? '', /needs a GPU and PyTorch or CuPy: no module torch or cupy/);
});
