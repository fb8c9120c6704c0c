import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { DashboardState } from '../../../src/model/dashboard-state.js';
import type { GpuSample } from '../../../src/model/types.js';
import { NvidiaSmiState } from '../../../src/sampler/linux/nvidia-smi-state.js';
import { FrameComposer } from '../../../src/view/frame.js';
import { frameText } from '../../../src/view/frame-text.js';
import { createTheme } from '../../../src/view/theme.js';
import { feed, startState } from '../../helpers/dashboard-events.js';
import { fixturesDir } from '../../helpers/fixtures.js';
import { processSample } from '../../helpers/samples.js';

const MIB = 1024 * 1024;

/** The GPUs a stream fixture leaves, as the nvidia-smi source would hand them to the dashboard. */
function gpusFrom(fixture: string): GpuSample[] {
  const state = new NvidiaSmiState(3000);
  for (const line of readFileSync(join(fixturesDir, 'gpu/nvidia-smi', fixture), 'utf8').split('\n'))
    state.gpuLine(line);
  return state.gpuSamples();
}

function withGpus(gpus: GpuSample[] | null, size = { cols: 120, rows: 30 }): DashboardState {
  const events = [
    {
      type: 'processes-sampled' as const,
      processes: [
        processSample({ pid: 11345, name: 'gpu_burn', command: './gpu_burn', cpu: 3, gpuMemoryBytes: 15690 * MIB }),
        processSample({ pid: 2, name: 'idle', command: '/bin/idle', cpu: 0 }),
      ],
    },
  ];
  const gpuEvents = gpus ? [1, 2, 3].map(() => ({ type: 'gpus-sampled' as const, gpus })) : [];
  return feed(startState({ size }), ...gpuEvents, ...events).state;
}

const screen = (state: DashboardState): string[] =>
  frameText(new FrameComposer(createTheme(false)).compose(state), state.size.cols, state.size.rows);

describe('GPU meters and columns on the whole screen', () => {
  test('an H100 under load: a meter with its history, memory, temperature, power, clock and name', () => {
    const lines = screen(withGpus(gpusFrom('h100-stream.csv')));
    const meter = lines.find((line) => line.startsWith('GPU0'));
    assert.ok(meter, lines.join('\n'));
    assert.match(meter, /^GPU0\[\|+100\.0%\]/);
    assert.match(meter, /19G\/80G 59°C 632W 1980MHz NVIDIA H100 80GB HBM3/);
    const header = lines.find((line) => line.includes('COMMAND')) ?? '';
    assert.match(header, /GPU% +GMEM COMMAND/);
    const burn = lines.find((line) => line.includes('./gpu_burn')) ?? '';
    assert.match(burn, / 15G \.\/gpu_burn/);
    const idle = lines.find((line) => line.includes('/bin/idle')) ?? '';
    assert.match(idle, /- +- \/bin\/idle/);
  });

  test('a GPU fallen off the bus says so on its line; the other keeps its meter', () => {
    const lines = screen(withGpus(gpusFrom('two-gpus-one-lost.csv')));
    assert.match(lines.find((line) => line.startsWith('GPU0')) ?? '', /100\.0%/);
    assert.match(lines.find((line) => line.startsWith('GPU1')) ?? '', /lost: fell off the bus, reboot to recover/);
  });

  test('no GPU: no meter, no GPU columns, the table starts where it always did', () => {
    const lines = screen(withGpus(null));
    assert.ok(!lines.some((line) => /GPU/.test(line)), lines.join('\n'));
    const before = screen(withGpus(null)).findIndex((line) => line.includes('COMMAND'));
    const after = screen(withGpus(gpusFrom('h100-stream.csv'))).findIndex((line) => line.includes('COMMAND'));
    assert.equal(after, before + 1, 'one GPU, one more line above the table');
  });

  test('a GPU name is untrusted text: no tags, no control characters reach the terminal', () => {
    const [gpu] = gpusFrom('h100-stream.csv');
    assert.ok(gpu);
    const state = withGpus([{ ...gpu, name: '{red-fg}H100\x1b]0;pwned\x07' }]);
    const composed = new FrameComposer(createTheme(false)).compose(state);
    const text = composed.parts.gpus?.lines.join('\n') ?? '';
    assert.ok(!text.includes('\x1b') && !text.includes('\x07'));
    assert.ok(text.includes('{open}red-fg{close}H100'), text);
  });

  test('more GPUs than lines: the last line lists the rest', () => {
    const [gpu] = gpusFrom('h100-stream.csv');
    assert.ok(gpu);
    const eight = Array.from({ length: 8 }, (_, index) => ({ ...gpu, index, id: `GPU-${index}` }));
    const lines = screen(withGpus(eight));
    assert.equal(lines.filter((line) => /^GPU\d/.test(line)).length, 3);
    assert.match(lines.find((line) => line.startsWith('+5')) ?? '', /more GPUs: 3:100% 4:100% 5:100% 6:100% 7:100%/);
  });
});

describe('GPUs from two sources (an iGPU by DRM, a card by nvidia-smi)', () => {
  const [card] = gpusFrom('h100-stream.csv');
  const igpu: GpuSample = {
    ...card!,
    index: 0,
    id: '0000:00:02.0',
    name: 'Intel UHD Graphics 770',
    vendor: 'intel',
    source: 'drm',
    pciBusId: '0000:00:02.0',
    utilPercent: 5,
  };

  test('each GPU keeps its own history when another appears before it in the list', () => {
    const nvidia = { ...card!, utilPercent: 90 };
    const { state } = feed(
      startState(),
      { type: 'gpus-sampled', gpus: [nvidia] },
      { type: 'gpus-sampled', gpus: [nvidia] },
      { type: 'gpus-sampled', gpus: [igpu, nvidia] },
    );
    assert.deepEqual(state.gpuHistory, [[5], [90, 90, 90]]);
  });

  test('both numbered 0 by their sources: the meters number them by place instead', () => {
    const lines = screen(
      feed(startState({ size: { cols: 120, rows: 30 } }), { type: 'gpus-sampled', gpus: [igpu, card!] }).state,
    );
    assert.ok(lines.some((line) => /^GPU0\[.*Intel UHD/.test(line)));
    assert.ok(lines.some((line) => /^GPU1\[.*NVIDIA H100/.test(line)));
  });
});
