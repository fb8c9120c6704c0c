import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DashboardState } from '../../../src/model/dashboard-state.js';
import type { CoreUsage, SystemSample } from '../../../src/model/types.js';
import { FrameComposer } from '../../../src/view/frame.js';
import { frameText } from '../../../src/view/frame-text.js';
import { untagged } from '../../../src/view/text-fit.js';
import { createTheme } from '../../../src/view/theme.js';
import { feed, key, startState } from '../../helpers/dashboard-events.js';
import { machineFacts, processSample } from '../../helpers/samples.js';

const GiB = 2 ** 30;

function core(id: number, total: number): CoreUsage {
  return { id, user: total, system: 0, iowait: 0, steal: 0, idle: 100 - total, total };
}

function systemSample(busy: [number, number]): SystemSample {
  return {
    at: 1000,
    cores: [core(0, busy[0]), core(1, busy[1])],
    cpu: { user: (busy[0] + busy[1]) / 2, system: 0, iowait: 0, steal: 0, idle: 50, total: (busy[0] + busy[1]) / 2 },
    memory: {
      totalBytes: 4 * GiB,
      usedBytes: GiB,
      availableBytes: 3 * GiB,
      freeBytes: 2 * GiB,
      buffersBytes: 0,
      cachedBytes: GiB,
      swapTotalBytes: 0,
      swapUsedBytes: 0,
    },
    loadAverage: [1.5, 1, 0.5],
    uptimeSeconds: 3600,
    kernel: null,
  };
}

/** A machine with two busy processes, one of them with a hostile name, after one reading of each kind. */
function busyState(size = { cols: 100, rows: 30 }): DashboardState {
  return feed(
    startState({ size }),
    { type: 'facts-read', facts: machineFacts({ hostname: 'lab-vm' }) },
    { type: 'system-sampled', sample: systemSample([97, 12]), selfCpu: 0.4 },
    {
      type: 'processes-sampled',
      processes: [
        processSample({ pid: 300, name: 'solver', command: '/opt/solver --grid 5x5x5', cpu: 97.3 }),
        processSample({ pid: 301, name: 'evil', command: '{red-fg}evil\x1b]0;pwned\x07', cpu: 12 }),
      ],
    },
  ).state;
}

const screen = (state: DashboardState): string[] =>
  frameText(new FrameComposer(createTheme(false)).compose(state), state.size.cols, state.size.rows);

describe('whole screens, composed from state without a terminal', () => {
  test('the dashboard: header, meters, the process list sorted by CPU, and the footer, all in the frame', () => {
    const lines = screen(busyState());
    assert.equal(lines.length, 30);
    assert.ok(lines.every((line) => line.length <= 100));
    const text = lines.join('\n');
    assert.match(lines[0] ?? '', /paratop/);
    assert.match(text, /lab-vm/);
    assert.match(text, /97\.0%/, 'the busy core');
    const solver = lines.findIndex((line) => line.includes('/opt/solver --grid 5x5x5'));
    const evil = lines.findIndex((line) => line.includes('{red-fg}evil'));
    assert.ok(solver > 0 && evil > solver, 'sorted by CPU, highest first');
    assert.ok(!text.includes('\x1b') && !text.includes('\x07'), 'a hostile name is inert');
    assert.match(lines.at(-1) ?? '', /q/i, 'the footer names keys');
  });

  test('the same state gives the same screen from a composer that has drawn before (its memos)', () => {
    const state = busyState();
    const composer = new FrameComposer(createTheme(false));
    composer.compose(startState());
    const again = frameText(composer.compose(state), 100, 30);
    assert.deepEqual(again, screen(state));
  });

  test('too small: a sentence saying the size found and the size needed, nothing else', () => {
    const lines = screen(busyState({ cols: 40, rows: 10 })).filter((line) => line.length > 0);
    assert.deepEqual(lines, [
      'Terminal too small: 40x10.',
      'paratop needs at least 60x15.',
      'Enlarge the window, or press q to quit.',
    ]);
  });

  test('help: a bordered box over the dashboard, centred, titled', () => {
    const state = feed(busyState(), key('?')).state;
    assert.equal(state.mode.kind, 'help');
    const lines = screen(state);
    const top = lines.findIndex((line) => line.includes('┌ Help '));
    assert.ok(top >= 0, lines.join('\n'));
    const left = (lines[top] ?? '').indexOf('┌');
    const right = (lines[top] ?? '').lastIndexOf('┐');
    assert.equal(left, Math.floor((100 - (right - left + 1)) / 2), 'centred');
    assert.match(lines.slice(top).join('\n'), /quit/i);
  });

  test('the kill dialog names the selected process and the signals', () => {
    const state = feed(busyState(), key('k')).state;
    assert.equal(state.mode.kind, 'kill');
    const text = screen(state).join('\n');
    assert.match(text, /Send a signal/);
    assert.match(text, /300/);
    assert.match(text, /SIGTERM/);
  });

  test('the affinity dialog: whose cores, one checkbox per core, the keys', () => {
    const reading = feed(busyState(), key('a')).state;
    assert.match(screen(reading).join('\n'), /Reading its current cores/);
    const state = feed(reading, { type: 'affinity-read', pid: 300, tid: null, cores: [1], reason: null }).state;
    const text = screen(state).join('\n');
    assert.match(text, /Pin to cores/);
    assert.match(text, /PID 300 {2}solver/);
    assert.match(text, /every thread of the process/);
    assert.match(text, /> \[ \] core 0/);
    assert.match(text, / {2}\[x\] core 1/);
    assert.match(text, /Chosen: 1 {2}\(1\)/);
    assert.match(text, /Space toggle · a all · Enter apply · Esc cancel/);
  });

  test('the affinity dialog scrolls its cores on a short screen, keeping the cursor in view', () => {
    const many = Array.from({ length: 64 }, (_, index) => index);
    let state = feed(busyState(), key('a')).state;
    state = feed(state, { type: 'affinity-read', pid: 300, tid: null, cores: many, reason: null }).state;
    state = feed(state, ...Array.from({ length: 40 }, () => key('j'))).state;
    const lines = screen(state);
    assert.equal(lines.length, 30);
    const text = lines.join('\n');
    assert.match(text, /> \[x\] core 40/);
    assert.doesNotMatch(text, /core 0\b/);
    assert.match(text, /Enter apply/, 'the keys stay on screen');
  });

  test('a wide terminal shows the lab beside the process list, on the same rows', () => {
    const wide = feed(busyState({ cols: 160, rows: 40 }), key('l')).state;
    assert.equal(wide.lab.visible, true);
    const lines = screen(wide);
    const row = lines.find((line) => line.includes('/opt/solver'));
    assert.ok(row, lines.join('\n'));
    assert.match(lines.join('\n'), /LAB 1\/5/);
    assert.ok(
      lines.some((line) => line.includes('PID') && line.includes('LAB 1/5')),
      'side by side',
    );
  });
});

