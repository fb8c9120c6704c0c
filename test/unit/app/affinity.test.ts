import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DashboardEvent } from '../../../src/app/events.js';
import { pinTask } from '../../../src/app/pin-task.js';
import type { AffinityTarget, DashboardState } from '../../../src/model/dashboard-state.js';
import { type ProcessSample, type ThreadSample, UNKNOWN_SCHEDULING } from '../../../src/model/types.js';
import type { AffinityOutcome } from '../../../src/sampler/cpu-affinity.js';
import { feed, key, startState } from '../../helpers/dashboard-events.js';
import { processSample } from '../../helpers/samples.js';

const SELF = 4242;
const busy = processSample({ pid: 300, name: 'busy', cpu: 99, startToken: '777', user: 'student' });
const init = processSample({ pid: 1, ppid: 0, name: 'init', cpu: 1 });
const self = processSample({ pid: SELF, name: 'node', cpu: 2 });
const sampled = (processes: ProcessSample[]): DashboardEvent => ({ type: 'processes-sampled', processes });
const read = (cores: number[] | null, tid: number | null = null): DashboardEvent => ({
  type: 'affinity-read',
  pid: 300,
  tid,
  cores,
  reason: cores ? null : 'PID 300 has exited.',
});
const four = () => startState({ coreIds: [0, 1, 2, 3] });

function affinity(state: DashboardState) {
  assert.equal(state.mode.kind, 'affinity');
  if (state.mode.kind !== 'affinity') throw new Error('no dialog');
  return state.mode;
}

describe('a: pin to cores', () => {
  test('a opens the dialog for the selected process and asks for its current cores', () => {
    const opened = feed(four(), sampled([busy, init, self]), key('a'));
    const mode = affinity(opened.state);
    assert.deepEqual(mode.target, { pid: 300, tid: null, name: 'busy', user: 'student', startToken: '777' });
    assert.equal(mode.chosen, null, 'nothing to toggle until the current cores are known');
    assert.deepEqual(opened.effects, [{ type: 'read-affinity', pid: 300, tid: null }]);
    const ready = feed(opened.state, read([1, 2]));
    assert.deepEqual(affinity(ready.state).chosen, [1, 2], 'preselected from the current affinity');
    assert.deepEqual(affinity(ready.state).cores, [0, 1, 2, 3]);
  });

  test('Space toggles the core under the cursor, j/k move, a chooses all, Enter applies', () => {
    let { state } = feed(four(), sampled([busy, init, self]), key('a'), read([0, 1, 2, 3]));
    ({ state } = feed(state, key('a')));
    assert.deepEqual(affinity(state).chosen, [], 'a with every core chosen clears them');
    ({ state } = feed(state, key('j'), key('space', ' '), key('down'), key('down'), key('space', ' ')));
    assert.deepEqual(affinity(state).chosen, [1, 3]);
    ({ state } = feed(state, key('k'), key('k'), key('space', ' ')));
    assert.deepEqual(affinity(state).chosen, [3]);
    const target: AffinityTarget = affinity(state).target;
    const applied = feed(state, key('enter'));
    assert.equal(applied.state.mode.kind, 'normal');
    assert.deepEqual(applied.effects, [{ type: 'set-affinity', target, cores: [3] }]);
    const all = feed(feed(four(), sampled([busy, init, self]), key('a'), read([2])).state, key('a'), key('enter'));
    assert.deepEqual(all.effects, [{ type: 'set-affinity', target, cores: [0, 1, 2, 3] }]);
  });

  test('no core chosen: Enter refuses and the dialog stays; Esc cancels and sets nothing', () => {
    let { state } = feed(four(), sampled([busy, init, self]), key('a'), read([1]));
    ({ state } = feed(state, key('j'), key('space', ' ')));
    const refused = feed(state, key('enter'));
    assert.deepEqual(refused.effects, []);
    assert.equal(refused.state.mode.kind, 'affinity');
    assert.match(refused.state.status?.text ?? '', /at least one core/);
    const cancelled = feed(state, key('escape'));
    assert.deepEqual(cancelled.effects, []);
    assert.equal(cancelled.state.mode.kind, 'normal');
  });

  test('while the cores are being read, keys but Esc do nothing; a failed read closes it in words', () => {
    const { state } = feed(four(), sampled([busy, init, self]), key('a'));
    assert.deepEqual(feed(state, key('space', ' '), key('enter')).effects, []);
    const failed = feed(state, read(null));
    assert.equal(failed.state.mode.kind, 'normal');
    assert.match(failed.state.status?.text ?? '', /Cannot pin: PID 300 has exited/);
  });

  test('the list is frozen while the dialog is open', () => {
    let { state } = feed(four(), sampled([busy, init, self]), key('a'), read([0]));
    ({ state } = feed(state, sampled([init, self])));
    assert.deepEqual(
      state.processes.map((one) => one.pid),
      [300, 1, SELF],
    );
    ({ state } = feed(state, key('escape')));
    assert.deepEqual(
      state.processes.map((one) => one.pid),
      [1, SELF],
    );
  });

  test('in the thread view, a pins the selected thread alone', () => {
    const thread = (tid: number, cpu: number): ThreadSample => ({
      tid,
      pid: 300,
      name: `worker-${tid}`,
      state: 'R',
      cpu,
      cpuSeconds: 1,
      ...UNKNOWN_SCHEDULING,
      ctxVoluntary: 0,
      ctxInvoluntary: 0,
      ctxPerSecond: 0,
    });
    const threads: DashboardEvent = { type: 'threads-sampled', pid: 300, threads: [thread(300, 1), thread(301, 90)] };
    const { state, effects } = feed(four(), sampled([busy, init, self]), key('H'), threads, key('a'));
    const mode = affinity(state);
    assert.equal(mode.target.tid, state.threadPanel?.cursor.selectedId);
    assert.equal(mode.target.pid, 300);
    assert.deepEqual(effects.at(-1), { type: 'read-affinity', pid: 300, tid: mode.target.tid });
    const other = feed(state, read([0, 1]));
    assert.equal(affinity(other.state).chosen, null, "the process's reading is not the thread's");
  });

  test('PID 1, paratop itself and read-only mode are refused before any dialog', () => {
    const pick = (pid: number, overrides = {}): DashboardState => {
      const { state } = feed(startState(overrides), sampled([busy, init, self]));
      return { ...state, cursor: { ...state.cursor, selectedId: pid } };
    };
    for (const [state, message] of [
      [pick(1), /PID 1 is init/],
      [pick(SELF), /paratop itself/],
      [pick(300, { readOnly: true }), /Read-only.*pinning/],
    ] as const) {
      const refused = feed(state, key('a'));
      assert.equal(refused.state.mode.kind, 'normal');
      assert.deepEqual(refused.effects, []);
      assert.match(refused.state.status?.text ?? '', message);
    }
  });
});

