import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunResult } from '../../../src/model/lab-types.js';
import { fixturesDir } from '../../helpers/fixtures.js';
import { BIN } from '../../helpers/pty-session.js';

/**
 * gpu-cores through the real bin. This machine has no GPU and no torch: the unavailable path runs
 * for real; the rest runs against a FAKE torch (test/fixtures/gpu/fake-torch) on PYTHONPATH, which
 * checks the script's logic and paratop's handling, not any GPU.
 */
function paratop(args: string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PARATOP_PYTHON: 'python3', ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const python = spawnSync('python3', ['-c', 'import torch'], { encoding: 'utf8' });
const hasRealTorch = python.status === 0;
const hasPython = spawnSync('python3', ['--version']).status === 0;

test('without PyTorch or CuPy: lab run exits 2 saying why, and lab list greys the row', {
  skip: hasRealTorch || !hasPython ? 'python3 missing, or it has a real torch' : false,
}, () => {
  const run = paratop(['lab', 'run', 'gpu-cores'], { PYTHONPATH: '' });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /gpu-cores needs a GPU with PyTorch or CuPy: .*no module torch or cupy/);
  assert.match(run.stderr, /paratop installs nothing/);
  const list = paratop(['lab', 'list', '--json'], { PYTHONPATH: '' });
  const row = (JSON.parse(list.stdout) as { id: string; available: boolean; reason: string | null }[]).find(
    (entry) => entry.id === 'gpu-cores',
  );
  assert.equal(row?.available, false);
  assert.match(row?.reason ?? '', /no module torch or cupy/);
});

test('a torch that sees no GPU: the same refusal, naming it', { skip: !hasPython ? 'python3 missing' : false }, () => {
  const run = paratop(['lab', 'run', 'gpu-cores'], {
    PYTHONPATH: join(fixturesDir, 'gpu/fake-torch'),
    FAKE_TORCH_NO_GPU: '1',
  });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /torch 0\.0\.0-fake sees no GPU/);
});

test('with the fake torch: the whole run, CPU then GPU, a result with the speedup and the cores', {
  skip: !hasPython ? 'python3 missing' : false,
}, () => {
  const run = paratop(['lab', 'run', 'gpu-cores', '--json'], { PYTHONPATH: join(fixturesDir, 'gpu/fake-torch') });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as RunResult;
  assert.equal(result.scenarioId, 'gpu-cores');
  assert.equal(result.stoppedBy, 'finished');
  assert.ok((result.speedup ?? 0) > 1, `speedup ${result.speedup}`);
  assert.equal(result.details?.gpuCores, 16896);
  assert.equal(result.details?.device, 'FAKE GPU (paratop test double)');
  assert.match(result.summary, /on the GPU \(FAKE GPU/);
  // The GPU side fills a few seconds, so a meter sampling once a second can see it.
  const ran = (result.lines ?? []).map((line) => /The GPU ran (\d+) products in ([\d.]+) s/.exec(line)).find(Boolean);
  assert.ok(ran, `a line saying how long the GPU ran: ${JSON.stringify(result.lines)}`);
  assert.ok(Number(ran[2]) >= 3, `the GPU ran ${ran[2]} s`);
});

test('--size: the matrices the run multiplies; a bad size, or --size on another experiment, exits 2', {
  skip: !hasPython ? 'python3 missing' : false,
}, () => {
  const env = { PYTHONPATH: join(fixturesDir, 'gpu/fake-torch') };
  const run = paratop(['lab', 'run', 'gpu-cores', '--size', '512', '--json'], env);
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as RunResult;
  assert.equal(result.details?.size, 512);
  assert.match(result.summary, /A 512x512 matrix product/);
  for (const size of ['0', '16385', '1e3', 'big']) {
    const refused = paratop(['lab', 'run', 'gpu-cores', '--size', size], env);
    assert.equal(refused.status, 2, `--size ${size}: ${refused.stderr}`);
    assert.match(refused.stderr, new RegExp(`'${size}'.*whole number from 1 to 16384`));
  }
  const elsewhere = paratop(['lab', 'run', 'one-thread', '--size', '512'], env);
  assert.equal(elsewhere.status, 2);
  assert.match(elsewhere.stderr, /--size applies to gpu-cores; not to one-thread/);
});
