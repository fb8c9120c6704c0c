import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DashboardEvent } from '../../../src/app/events.js';
import { INTERVAL_STEPS, nextInterval } from '../../../src/app/reducer.js';
import { processRows } from '../../../src/model/dashboard-selectors.js';
import type { DashboardState } from '../../../src/model/dashboard-state.js';
import type { ProcessSample } from '../../../src/model/types.js';
import { helpLines, helpScrollLimit } from '../../../src/view/help.js';
import { dashboardLayout } from '../../../src/model/screen-layout.js';
import { createTheme } from '../../../src/view/theme.js';
import { processSample } from '../../helpers/samples.js';
import { feed, key, startState } from '../../helpers/dashboard-events.js';

const SELF = 4242;
const start = startState;
const run = feed;

const typed = (text: string): DashboardEvent[] => Array.from(text, (ch) => key(ch));
const sampled = (processes: ProcessSample[]): DashboardEvent => ({ type: 'processes-sampled', processes });

const busy = processSample({
  pid: 300,
  name: 'busy',
  command: 'python3 0.py',
  cpu: 99,
  startToken: '777',
  user: 'student',
});
const editor = processSample({ pid: 200, name: 'vim', command: 'vim notes', cpu: 5 });
const init = processSample({ pid: 1, ppid: 0, name: 'init', command: '/sbin/init', cpu: 1 });
const self = processSample({ pid: SELF, name: 'node', command: 'node bin/paratop', cpu: 2 });
const everyone = [busy, editor, init, self];

describe('selection and sorting', () => {
  test('the selection stays on the same PID when the order changes under it', () => {
    let { state } = run(start(), sampled(everyone), key('down'));
    assert.equal(state.cursor.selectedId, 200);
    // vim becomes the busiest: it moves to the top, and stays selected.
    ({ state } = run(state, sampled([{ ...busy, cpu: 1 }, { ...editor, cpu: 80 }, init, self])));
    assert.equal(state.cursor.selectedId, 200);
    assert.equal(state.cursor.index, 0);
  });

  test('until the user picks a row, the busiest processes stay in view as the order changes', () => {
    // The first reading has no CPU figures yet: PID 1 tops the list and gets the cursor. Then 60
    // processes get busier than it and two lab workers arrive at the top.
    const idle = Array.from({ length: 60 }, (_, index) => processSample({ pid: 1000 + index, cpu: null }));
    let { state } = run(start(), sampled([{ ...init, cpu: null }, ...idle]));
    assert.equal(state.cursor.selectedId, 1);
    ({ state } = run(state, sampled([{ ...init, cpu: 0 }, ...idle.map((process) => ({ ...process, cpu: 0.5 }))])));
    const workers = [processSample({ pid: 2000, cpu: 99 }), processSample({ pid: 2001, cpu: 98 })];
    ({ state } = run(
      state,
      sampled([...workers, { ...init, cpu: 0 }, ...idle.map((process) => ({ ...process, cpu: 0.5 }))]),
    ));
    assert.deepEqual([state.cursor.scrollTop, state.cursor.selectedId], [0, 2000]);
    assert.deepEqual(
      processRows(state)
        .slice(state.cursor.scrollTop, state.cursor.scrollTop + 2)
        .map((row) => row.process.pid),
      [2000, 2001],
    );
  });

  test('> and < move the sort column, I inverts it, a click on a title sorts by it', () => {
    let { state } = run(start(), sampled(everyone), key('>'));
    assert.deepEqual(state.order, { key: 'mem', descending: true });
    ({ state } = run(state, key('<'), key('<')));
    assert.deepEqual(state.order, { key: 'user', descending: false });
    ({ state } = run(state, key('S-i', 'I')));
    assert.deepEqual(state.order, { key: 'user', descending: true });
    const header = dashboardLayout(100, 30, 2).tableHeader.top;
    ({ state } = run(state, { type: 'mouse-down', x: 2, y: header }));
    assert.deepEqual(state.order, { key: 'pid', descending: false });
    assert.deepEqual(
      processRows(state).map((row) => row.process.pid),
      [1, 200, 300, SELF],
    );
  });

  test('a click on a row selects it', () => {
    const body = dashboardLayout(100, 30, 2).tableBody.top;
    const { state } = run(start(), sampled(everyone), { type: 'mouse-down', x: 10, y: body + 2 });
    assert.equal(state.cursor.selectedId, processRows(state)[2]?.process.pid);
  });
});

