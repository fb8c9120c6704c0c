import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RunTape } from '../../../src/app/run-tape.js';
import type { ChromeTrace } from '../../../src/model/chrome-trace.js';
import { feed, key, startState } from '../../helpers/dashboard-events.js';
import { T0, gilResult, gilRun, systemAt } from '../../helpers/recording.js';
import { processSample } from '../../helpers/samples.js';

test('T: the last run, kept in memory, becomes a trace in the data folder', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'paratop-tape-'));
  try {
    const state = startState();
    assert.match(feed(state, key('T')).state.status?.text ?? '', /No run yet/);
    const tape = new RunTape({ sampler: 'linux-proc', intervalSeconds: 1, cores: [0, 1] });
    assert.equal(tape.recording(), null);
    tape.event({ type: 'lab-changed', run: gilRun(), result: null, output: null }, state);
    const running = feed(state, { type: 'lab-changed', run: gilRun(), result: null, output: null }).state;
    for (let slice = 0; slice < 4; slice += 1)
      tape.event(
        {
          type: 'placements-sampled',
          tasks: [
            { key: '4000/4010', label: 'gil-worker-1', cpu: 0, running: slice % 2 === 0 },
            { key: '4000/4011', label: 'gil-worker-2', cpu: 0, running: slice % 2 === 1 },
          ],
        },
        running,
      );
    tape.event({ type: 'system-sampled', sample: systemAt(T0 + 1000, [100, 0]), selfCpu: null }, running);
    tape.event(
      { type: 'processes-sampled', processes: [processSample({ pid: 4000 }), processSample({ pid: 1 })] },
      running,
    );
    tape.tickDone(running);
    tape.event({ type: 'lab-changed', run: null, result: gilResult(), output: null }, running);
    const recording = tape.recording();
    const sample = recording?.entries.find((entry) => entry.line.type === 'sample')?.line;
    assert.ok(sample?.type === 'sample');
    assert.deepEqual(
      sample.processes.map((process) => process.pid),
      [4000],
      "only the run's own processes are kept",
    );
    assert.deepEqual(feed(running, key('T')).effects, [{ type: 'export-trace' }]);
    const path = await tape.writeTrace({ XDG_DATA_HOME: folder });
    assert.match(path, /paratop\/traces\/gil-threads-.*\.trace\.json$/);
    const trace = JSON.parse(readFileSync(path, 'utf8')) as ChromeTrace;
    const names = trace.traceEvents.filter((event) => event.name === 'thread_name').map((event) => event.args?.name);
    assert.ok(names.includes('gil-worker-1') && names.includes('core 0'), names.join());
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("T: a second run's trace does not open with the run before's result", () => {
  const state = startState();
  const tape = new RunTape({ sampler: 'linux-proc', intervalSeconds: 1, cores: [0, 1] });
  tape.event({ type: 'lab-changed', run: gilRun(), result: null, output: null }, state);
  tape.event({ type: 'lab-changed', run: null, result: gilResult(), output: null }, state);
  const second = { ...gilRun(), startedAt: gilRun().startedAt + 60_000 };
  // The engine's lastResult (the first run's) comes with the second run's first notice.
  tape.event({ type: 'lab-changed', run: second, result: gilResult(), output: null }, state);
  const lines = tape.recording()?.entries.map((entry) => (entry.line.type === 'lab' ? entry.line.event : 'sample'));
  assert.deepEqual(lines, ['run']);
});
