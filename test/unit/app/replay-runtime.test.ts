import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReplayRuntime } from '../../../src/app/replay-runtime.js';
import type { DashboardState } from '../../../src/model/dashboard-state.js';
import type { GpuSample } from '../../../src/model/types.js';
import { parseRecording } from '../../../src/model/recording.js';
import { FrameComposer } from '../../../src/view/frame.js';
import { frameText } from '../../../src/view/frame-text.js';
import { createTheme } from '../../../src/view/theme.js';
import { key, startState } from '../../helpers/dashboard-events.js';
import { knownRecordingText } from '../../helpers/recording.js';

function replay(): { runtime: ReplayRuntime; screen(): string[]; quits: number[] } {
  const recording = parseRecording(knownRecordingText());
  const state = startState({
    size: { cols: 100, rows: 30 },
    readOnly: true,
    replay: { file: 'run.ndjson', samples: 5, lengthMs: 4000 },
  });
  const quits: number[] = [];
  const runtime = new ReplayRuntime(state, recording, {
    renderer: { render: () => undefined },
    onQuit: () => quits.push(1),
  });
  const composer = new FrameComposer(createTheme(false));
  const screen = (): string[] => frameText(composer.compose(runtime.current), 100, 30);
  return { runtime, screen, quits };
}

const footer = (lines: string[]): string => lines.at(-1) ?? '';
const expireStatus = (runtime: ReplayRuntime): DashboardState => {
  const state = runtime.current;
  return { ...state, status: null };
};

test('a replay opens on its first sample, a time line in the footer; it pauses, steps, changes speed', () => {
  const { runtime, screen } = replay();
  runtime.start();
  try {
    assert.equal(runtime.current.replay?.position, 0);
    assert.equal(runtime.current.system?.cores?.[0]?.total, 100);
    assert.match(footer(screen()), /^REPLAY 0:00 \/ 0:04 \[-+\] ×1 playing #1\/5 Space pause ←→ step \+- speed q quit/);
    runtime.dispatch(key('space', ' '));
    assert.equal(runtime.current.paused, true);
    runtime.dispatch(key('right'));
    runtime.dispatch(key('right'));
    assert.equal(runtime.current.replay?.position, 2);
    assert.equal(runtime.current.replay?.atMs, 2000);
    assert.equal(runtime.current.lab.run?.scenarioId, 'gil-threads', 'the run is on at the third sample');
    runtime.dispatch(key('right'));
    assert.equal(runtime.current.lab.run, null, 'and over by the fourth');
    assert.match(runtime.current.lab.result?.summary ?? '', /2 workers for 3\.0 s/);
    runtime.dispatch(key('left'));
    runtime.dispatch(key('left'));
    assert.equal(runtime.current.replay?.position, 1);
    const shown = (): DashboardState => runtime.current;
    assert.equal(shown().lab.run?.scenarioId, 'gil-threads', 'stepping back brings the run back');
    assert.equal(runtime.current.coreHistory[0]?.length, 2, 'the meters have the history up to the sample shown');
    runtime.dispatch(key('+'));
    runtime.dispatch(key(']'));
    assert.equal(runtime.current.replay?.speed, 4);
    runtime.dispatch(key('-'));
    assert.equal(runtime.current.replay?.speed, 2);
    Object.assign(runtime, { state: expireStatus(runtime) });
    assert.match(footer(screen()), /REPLAY 0:01 \/ 0:04 \[=+-+\] ×2 paused #2\/5/);
  } finally {
    runtime.stop();
  }
});

test('a replay refuses to kill, pin, run or start anything, and says why', () => {
  const { runtime } = replay();
  runtime.start();
  try {
    runtime.dispatch(key('space', ' '));
    for (const [pressed, why] of [
      ['k', /no signal can be sent/],
      ['f9', /no signal can be sent/],
      ['a', /nothing can be pinned/],
      ['3', /cannot start or stop experiments/],
      ['x', /cannot start or stop experiments/],
      ['r', /no command can be run/],
    ] as const) {
      runtime.dispatch(key(pressed));
      assert.equal(runtime.current.mode.kind, 'normal', `${pressed} opens nothing`);
      assert.match(runtime.current.status?.text ?? '', why, pressed);
      assert.equal(runtime.current.status?.tone, 'error');
    }
  } finally {
    runtime.stop();
  }
});

test('the end of the recording pauses with a word, and q quits', () => {
  const { runtime, quits } = replay();
  runtime.start();
  try {
    runtime.dispatch(key('space', ' '));
    for (let step = 0; step < 10; step += 1) runtime.dispatch(key('right'));
    assert.equal(runtime.current.replay?.position, 4);
    runtime.dispatch(key('q'));
    assert.deepEqual(quits, [1]);
  } finally {
    runtime.stop();
  }
});

test('a recording with GPUs replays their meters; one without shows none', () => {
  const gpu: GpuSample = {
    index: 0,
    id: 'GPU-0000',
    name: 'NVIDIA H100 80GB HBM3',
    vendor: 'nvidia',
    source: 'nvidia-smi',
    pciBusId: '00000000:19:00.0',
    utilPercent: 97,
    memoryUsedBytes: 40 * 2 ** 30,
    memoryTotalBytes: 80 * 2 ** 30,
    temperatureC: 61,
    powerWatts: 512,
    smClockMHz: 1980,
    memoryClockMHz: 2619,
    lost: false,
  };
  const open = (text: string) => {
    const state = startState({
      size: { cols: 100, rows: 30 },
      readOnly: true,
      replay: { file: 'gpu.ndjson', samples: 5, lengthMs: 4000 },
    });
    const runtime = new ReplayRuntime(state, parseRecording(text), {
      renderer: { render: () => undefined },
      onQuit: () => undefined,
    });
    runtime.start();
    const screen = frameText(new FrameComposer(createTheme(false)).compose(runtime.current), 100, 30).join('\n');
    runtime.stop();
    return { state: runtime.current, screen };
  };
  const withGpu = open(knownRecordingText([gpu]));
  assert.equal(withGpu.state.gpus[0]?.name, 'NVIDIA H100 80GB HBM3');
  assert.match(withGpu.screen, /GPU0\[\|+ *97\.0%\]/);
  const without = open(knownRecordingText());
  assert.deepEqual(without.state.gpus, []);
  assert.doesNotMatch(without.screen, /GPU0|GMEM/);
});

test('stepping to the last sample shows the run ended with its result; stepping there again changes nothing', () => {
  const { runtime } = replay();
  runtime.start();
  try {
    runtime.dispatch(key('space', ' '));
    for (let step = 0; step < 6; step += 1) runtime.dispatch(key('right'));
    assert.equal(runtime.current.replay?.position, 4);
    assert.equal(runtime.current.lab.run, null);
    assert.match(runtime.current.lab.result?.summary ?? '', /2 workers for 3\.0 s/);
    runtime.dispatch(key('left'));
    runtime.dispatch(key('right'));
    assert.equal(runtime.current.replay?.position, 4);
    assert.match(runtime.current.lab.result?.summary ?? '', /2 workers for 3\.0 s/);
  } finally {
    runtime.stop();
  }
});
