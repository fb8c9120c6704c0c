import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CORES_PID, WORKERS_PID, coreTid, recordingToTrace, type TraceEvent } from '../../../src/model/chrome-trace.js';
import { parseRecording } from '../../../src/model/recording.js';
import { knownRecordingText } from '../../helpers/recording.js';

/** The Trace Event Format's rules that Perfetto and chrome://tracing rely on. */
function assertWellFormed(events: readonly TraceEvent[]): void {
  for (const event of events) {
    for (const field of ['name', 'ph', 'ts', 'pid', 'tid'] as const)
      assert.ok(event[field] !== undefined, `${JSON.stringify(event)} has no ${field}`);
    assert.ok(Number.isInteger(event.ts) && event.ts >= 0, `ts ${event.ts}`);
    if (event.ph === 'X')
      assert.ok(Number.isInteger(event.dur) && (event.dur ?? 0) > 0, 'a complete event has a duration');
    if (event.ph === 'i') assert.ok(event.s === 'g' || event.s === 'p' || event.s === 't', 'an instant has a scope');
    if (event.ph === 'M') assert.ok(typeof event.args?.name === 'string' || typeof event.args?.sort_index === 'number');
    if (event.ph === 'C') assert.ok(Object.values(event.args ?? {}).every((value) => typeof value === 'number'));
    // No control characters or bidi overrides survive in a name.
    assert.doesNotMatch(event.name, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  }
  // Complete events on one track never overlap: each slice closes before the next opens.
  const byTrack = new Map<string, TraceEvent[]>();
  for (const event of events.filter((one) => one.ph === 'X')) {
    const key = `${event.pid}/${event.tid}`;
    byTrack.set(key, [...(byTrack.get(key) ?? []), event]);
  }
  for (const [track, slices] of byTrack) {
    const sorted = [...slices].sort((a, b) => a.ts - b.ts);
    sorted.slice(1).forEach((slice, index) => {
      const before = sorted[index];
      assert.ok(before && before.ts + (before.dur ?? 0) <= slice.ts, `slices overlap on track ${track}`);
    });
  }
  // It is JSON that reads back as itself.
  assert.deepEqual(JSON.parse(JSON.stringify(events)), events);
}

const trackNames = (events: readonly TraceEvent[], pid: number): string[] =>
  events
    .filter((event) => event.ph === 'M' && event.name === 'thread_name' && event.pid === pid)
    .map((event) => String(event.args?.name));

const slicesOn = (events: readonly TraceEvent[], pid: number, tid: number): TraceEvent[] =>
  events.filter((event) => event.ph === 'X' && event.pid === pid && event.tid === tid).sort((a, b) => a.ts - b.ts);

test('a known run gives a track per core with its threads, a track per worker, and the lab as markers', () => {
  const trace = recordingToTrace(parseRecording(knownRecordingText()));
  assertWellFormed(trace.traceEvents);
  assert.equal(trace.displayTimeUnit, 'ms');
  assert.deepEqual(trackNames(trace.traceEvents, CORES_PID), ['core 0', 'core 1']);
  assert.deepEqual(trackNames(trace.traceEvents, WORKERS_PID), ['gil-worker-1', 'gil-worker-2']);
  // Seconds 1 and 2 on core 0, taking turns: the GIL's signature; second 3 on core 1.
  const core0 = slicesOn(trace.traceEvents, CORES_PID, coreTid(0)).map((slice) => slice.name);
  assert.deepEqual(core0.slice(0, 4), ['gil-worker-1', 'gil-worker-2', 'gil-worker-1', 'gil-worker-2']);
  assert.equal(core0.length, 8);
  assert.equal(slicesOn(trace.traceEvents, CORES_PID, coreTid(1)).length, 4);
  const worker1 = slicesOn(trace.traceEvents, WORKERS_PID, 1).map((slice) => slice.name);
  assert.ok(worker1.includes('running') && worker1.includes('asleep or waiting'));
  const markers = trace.traceEvents.filter((event) => event.ph === 'i').map((event) => event.name);
  assert.deepEqual(markers, [
    'started: Threads under a GIL-like lock',
    'ended: Threads under a GIL-like lock',
    'result: 2 workers for 3.0 s: 1.00 cores busy on average.',
  ]);
  const counters = trace.traceEvents.filter((event) => event.ph === 'C');
  assert.equal(counters.length, 10, 'each core busy share, per sample');
});

test('without placements, the threads of each sample stand on the core they last ran on', () => {
  const text = knownRecordingText()
    .split('\n')
    .filter((line) => !line.includes('"placements"'))
    .join('\n');
  const trace = recordingToTrace(parseRecording(text));
  assertWellFormed(trace.traceEvents);
  assert.deepEqual(trackNames(trace.traceEvents, WORKERS_PID), ['gil-worker-1', 'gil-worker-2']);
  const onCores = [0, 1].flatMap((core) =>
    slicesOn(trace.traceEvents, CORES_PID, coreTid(core)).map((slice) => slice.name),
  );
  assert.ok(onCores.includes('gil-worker-1') && onCores.includes('gil-worker-2'));
});

test('hostile names are made inert and bounded, and stay valid JSON', () => {
  const hostile = 'evil\u001b[2J\u202eeman\u0007"}{\\'.padEnd(400, 'x');
  const text = knownRecordingText().replaceAll('gil-worker-1', JSON.stringify(hostile).slice(1, -1));
  const trace = recordingToTrace(parseRecording(text));
  assertWellFormed(trace.traceEvents);
  const name = trackNames(trace.traceEvents, WORKERS_PID)[0] ?? '';
  assert.ok(name.startsWith('evil[2Jeman"}{\\'), name);
  assert.ok(name.length <= 120);
});

test('an empty recording gives a trace with its tracks named and nothing else', () => {
  const header = knownRecordingText().split('\n')[0];
  const trace = recordingToTrace(parseRecording(`${header}\n`));
  assertWellFormed(trace.traceEvents);
  assert.deepEqual(trackNames(trace.traceEvents, CORES_PID), ['core 0', 'core 1']);
});