describe('untagged text', () => {
  test('style tags go, escaped braces come back, an escaped tag shows as typed', () => {
    assert.equal(untagged('{bold}x{/bold} {open}red-fg{close}'), 'x {red-fg}');
  });
});

describe('the core map (g)', () => {
  test('a row per core with who ran there, the legend, and what it shows; Esc closes it', () => {
    let state = feed(busyState(), key('g')).state;
    assert.ok(state.coreMap);
    const turn = (slice: number) => ({
      type: 'placements-sampled' as const,
      tasks: [
        { key: '9/10', label: 'gil-worker-1', cpu: 0, running: slice % 2 === 0 },
        { key: '9/11', label: 'gil-worker-2', cpu: 1, running: slice % 2 === 1 },
      ],
    });
    for (let slice = 0; slice < 10; slice += 1) state = feed(state, turn(slice)).state;
    const text = screen(state).join('\n');
    assert.match(text, /CORE MAP/);
    assert.match(text, /0 │ *A·A·A·A·A·│ +97\.0% busy, 0 waiting/);
    assert.match(text, /1 │ *·B·B·B·B·B│ +12\.0% busy, 0 waiting/);
    assert.match(text, /A gil-worker-1 · B gil-worker-2/);
    assert.match(text, /One at a time/);
    assert.equal(feed(state, key('escape')).state.coreMap, null);
  });

  test('without a lab run it shows what each process scan saw running', () => {
    let state = feed(busyState(), key('g')).state;
    const running = [processSample({ pid: 300, name: 'solver', state: 'R', lastCpu: 1, cpu: 99 })];
    state = feed(state, { type: 'processes-sampled', processes: running }).state;
    const text = screen(state).join('\n');
    assert.match(text, /1 │ *A│/);
    assert.match(text, /A solver 300/);
  });
});

describe('the scheduling columns (CORE, WAIT%)', () => {
  const header = (state: DashboardState): string => screen(state).find((line) => line.includes('PID USER')) ?? '';

  test('hidden by default, shown with e and hidden again; sort keys skip them while hidden', () => {
    const state = busyState();
    assert.doesNotMatch(header(state), /CORE|WAIT%/);
    const shown = feed(state, key('e')).state;
    assert.match(header(shown), /S CORE WAIT% +CTXSW COMMAND/);
    assert.doesNotMatch(header(feed(shown, key('e')).state), /CORE/);
    // From STATE, the next column is CTXSW while the scheduling ones are hidden.
    let sorted = feed(state, ...Array.from({ length: 4 }, () => key('s'))).state;
    assert.equal(sorted.order.key, 'state');
    sorted = feed(sorted, key('s')).state;
    assert.equal(sorted.order.key, 'ctxsw');
  });

  test('shown while the lab runs, unless hidden with e', () => {
    const run = {
      type: 'lab-changed' as const,
      output: null,
      result: null,
      run: {
        scenarioId: 'processes',
        title: 'Processes',
        kind: 'processes' as const,
        workers: 2,
        phase: 'running' as const,
        startedAt: 1,
        pids: [300],
        hostName: null,
        step: null,
        ctxPerSecond: null,
        elapsedSeconds: 1,
        units: 0,
        coresUsed: null,
        workerStates: [],
      },
    };
    const running = feed(busyState(), run).state;
    assert.match(header(running), /CORE WAIT%/);
    assert.doesNotMatch(header(feed(running, key('e')).state), /CORE/);
  });
});
