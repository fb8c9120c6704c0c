import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TrailingCpuWindow } from '../../src/app/optimizer-on-demand.js';

describe('CPU use over a trailing window', () => {
  test('no figure until the window is covered, then % of one core over the last window', () => {
    const window = new TrailingCpuWindow(10_000);
    assert.equal(window.add(0, 0), null);
    assert.equal(window.add(5_000, 50), null);
    // 100 ms of CPU in 10 s: 1% of a core.
    assert.equal(window.add(10_000, 100), 1);
  });

  test('old readings leave the window, so a busy start is forgotten', () => {
    const window = new TrailingCpuWindow(10_000);
    window.add(0, 0);
    window.add(10_000, 5_000); // 50% in the first ten seconds
    window.add(20_000, 5_010); // then nearly idle
    assert.equal(window.add(30_000, 5_020), 0.1);
  });
});

const MODULE = fileURLToPath(new URL('../../src/app/optimizer-on-demand.ts', import.meta.url));

/** In a fresh node: hold the optimizer with this threshold, keep a function hot, and report. */
function holdAndSpin(thresholdPercent: number): { on: boolean; optimized: boolean } {
  const script = `
    import { holdOptimizerUntilBusy, optimizerIsOn } from ${JSON.stringify(MODULE)};
    holdOptimizerUntilBusy({ thresholdPercent: ${thresholdPercent}, windowMs: 300, warmUpMs: 0, checkEveryMs: 100 });
    function hot(n) { let sum = 0; for (let i = 0; i < n; i += 1) sum += i % 7; return sum; }
    const until = Date.now() + 1500;
    while (Date.now() < until) { hot(10000); await new Promise((resolve) => setImmediate(resolve)); }
    console.log(JSON.stringify({ on: optimizerIsOn(), optimized: (%GetOptimizationStatus(hot) & 16) !== 0 }));
  `;
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(output) as { on: boolean; optimized: boolean };
}

describe('the optimizing compiler on demand (real V8)', () => {
  test('held: a hot function stays unoptimized while CPU use is under the threshold', () => {
    // No process can use 1000% of one core from one thread and a few helpers.
    assert.deepEqual(holdAndSpin(1000), { on: false, optimized: false });
  });

  test('released: once CPU use passes the threshold, the compiler comes on and hot code is optimized', () => {
    assert.deepEqual(holdAndSpin(0), { on: true, optimized: true });
  });
});
