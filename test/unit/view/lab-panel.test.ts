import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SCENARIOS } from '../../../src/lab/scenarios.js';
import type { LabState } from '../../../src/model/dashboard-state.js';
import type { RunSnapshot } from '../../../src/model/lab-types.js';
import { emptyCoreMap, withSlice } from '../../../src/model/core-map.js';
import { dashboardLayout } from '../../../src/model/screen-layout.js';
import { labPanelLines } from '../../../src/view/lab-panel.js';
import { createTheme } from '../../../src/view/theme.js';

const plain = createTheme(false);
const text = (lines: string[]): string => lines.join('\n').replace(/\{\/?[a-z-]+\}/g, '');
const lab = (fields: Partial<LabState>): LabState => ({
  visible: true,
  scenarios: SCENARIOS,
  cores: 2,
  workers: { 'gil-threads': 2 },
  focusId: null,
  run: null,
  result: null,
  error: null,
  page: 1,
  python: null,
  engines: {},
  calcInput: '',
  calcAnswer: null,
  commandInput: '',
  output: null,
  map: null,
  ...fields,
});

/** A GIL-like run under way; tests set what they look at. */
const gilRun = (fields: Partial<RunSnapshot>): RunSnapshot => ({
  scenarioId: 'gil-threads',
  title: 'Threads under a GIL-like lock',
  kind: 'threads',
  workers: 2,
  phase: 'running',
  startedAt: 0,
  pids: [4000],
  hostName: 'gil-worker-main',
  step: null,
  ctxPerSecond: null,
  elapsedSeconds: 3,
  units: 15000,
  coresUsed: 1,
  workerStates: [],
  ...fields,
});

test('idle: every experiment of the page with its key, on one line each; Tab turns the page', () => {
  const first = labPanelLines(lab({}), 80, 12, plain);
  assert.equal(first.length, 1 + SCENARIOS.filter((scenario) => scenario.page === 1).length);
  assert.match(text(first), /^3 ×2 +Threads under a GIL-like lock/m);
  assert.match(first[0] ?? '', /LAB 1\/5 \(Tab\) {2}1-5 start · ×N: \[ \] c m · r run · l hide/);
  const second = text(labPanelLines(lab({ page: 2, workers: { race: 2 } }), 80, 12, plain));
  assert.match(second, /^1 ×2 +Race on a shared counter/m);
  assert.match(second, /^9 .*Threads vs processes, measured/m);
});

test('running: what to look for, the figures, the PID and each TID with its name; GIL simulation said plainly', () => {
  const lines = labPanelLines(
    lab({
      run: gilRun({
        coresUsed: 1.01,
        workerStates: [
          { index: 1, pid: 4000, tid: 4010, name: 'gil-worker-1', units: 7000, cpuSeconds: 1.5, cpu: 51, exit: null },
          {
            index: 2,
            pid: 4000,
            tid: 4011,
            name: 'gil-worker-2',
            units: 8000,
            cpuSeconds: 1.5,
            cpu: 49,
            exit: 'killed by SIGTERM',
          },
        ],
      }),
    }),
    80,
    12,
    plain,
  );
  const shown = text(lines.slice(1)).replaceAll('\n', ' ');
  assert.match(shown, /Simulates CPython's GIL/);
  assert.match(shown, /Look for: Total CPU stays near one core/);
  assert.match(shown, /1\.01 cores busy · 5\.0k work units\/s/);
  assert.match(
    shown,
    /PID 4000, one process; its threads: TID 4010 gil-worker-1 51\.0% · TID 4011 gil-worker-2 killed by SIGTERM/,
  );
  assert.ok(lines.length <= 12);
});

test('a small panel keeps the figures and drops the explanations first', () => {
  const running = lab({
    run: gilRun({
      workers: 1,
      workerStates: [
        { index: 1, pid: 4000, tid: 4010, name: 'gil-worker-1', units: 7000, cpuSeconds: 1.5, cpu: 51, exit: null },
      ],
    }),
  });
  const shown = text(labPanelLines(running, 80, 6, plain));
  assert.match(shown, /cores busy/);
  assert.match(
    shown,
    /^Simulates CPython's GIL \(Node's threads have none\)\.$/m,
    'the simulation is still said, briefly',
  );
  assert.doesNotMatch(shown, /SharedArrayBuffer/);
});