describe('filter', () => {
  test('/ then text filters as you type; Enter keeps it; Esc clears it', () => {
    let { state } = run(start(), sampled(everyone), key('/'), ...typed('PYTH'));
    assert.equal(state.mode.kind, 'prompt');
    assert.deepEqual(
      processRows(state).map((row) => row.process.pid),
      [300],
    );
    ({ state } = run(state, key('enter')));
    assert.equal(state.filter, 'PYTH');
    assert.equal(state.mode.kind, 'normal');
    assert.equal(state.cursor.selectedId, 300);
    ({ state } = run(state, key('escape')));
    assert.equal(state.filter, '');
    assert.equal(processRows(state).length, 4);
  });

  test('backspace and Ctrl-U edit the filter; space is typed, not a pause', () => {
    const { state } = run(start(), sampled(everyone), key('/'), ...typed('vim'), key('backspace'), key('space', ' '));
    assert.deepEqual(state.mode, { kind: 'prompt', purpose: 'filter', draft: 'vi ' });
    assert.equal(state.paused, false);
    assert.deepEqual(run(state, key('C-u')).state.mode, { kind: 'prompt', purpose: 'filter', draft: '' });
  });
});

describe('kill', () => {
  test('k opens a dialog for the selected process; the list is frozen until it closes', () => {
    let { state } = run(start(), sampled(everyone), key('k'));
    assert.equal(state.mode.kind, 'kill');
    assert.deepEqual(state.mode.kind === 'kill' && state.mode.target, {
      pid: 300,
      name: 'busy',
      user: 'student',
      command: 'python3 0.py',
      startToken: '777',
    });
    ({ state } = run(state, sampled([editor, init, self])));
    assert.deepEqual(
      state.processes.map((process) => process.pid),
      [300, 200, 1, SELF],
      'frozen while the dialog is open',
    );
    const sent = run(state, key('down'), key('enter'));
    assert.deepEqual(sent.effects, [
      { type: 'send-signal', target: state.mode.kind === 'kill' ? state.mode.target : null, signal: 'SIGKILL' },
    ]);
    assert.equal(sent.state.mode.kind, 'normal');
    assert.deepEqual(
      sent.state.processes.map((process) => process.pid),
      [200, 1, SELF],
      'held readings applied on close',
    );
  });

  test('TERM is preselected; Esc cancels and sends nothing', () => {
    const opened = run(start(), sampled(everyone), key('f9'));
    assert.equal(opened.state.mode.kind === 'kill' && opened.state.mode.signalIndex, 0);
    const cancelled = run(opened.state, key('escape'));
    assert.deepEqual(cancelled.effects, []);
    assert.equal(cancelled.state.mode.kind, 'normal');
  });

  test('in the dialog k and j move through the signals (k kills only from the table)', () => {
    const { state } = run(start(), sampled(everyone), key('k'), key('j'), key('j'), key('k'));
    assert.equal(state.mode.kind === 'kill' && state.mode.signalIndex, 1);
  });

  test('a terminal too small to show the dialog takes no key but quit: nothing is sent unseen', () => {
    let { state } = run(start(), sampled(everyone), key('k'));
    ({ state } = run(state, { type: 'resize', cols: 50, rows: 12, helpScrollLimit: helpScrollLimit(50, 12) }));
    const blind = run(state, key('down'), key('enter'), key('escape'), key('/'));
    assert.deepEqual(blind.effects, []);
    assert.equal(blind.state.mode.kind, 'kill', 'the dialog waits, unchanged, for a screen that shows it');
    assert.equal(blind.state.mode.kind === 'kill' && blind.state.mode.signalIndex, 0);
    assert.deepEqual(run(state, key('q')).effects, [{ type: 'quit' }], 'q quits, as the notice says');
    const typing = run(start(), key('/'), {
      type: 'resize',
      cols: 50,
      rows: 12,
      helpScrollLimit: helpScrollLimit(50, 12),
    });
    assert.deepEqual(run(typing.state, key('q')).effects, [{ type: 'quit' }], 'even from a prompt');
  });

  test('PID 1, paratop itself and read-only mode are refused before any dialog', () => {
    const pick = (pid: number, overrides = {}): DashboardState => {
      const { state } = run(start(overrides), sampled(everyone));
      return { ...state, cursor: { ...state.cursor, selectedId: pid } };
    };
    for (const [state, message] of [
      [pick(1), /PID 1 is init/],
      [pick(SELF), /paratop itself/],
      [pick(300, { readOnly: true }), /Read-only/],
    ] as const) {
      const refused = run(state, key('k'));
      assert.equal(refused.state.mode.kind, 'normal');
      assert.match(refused.state.status?.text ?? '', message);
      assert.equal(refused.state.status?.tone, 'error');
    }
  });
});

