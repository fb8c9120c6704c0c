import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  type GpuCoresEvent,
  gpuCoresResult,
  parseGpuCoresLine,
  tallyGpuCores,
} from '../../../src/lab/gpu-cores-events.js';
import { parseProbe } from '../../../src/lab/engine-runtime.js';
import { unavailableReason } from '../../../src/model/lab-types.js';
import { fixturesDir } from '../../helpers/fixtures.js';

const events = (): GpuCoresEvent[] =>
  readFileSync(join(fixturesDir, 'gpu/gpu-cores-fake-torch.txt'), 'utf8')
    .split('\n')
    .flatMap((line) => {
      const event = parseGpuCoresLine(line);
      return event ? [event] : [];
    });

const measure = {
  wallSeconds: 2,
  cpuSeconds: 0.5,
  coresUsed: 0.25,
  perCore: null,
  pid: 4321,
  exit: { code: 0, signal: null },
  stoppedBy: 'exited' as const,
};

test('gpu-cores: the script output (under the fake torch) read as wall times, speedup and cores', () => {
  const tally = tallyGpuCores(events());
  assert.equal(tally.info?.multiprocessors, 132);
  assert.equal(tally.info?.gpuCores, 16896);
  assert.equal(tally.cpuSeconds, 0.0402);
  assert.equal(tally.gpuSeconds, 0.0041);
  const result = gpuCoresResult({ id: 'gpu-cores', title: 'GPU' }, tally, measure, 'torch 0.0.0-fake under python3');
  assert.equal(result.stoppedBy, 'finished');
  assert.ok(Math.abs((result.speedup ?? 0) - 0.0402 / 0.0041) < 1e-9);
  assert.match(result.summary, /4096x4096 matrix product: 40 ms on 2 CPU cores, 4 ms on the GPU/);
  assert.match(result.summary, /132 streaming multiprocessors x 128 = 16896 cores\): 9\.8x faster/);
  assert.deepEqual(
    result.table?.rows.map((row) => row[0]),
    ['CPU', 'GPU'],
  );
  assert.equal(result.details?.gpuGflops, (2 * 4096 ** 3) / 0.0041 / 1e9);
});

test('gpu-cores: no library or no GPU, or a run cut short, says so rather than a figure', () => {
  const unavailable = tallyGpuCores([{ event: 'unavailable', reason: 'no module torch; no module cupy' }]);
  const result = gpuCoresResult(
    { id: 'gpu-cores', title: 'GPU' },
    unavailable,
    { ...measure, exit: { code: 2, signal: null } },
    '',
  );
  assert.equal(result.speedup, null);
  assert.equal(result.summary, 'Not run: no module torch; no module cupy.');
  const cut = gpuCoresResult(
    { id: 'gpu-cores', title: 'GPU' },
    tallyGpuCores(events().slice(0, 3)),
    {
      ...measure,
      stoppedBy: 'asked',
    },
    '',
  );
  assert.equal(cut.summary, 'Stopped before both products were timed.');
  assert.equal(cut.stoppedBy, 'asked');
});

test('gpu-cores: stray output and malformed events are ignored', () => {
  assert.equal(parseGpuCoresLine('Warning: TF32 disabled'), null);
  assert.equal(parseGpuCoresLine('@paratop-gpu {"event": "result", "device": "gpu", "seconds": -1}'), null);
  assert.equal(parseGpuCoresLine('@paratop-gpu {not json'), null);
});

test('gpu-cores: the probe names its library; the row greys with the reason', () => {
  assert.deepEqual(parseProbe('/usr/bin/python3 3.11.2 torch-2.3.0+cu121'), {
    python: '/usr/bin/python3',
    pythonVersion: '3.11.2',
    version: 'torch-2.3.0+cu121',
  });
  assert.equal(
    unavailableReason({ runtime: 'python', engine: 'gpu' }, null, {
      gpu: { available: false, reason: 'no module torch or cupy' },
    }),
    'needs a GPU and PyTorch or CuPy: no module torch or cupy',
  );
});
