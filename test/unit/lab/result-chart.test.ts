import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResultChart, RunResult } from '../../../src/model/lab-types.js';
import { chartLayout } from '../../../src/view/result-chart.js';
import { resultLines } from '../../../src/view/results-view.js';
import { createTheme } from '../../../src/view/theme.js';

/** The charts of the lab's results, laid out for an 80-column terminal: what a student reads. */
const RECT = { top: 10, left: 0, width: 80, height: 12 };

const compare: ResultChart = {
  kind: 'bar',
  title: 'the same work, by variant',
  labels: ['serial', 'GIL-like threads', 'lock-free threads', 'processes'],
  series: [
    { title: 'wall s', values: [1.5, 1.6, 0.8, 0.8] },
    { title: 'CPU s', values: [1.5, 1.6, 1.6, 1.6] },
    { title: 'speedup x', values: [1, 0.94, 1.9, 1.9] },
  ],
};

test('a bar chart of several measures: a panel per measure, side by side, each titled', () => {
  const layout = chartLayout(compare, RECT, true);
  assert.deepEqual(
    layout.panels.map((panel) => panel.title),
    ['wall s', 'CPU s', 'speedup x'],
  );
  assert.equal(
    layout.panels.reduce((width, panel) => width + panel.rect.width, 0),
    80,
  );
  assert.ok(layout.panels.every((panel) => panel.series.length === 1));
});

test('bar labels never appear cut short: too long for their bars, they become letters spelt out in a key', () => {
  const layout = chartLayout(compare, RECT, true);
  assert.deepEqual(layout.panels[0]?.labels, ['A', 'B', 'C', 'D']);
  const key = layout.key.join(' ');
  for (const label of compare.labels) assert.ok(key.includes(label), `"${label}" in the key: ${key}`);
  assert.ok(
    layout.key.length >= 1 && layout.panels.every((panel) => panel.rect.height === RECT.height - layout.key.length),
  );
});

test('labels that fit are shown whole, with no key', () => {
  const grid: ResultChart = {
    kind: 'bar',
    title: 'seconds for the whole grid',
    labels: ['serial (1)', 'pool (2)'],
    series: [{ title: 's', values: [5, 2.6] }],
  };
  const layout = chartLayout(grid, RECT, true);
  assert.deepEqual(layout.panels[0]?.labels, ['serial (1)', 'pool (2)']);
  assert.deepEqual(layout.key, []);
  assert.equal(layout.panels[0]?.title, 'seconds for the whole grid');
});

test(
  'lines of very different sizes get a panel each (neither lies flat); comparable ' + 'ones share one, named in a key',
  () => {
    const sweep: ResultChart = {
      kind: 'line',
      title: 'by number of workers',
      labels: ['1', '2', '3', '4'],
      series: [
        { title: 'work units/s', values: [6800, 12500, 12900, 12800] },
        { title: 'context switches/s', values: [6, 230, 340, 570] },
      ],
    };
    assert.deepEqual(
      chartLayout(sweep, RECT, true).panels.map((panel) => panel.title),
      ['work units/s', 'context switches/s'],
    );
    const sideBySide: ResultChart = {
      kind: 'line',
      title: 'cores busy, by threads',
      labels: ['1', '2'],
      series: [
        { title: 'simulated', values: [1, 1.02] },
        { title: 'real', values: [0.99, 1.01] },
      ],
    };
    const together = chartLayout(sideBySide, RECT, true);
    assert.equal(together.panels.length, 1);
    assert.match(together.key.join(' '), /simulated.*real/);
    // Without colour two lines cannot be told apart: a panel each.
    assert.equal(chartLayout(sideBySide, RECT, false).panels.length, 2);
  },
);

test('the results view prints a table once, and the workers when the table has no PIDs', () => {
  const result: RunResult = {
    scenarioId: 'race',
    title: 'Race on a shared counter',
    kind: 'threads',
    workers: 2,
    wallSeconds: 0.1,
    cpuSeconds: null,
    coresUsed: null,
    units: 0,
    unitsPerSecond: 0,
    perCore: null,
    speedup: null,
    stoppedBy: 'finished',
    perWorker: [
      { index: 1, pid: 4242, tid: 4244, name: 'racer-1', units: 10, cpuSeconds: 0.1 },
      { index: 2, pid: 4242, tid: 4245, name: 'racer-2', units: 10, cpuSeconds: 0.1 },
    ],
    joined: [],
    summary: '2 threads x 10 increments: expected 20, got 15.',
    lines: [],
    table: { columns: ['version', 'expected', 'actual'], rows: [['unprotected', 20, 15]] },
  };
  const lines = resultLines(result, 80, createTheme(false));
  assert.equal(lines.filter((line) => line.includes('unprotected')).length, 1);
  assert.ok(lines.some((line) => line.includes('racer-1 4242/4244') && line.includes('racer-2 4242/4245')));
});