describe('threads, pause, interval, help, quit', () => {
  test('H opens the thread view of the selected process and asks for its threads; Esc closes it', () => {
    let step = run(start(), sampled(everyone), key('S-h', 'H'));
    assert.equal(step.state.threadPanel?.pid, 300);
    assert.deepEqual(step.effects, [{ type: 'sample-threads', pid: 300 }]);
    step = run(step.state, { type: 'threads-sampled', pid: 300, threads: null });
    assert.equal(step.state.threadPanel?.exited, true);
    assert.equal(run(step.state, key('escape')).state.threadPanel, null);
  });

  test('without per-thread figures, H says why', () => {
    const { state } = run(
      start({ hasThreads: false, samplerKind: 'systeminformation' }),
      sampled(everyone),
      key('enter'),
    );
    assert.equal(state.threadPanel, null);
    assert.match(state.status?.text ?? '', /not available with the systeminformation sampler/);
  });

  test('space pauses, + and - step the interval, each asking for new timing', () => {
    let step = run(start(), key('space', ' '));
    assert.equal(step.state.paused, true);
    assert.deepEqual(step.effects, [{ type: 'timing-changed' }]);
    step = run(start(), key('+', '+'), key('+', '+'));
    assert.equal(step.state.intervalMs, 3000);
    assert.equal(step.effects.length, 2);
    assert.equal(step.state.status?.text, 'Refreshing every 3 s.', 'the list follows meters slower than its own 2 s');
    assert.equal(run(start(), key('-', '-')).state.status?.text, 'Refreshing every 0.5 s; the process list every 2 s.');
    assert.equal(nextInterval(250, -1), 250);
    assert.equal(nextInterval(10_000, 1), 10_000);
    assert.equal(nextInterval(1500, -1), 1000, 'a custom --interval steps to the neighbouring preset');
    assert.ok(INTERVAL_STEPS.includes(1000));
  });

  test('help opens with ?, any key closes it, Ctrl-C still quits', () => {
    const { state } = run(start(), key('?'));
    assert.equal(state.mode.kind, 'help');
    assert.equal(run(state, key('x')).state.mode.kind, 'normal');
    assert.deepEqual(run(state, key('C-c')).effects, [{ type: 'quit' }]);
  });

  test('help taller than an 80x24 terminal scrolls, and stops at its end', () => {
    const { state } = run(start({ size: { cols: 80, rows: 24 } }), key('?'));
    const limit = helpScrollLimit(80, 24);
    assert.ok(limit > 0, 'the help does not fit 80x24');
    const scrolled = run(state, key('down'), key('j'), key('pagedown'));
    assert.equal(
      scrolled.state.mode.kind === 'help' && scrolled.state.mode.scroll,
      Math.min(limit, 2 + 21),
      'a page is the 21 lines shown',
    );
    const end = run(scrolled.state, key('end'), key('down'));
    assert.equal(end.state.mode.kind === 'help' && end.state.mode.scroll, limit);
    const back = run(end.state, key('home'));
    assert.equal(back.state.mode.kind === 'help' && back.state.mode.scroll, 0);
    const lines = helpLines(76, 22, limit, createTheme(false));
    assert.equal(lines.length, 22);
    assert.match(lines.join('\n'), /Knuth/, 'the end of the help, with the quote, can be reached');
    assert.match(helpLines(76, 22, 0, createTheme(false)).at(-1) ?? '', /more lines/);
    const tall = run(start({ size: { cols: 120, rows: 80 } }), key('?'), key('down'));
    assert.equal(tall.state.mode.kind, 'normal', 'where it all fits, any key closes it, as it says');
  });

  test('the calculator answers in one status line, the detail in the lab panel', () => {
    const { state } = run(
      start({ size: { cols: 80, rows: 24 } }),
      key('='),
      key('C-u'),
      ...typed('125 70 20m 0.05'),
      key('enter'),
    );
    assert.equal(state.status?.text, 'Calculator: 8 cores, costing 0.12 (details in the lab panel).');
    assert.ok((state.status?.text.length ?? 99) <= 80);
    assert.match(state.lab.calcAnswer ?? '', /16 rounds/);
    assert.equal(state.lab.visible, true);
  });

  test('q, F10 and Ctrl-C quit', () => {
    for (const name of ['q', 'f10', 'C-c']) assert.deepEqual(run(start(), key(name)).effects, [{ type: 'quit' }]);
  });

  test('a resize re-lays out and keeps the selection visible', () => {
    const many = Array.from({ length: 60 }, (_, index) => processSample({ pid: 1000 + index, cpu: 60 - index }));
    let { state } = run(start(), sampled(many), key('end'));
    assert.equal(state.cursor.selectedId, 1059);
    ({ state } = run(state, { type: 'resize', cols: 80, rows: 24, helpScrollLimit: helpScrollLimit(80, 24) }));
    const height = dashboardLayout(80, 24, 2).tableBody.height;
    assert.ok(state.cursor.index >= state.cursor.scrollTop && state.cursor.index < state.cursor.scrollTop + height);
  });
});