describe('pinTask: the checks just before taskset', () => {
  const target: AffinityTarget = { pid: 300, tid: null, name: 'busy', user: 'student', startToken: '777' };
  const deps = (token: string | null, outcome: AffinityOutcome = { ok: true }, threads: number[] = [301]) => {
    const calls: [number, readonly number[], boolean][] = [];
    return {
      calls,
      deps: {
        identify: async (pid: number) => (token === null ? null : { pid, startToken: token }),
        selfPid: SELF,
        setAffinity: async (pid: number, cores: readonly number[], allThreads: boolean) => {
          calls.push([pid, cores, allThreads]);
          return outcome;
        },
        hasThread: async (_pid: number, tid: number) => threads.includes(tid),
      },
    };
  };

  test('the same process: every thread set, and said so', async () => {
    const { calls, deps: d } = deps('777');
    const outcome = await pinTask(target, [0, 1], d);
    assert.deepEqual(calls, [[300, [0, 1], true]]);
    assert.equal(outcome.ok, true);
    assert.match(outcome.text, /Pinned PID 300 \(busy\) to cores 0,1, every thread/);
  });

  test('one thread: its TID alone', async () => {
    const { calls, deps: d } = deps('777');
    const outcome = await pinTask({ ...target, tid: 301 }, [1], d);
    assert.deepEqual(calls, [[301, [1], false]]);
    assert.match(outcome.text, /Pinned thread 301 of PID 300 \(busy\) to core 1\./);
  });

  test('a thread no longer in the process (its TID may be reused elsewhere) is not touched', async () => {
    const { calls, deps: d } = deps('777', { ok: true }, []);
    const outcome = await pinTask({ ...target, tid: 301 }, [1], d);
    assert.deepEqual(calls, []);
    assert.match(outcome.text, /thread 301 of PID 300 \(busy\) has already exited/);
  });

  test('a reused PID, a gone process, PID 1 and paratop are never touched', async () => {
    for (const [who, token, pattern] of [
      [target, '999', /reused/],
      [target, null, /already exited/],
      [{ ...target, pid: 1 }, '777', /init/],
      [{ ...target, pid: SELF }, '777', /paratop itself/],
    ] as const) {
      const { calls, deps: d } = deps(token);
      const outcome = await pinTask(who, [0], d);
      assert.deepEqual(calls, []);
      assert.equal(outcome.ok, false);
      assert.match(outcome.text, pattern);
    }
  });

  test('EPERM, a missing taskset and a gone task in plain words', async () => {
    const cases: [AffinityOutcome, RegExp][] = [
      [{ ok: false, failure: 'not-permitted', detail: 'x' }, /Not permitted to pin PID 300.*belongs to student/],
      [{ ok: false, failure: 'no-tool', detail: 'x' }, /taskset is not installed/],
      [{ ok: false, failure: 'gone', detail: 'x' }, /already exited/],
      [{ ok: false, failure: 'invalid', detail: 'x' }, /may not run on/],
    ];
    for (const [result, pattern] of cases) {
      const outcome = await pinTask(target, [0], deps('777', result).deps);
      assert.equal(outcome.ok, false);
      assert.match(outcome.text, pattern);
    }
  });
});
