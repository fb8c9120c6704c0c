import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  HeapGrowthLimit,
  type LeanModeOptions,
  TrailingCpuWindow,
  leanModeFlags,
  maglevOnByDefault,
  userChoseV8Flags,
} from '../../../src/app/v8-lean-mode.js';

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

describe('which V8 flags lean mode uses', () => {
  test('Maglev is turned off and back on only where V8 has it on by default (11.7 on)', () => {
    assert.equal(maglevOnByDefault('11.3.244.8-node.38'), false);
    assert.equal(maglevOnByDefault('11.7.1'), true);
    assert.equal(maglevOnByDefault('12.4.254.21-node.33'), true);
    assert.deepEqual(leanModeFlags('11.3.244.8-node.38'), {
      lean: ['--no-turbofan', '--semi-space-growth-factor=1', '--no-incremental-marking'],
      defaults: ['--turbofan', '--semi-space-growth-factor=2', '--incremental-marking'],
    });
    assert.deepEqual(leanModeFlags('12.4.254.21').lean, [
      '--no-turbofan',
      '--no-maglev',
      '--semi-space-growth-factor=1',
      '--no-incremental-marking',
    ]);
  });

  test("a user's own tiering or young-generation flags are left alone", () => {
    assert.equal(userChoseV8Flags(['--import', 'tsx', '--allow-natives-syntax'], '--max-old-space-size=512'), false);
    assert.equal(userChoseV8Flags(['--no-opt'], undefined), true);
    assert.equal(userChoseV8Flags([], '--max-semi-space-size=2'), true);
    assert.equal(userChoseV8Flags([], '--trace-gc --max_semi_space_size=2'), true);
    assert.equal(userChoseV8Flags(['--jitless'], undefined), true);
    assert.equal(userChoseV8Flags([], '--incremental-marking'), true);
  });
});

describe('when lean mode collects the old generation itself', () => {
  const MB = 1024 * 1024;

  test('not until the heap in use has grown by the allowance since the first reading', () => {
    const limit = new HeapGrowthLimit(2 * MB);
    assert.equal(limit.exceeded(10 * MB), false);
    assert.equal(limit.exceeded(11.9 * MB), false);
    assert.equal(limit.exceeded(12 * MB), true);
  });

  test('a collection sets the floor the growth is counted from', () => {
    const limit = new HeapGrowthLimit(2 * MB);
    limit.exceeded(10 * MB);
    assert.equal(limit.exceeded(13 * MB), true);
    limit.collected(8 * MB);
    assert.equal(limit.exceeded(9.5 * MB), false);
    assert.equal(limit.exceeded(10 * MB), true);
  });

  test("V8's own collections lower the floor", () => {
    const limit = new HeapGrowthLimit(2 * MB);
    limit.exceeded(10 * MB);
    assert.equal(limit.exceeded(7 * MB), false);
    assert.equal(limit.exceeded(9 * MB), true, 'counted from 7 MB, not 10');
  });
});

const MODULE = fileURLToPath(new URL('../../../src/app/v8-lean-mode.ts', import.meta.url));

/** Run an ES module script in a fresh node (with extra node flags) and parse the JSON it prints. */
function runInFreshNode<T>(script: string, nodeFlags: readonly string[] = []): T {
  return JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', ...nodeFlags, '--input-type=module', '-e', script], {
      encoding: 'utf8',
    }),
  ) as T;
}

/** Script lines that count V8's full (mark-compact) collections in `full`. */
const COUNT_FULL_COLLECTIONS = `
  let full = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.detail.kind === 4) full += 1;
  }).observe({ entryTypes: ['gc'] });
`;

/** Lean-mode options for a script: fast checks, and no collections of lean mode's own unless asked for. */
function leanOptions(overrides: Partial<LeanModeOptions>): string {
  const options: LeanModeOptions = {
    thresholdPercent: 1000,
    windowMs: 300,
    warmUpMs: 0,
    checkEveryMs: 100,
    heapGrowthBytes: 1024 ** 3,
    startUpCollectionMs: 60_000,
  };
  return JSON.stringify({ ...options, ...overrides });
}

/**
 * In a fresh node: go lean with this threshold and keep a function hot: 3,000 calls (V8's defaults
 * optimize it within a few hundred), or with `untilOptimized` until it is optimized (10 s at most).
 */
function leanAndSpin(
  thresholdPercent: number,
  untilOptimized: boolean,
): { lean: boolean; optimized: boolean; calls: number } {
  const script = `
    import { leanUntilBusy, v8IsLean } from ${JSON.stringify(MODULE)};
    leanUntilBusy(${leanOptions({ thresholdPercent })});
    function hot(n) { let sum = 0; for (let i = 0; i < n; i += 1) sum += i % 7; return sum; }
    const optimized = () => (%GetOptimizationStatus(hot) & 16) !== 0;
    const until = Date.now() + 10_000;
    let calls = 0;
    while (Date.now() < until && (${untilOptimized} ? !optimized() : calls < 3000)) {
      hot(10000);
      calls += 1;
      if (calls % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    console.log(JSON.stringify({ lean: v8IsLean(), optimized: optimized(), calls }));
  `;
  return runInFreshNode(script, ['--allow-natives-syntax']);
}