test('11 threads at 80x24 (a 7-line panel): the simulation notice and every TID stay on screen', () => {
  const workerStates = Array.from({ length: 11 }, (_, index) => ({
    index: index + 1,
    pid: 4000,
    tid: 4010 + index,
    name: `gil-worker-${index + 1}`,
    units: 100,
    cpuSeconds: 0.1,
    cpu: 9,
    exit: null,
  }));
  const running = lab({
    run: gilRun({
      workers: 11,
      ctxPerSecond: 900,
      workerStates,
    }),
  });
  const shown = text(labPanelLines(running, 80, 8, plain));
  assert.match(shown, /Simulates CPython's GIL/);
  for (const worker of workerStates) assert.match(shown, new RegExp(`\\b${worker.tid}\\b`), `TID ${worker.tid} shown`);
});

test('layout: the panel sits under the table at 80x24 and beside it on wide screens', () => {
  const narrow = dashboardLayout(80, 24, 2, true);
  assert.ok(narrow.lab && narrow.lab.top > narrow.tableBody.top && narrow.lab.width === 80);
  assert.ok(narrow.tableBody.height >= 4);
  assert.equal(narrow.lab.top + narrow.lab.height, 23);
  const wide = dashboardLayout(160, 40, 2, true);
  assert.ok(wide.lab && wide.lab.left > 0 && wide.lab.top === wide.tableHeader.top);
  assert.equal(wide.tableBody.width + 1 + wide.lab.width, 160);
  assert.equal(dashboardLayout(80, 24, 2, false).lab, null);
  assert.ok(dashboardLayout(60, 15, 2, true).tableBody.height >= 3, 'the smallest screen still shows processes');
});

test('page 5: Dask and MPI rows greyed with the reason and what to install, or the engine found', () => {
  const missing = {
    available: false as const,
    reason:
      'no Python here has Dask distributed (python3: no module distributed). ' +
      'Install it: apt-get install python3-distributed',
  };
  const found = { available: true as const, line: 'mpi4py 3.1.4 under /usr/bin/python3 (Python 3.11.2)' };
  const shown = text(labPanelLines(lab({ page: 5, engines: { dask: missing, mpi: found } }), 200, 12, plain));
  assert.match(shown, /LAB 5\/5 \(Tab\) · Dask missing · MPI found/);
  assert.match(
    shown,
    /1 .*Grid search on Dask +needs Dask: no Python here has Dask distributed .*apt-get install python3-distributed/,
  );
  assert.match(shown, /2 .*Grid search on MPI +final remarks/);
  const looking = text(labPanelLines(lab({ page: 5 }), 200, 12, plain));
  assert.match(looking, /Dask … · MPI …/);
});

test('while a run goes on, the panel says what the core map sees of its threads, measured', () => {
  let map = emptyCoreMap([0, 1]);
  for (let slice = 0; slice < 10; slice += 1)
    map = withSlice(map, [
      { key: '1/2', label: 'gil-worker-1', cpu: 0, running: slice % 2 === 0 },
      { key: '1/3', label: 'gil-worker-2', cpu: 1, running: slice % 2 === 1 },
    ]);
  const running = lab({
    map,
    run: gilRun({
      pids: [1],
      units: 100,
    }),
  });
  assert.match(text(labPanelLines(running, 120, 14, plain)), /Seen: One at a time/);
  assert.doesNotMatch(text(labPanelLines({ ...running, map: null }, 120, 14, plain)), /Seen:/);
});
