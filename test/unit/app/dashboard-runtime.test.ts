import assert from 'node:assert/strict';
import { UNKNOWN_SCHEDULING } from '../../../src/model/types.js';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { type LabControl, DashboardRuntime } from '../../../src/app/dashboard-runtime.js';
import type { DashboardState } from '../../../src/model/dashboard-state.js';
import type { RunSnapshot } from '../../../src/model/lab-types.js';
import { key, startState } from '../../helpers/dashboard-events.js';
import { FakeSampler } from '../../helpers/fake-sampler.js';

/**
 * The dashboard's event loop with a fake sampler and fake time: which readings it takes when, what
 * it draws, and what it does when a reading fails. setTimeout is mocked; setImmediate (the frame)
 * is real, so `settle` lets promises and the frame run.
 */
let clock = 0;
let sampler: FakeSampler;
let frames: DashboardState[];
let quits: number;
let lab: LabControl & { started: string[]; stopped: number };
let runtime: DashboardRuntime;

const settle = async (): Promise<void> => {
  for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
};

/** Let `ms` of fake time pass in steps of 100 ms (timers due now first), settling in between. */
async function advance(ms: number): Promise<void> {
  mock.timers.tick(0);
  await settle();
  for (let step = 0; step < ms; step += 100) {
    clock += 100;
    mock.timers.tick(100);
    await settle();
  }
}

function startRuntime(state: DashboardState = startState()): DashboardRuntime {
  runtime = new DashboardRuntime(state, {
    sampler,
    renderer: { render: (drawn) => frames.push(drawn) },
    lab,
    onQuit: () => {
      quits += 1;
    },
    now: () => 1_000_000 + clock,
    monotonic: () => clock,
  });
  return runtime;
}

beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout'] });
  clock = 0;
  sampler = new FakeSampler();
  frames = [];
  quits = 0;
  lab = {
    started: [],
    stopped: 0,
    async start(id) {
      lab.started.push(id);
    },
    async startCommand() {},
    async stop() {
      lab.stopped += 1;
    },
  };
});

afterEach(() => {
  runtime.stop();
  mock.timers.reset();
});

test('the meters every interval, the process list every 2 s: each wake-up draws one frame', async () => {
  startRuntime().start(0);
  await advance(4000);
  // Ticks at 0, 1, 2, 3 and 4 s; the list at 0, 2 and 4 s.
  assert.equal(sampler.calls.system, 5);
  assert.equal(sampler.calls.processes, 3);
  assert.ok(frames.length <= 1 + 5 + 3, `${frames.length} frames`);
  const last = runtime.current;
  assert.equal(last.processes.length, 2);
  assert.equal(last.system?.cores?.length, 2);
});

test('several events in one turn make one frame', async () => {
  startRuntime();
  await settle();
  const before = frames.length;
  runtime.dispatch(key('down'));
  runtime.dispatch(key('down'));
  runtime.dispatch(key('up'));
  await settle();
  assert.equal(frames.length, before + 1);
});

test('Space pauses sampling and resumes it', async () => {
  startRuntime().start(0);
  await advance(1000);
  const sampled = sampler.calls.system;
  runtime.dispatch(key('space', ' '));
  await advance(5000);
  assert.equal(sampler.calls.system, sampled, 'no reading while paused');
  assert.ok(runtime.current.paused);
  runtime.dispatch(key('space', ' '));
  await advance(2000);
  assert.ok(sampler.calls.system >= sampled + 2, 'readings again after resuming');
});

test('a reading that fails says so on the status line, and the next ones still come', async () => {
  startRuntime().start(0);
  sampler.systemFailure = new Error('EACCES reading /proc/stat');
  await advance(1000);
  assert.match(runtime.current.status?.text ?? '', /Failed reading CPU and memory: EACCES reading \/proc\/stat/);
  assert.equal(runtime.current.status?.tone, 'error');
  sampler.systemFailure = null;
  const failed = sampler.calls.system;
  await advance(2000);
  assert.ok(sampler.calls.system >= failed + 2);
  assert.equal(sampler.calls.processes >= 2, true, 'the process list was read throughout');
});

test('lab workers coming or going get the process list re-read within a third of a second', async () => {
  startRuntime().start(0);
  await advance(1000);
  const scans = sampler.calls.processes;
  const run: RunSnapshot = {
    scenarioId: 'processes',
    title: 'Processes',
    kind: 'processes',
    workers: 2,
    phase: 'running',
    startedAt: 0,
    pids: [5001, 5002],
    hostName: null,
    step: null,
    ctxPerSecond: null,
    workerStates: [],
    elapsedSeconds: 0,
    units: 0,
    coresUsed: null,
  };
  runtime.dispatch({ type: 'lab-changed', run, result: null, output: null });
  await advance(400);
  assert.equal(sampler.calls.processes, scans + 1);
});

test('a digit starts its experiment through the lab; q quits; after stop nothing more is read or drawn', async () => {
  startRuntime(startState({ lab: { ...startState().lab, visible: true } })).start(0);
  await advance(100);
  runtime.dispatch(key('4'));
  await settle();
  assert.deepEqual(lab.started, ['processes']);
  runtime.dispatch(key('q'));
  assert.equal(quits, 1);
  runtime.stop();
  const [system, drawn] = [sampler.calls.system, frames.length];
  await advance(3000);
  assert.equal(sampler.calls.system, system);
  assert.equal(frames.length, drawn);
});

test('an open thread view is read every tick, afresh when it opens', async () => {
  sampler.threads.set(4242, [
    {
      tid: 4242,
      pid: 4242,
      name: 'paratop',
      state: 'S',
      cpu: 0,
      cpuSeconds: 0,
      ctxVoluntary: 0,
      ctxInvoluntary: 0,
      ctxPerSecond: 0,
      ...UNKNOWN_SCHEDULING,
    },
  ]);
  startRuntime().start(0);
  await advance(100);
  runtime.dispatch({ type: 'processes-sampled', processes: sampler.processes });
  // Select paratop's row and open its threads.
  while (runtime.current.cursor.selectedId !== 4242 && runtime.current.processes.length > 0) {
    const before = runtime.current.cursor.selectedId;
    runtime.dispatch(key('down'));
    if (runtime.current.cursor.selectedId === before) break;
  }
  runtime.dispatch(key('H'));
  await settle();
  assert.deepEqual(sampler.calls.threads[0], { pid: 4242, restart: true });
  await advance(3000);
  assert.ok(sampler.calls.threads.filter((call) => call.pid === 4242 && !call.restart).length >= 3);
  assert.equal(runtime.current.threadPanel?.threads?.length, 1);
});