describe('V8 lean until busy (real V8)', () => {
  test('lean: a hot function stays unoptimized while CPU use is under the threshold', () => {
    // No process can use 1000% of one core from one thread and a few helpers.
    const { lean, optimized, calls } = leanAndSpin(1000, false);
    assert.deepEqual({ lean, optimized }, { lean: true, optimized: false }, `after ${calls} calls`);
  });

  test('busy: once CPU use passes the threshold, V8 returns to its defaults and hot code is optimized', () => {
    const { lean, optimized, calls } = leanAndSpin(0, true);
    assert.deepEqual({ lean, optimized }, { lean: false, optimized: true }, `after ${calls} calls`);
  });

  test('lean: no incremental marking (the memory reducer works through it), and it is back once busy', () => {
    // Old-generation pressure: with incremental marking on, V8 marks in steps (gc kind 8).
    const script = (lean: boolean, threshold: number) => `
      import { PerformanceObserver } from 'node:perf_hooks';
      import { leanUntilBusy, v8IsLean } from ${JSON.stringify(MODULE)};
      if (${lean}) leanUntilBusy(${leanOptions({ thresholdPercent: threshold })});
      const kinds = new Set();
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) kinds.add(entry.detail.kind);
      }).observe({ entryTypes: ['gc'] });
      // With threshold 0, keep busy (letting the checks run) until lean mode has ended.
      const until = Date.now() + 10_000;
      while (${threshold} === 0 && v8IsLean() && Date.now() < until) {
        const slice = Date.now() + 20;
        while (Date.now() < slice);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      const kept = [];
      for (let i = 0; i < 600_000; i += 1) {
        kept.push(new Array(8).fill(i));
        if (i % 100_000 === 0) kept.length = 0;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      console.log(JSON.stringify({ incremental: kinds.has(8) }));
    `;
    const incremental = (lean: boolean, threshold: number): boolean =>
      runInFreshNode<{ incremental: boolean }>(script(lean, threshold)).incremental;
    assert.equal(incremental(false, 1000), true, 'without lean mode V8 marks incrementally (the control)');
    assert.equal(incremental(true, 1000), false, 'lean: no incremental marking');
    assert.equal(incremental(true, 0), true, 'busy: V8 defaults again');
  });

  test('lean: garbage that reached the old generation is collected once the heap has grown by the allowance', (t) => {
    // Objects kept for a while, then dropped: they outlive two young collections and are promoted,
    // as a sample kept until the next scan is. Nothing in lean V8 collects them by itself.
    const script = (heapGrowthBytes: number) => `
      import { PerformanceObserver } from 'node:perf_hooks';
      import { getHeapStatistics } from 'node:v8';
      import { leanUntilBusy } from ${JSON.stringify(MODULE)};
      leanUntilBusy(${leanOptions({ heapGrowthBytes })});
      ${COUNT_FULL_COLLECTIONS}
      const used = () => getHeapStatistics().used_heap_size;
      const start = used();
      let largest = start;
      const kept = [];
      for (let round = 0; round < 2000; round += 1) {
        kept.push(Array.from({ length: 500 }, (_, i) => ({ i, text: 'row ' + i })));
        if (kept.length > 30) kept.shift();
        largest = Math.max(largest, used());
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      console.log(JSON.stringify({ full, grewMB: (largest - start) / 1048576 }));
    `;
    const run = (heapGrowthBytes: number): { full: number; grewMB: number } => runInFreshNode(script(heapGrowthBytes));
    const control = run(1024 * 1024 * 1024);
    assert.equal(control.full, 0, 'with no allowance reached, no full collection (the control)');
    assert.ok(control.grewMB > 25, `and the heap in use grows: ${control.grewMB.toFixed(1)} MB`);
    const guarded = run(4 * 1024 * 1024);
    assert.ok(guarded.full > 0, 'lean mode ran full collections');
    t.diagnostic(
      `heap grew ${control.grewMB.toFixed(1)} MB without, ` +
        `${guarded.grewMB.toFixed(1)} MB with (${guarded.full} full collections)`,
    );
    assert.ok(guarded.grewMB < 15, `the heap stays near its floor: grew ${guarded.grewMB.toFixed(1)} MB`);
  });

  test("lean: one full collection once start-up is over, for start-up's garbage", () => {
    const script = (startUpCollectionMs: number) => `
      import { PerformanceObserver } from 'node:perf_hooks';
      import { leanUntilBusy } from ${JSON.stringify(MODULE)};
      leanUntilBusy(${leanOptions({ startUpCollectionMs })});
      ${COUNT_FULL_COLLECTIONS}
      await new Promise((resolve) => setTimeout(resolve, 300));
      console.log(full);
    `;
    const fullCollections = (startUpCollectionMs: number): number => runInFreshNode(script(startUpCollectionMs));
    assert.equal(fullCollections(60_000), 0, 'none before it is due (the control)');
    assert.equal(fullCollections(100), 1);
  });

  test('lean: the young generation does not grow while start-up-like allocation survives', () => {
    // Keep 40 MB of small arrays alive, as loading modules and the first samples do.
    const script = (lean: boolean) => `
      import { getHeapSpaceStatistics } from 'node:v8';
      import { leanUntilBusy } from ${JSON.stringify(MODULE)};
      const youngBytes = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size;
      if (${lean}) leanUntilBusy(${leanOptions({})});
      const start = youngBytes();
      const kept = [];
      let largest = 0;
      for (let i = 0; i < 400_000; i += 1) {
        kept.push(new Array(8).fill(i));
        if (i % 1000 === 0) largest = Math.max(largest, youngBytes());
      }
      console.log(JSON.stringify({ start, largest }));
    `;
    const young = (lean: boolean): { start: number; largest: number } => runInFreshNode(script(lean));
    const control = young(false);
    assert.ok(control.largest > control.start, 'without lean mode V8 grows the young generation (the control)');
    const lean = young(true);
    assert.ok(lean.largest <= lean.start, `in lean mode it keeps its size: ${lean.start} -> ${lean.largest} bytes`);
  });
});
