import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  EstimateError,
  coresForDeadline,
  estimateForCores,
  estimateFromLine,
  parseDuration,
} from '../../../src/lab/core-calculator.js';
import { gridPoints } from '../../../src/lab/experiments/grid-search.js';
import { kneeOf } from '../../../src/lab/experiments/sweep.js';

test("the lecture's example: 125 fits of 70 s in 20 minutes need 8 cores", () => {
  const estimate = coresForDeadline({ tasks: 125, taskSeconds: 70, deadlineSeconds: 1200, pricePerCoreHour: 0.05 });
  assert.equal(estimate.cores, 8);
  assert.equal(estimate.rounds, 16);
  assert.equal(estimate.runtimeSeconds, 1120);
  assert.ok(estimate.runtimeSeconds <= 1200);
  assert.ok(Math.abs((estimate.cost ?? 0) - 8 * (1120 / 3600) * 0.05) < 1e-12);
});

test('tasks are whole: rounds, not fractions of them, decide', () => {
  // 10 tasks of 10 s in 25 s: two rounds fit, so 5 cores (not 4, which would need three rounds).
  assert.equal(coresForDeadline({ tasks: 10, taskSeconds: 10, deadlineSeconds: 25 }).cores, 5);
  assert.equal(coresForDeadline({ tasks: 1, taskSeconds: 10, deadlineSeconds: 10 }).cores, 1);
  assert.equal(coresForDeadline({ tasks: 3, taskSeconds: 1, deadlineSeconds: 3600 }).cores, 1);
});

test('impossible and nonsensical questions are refused in words', () => {
  assert.throws(
    () => coresForDeadline({ tasks: 5, taskSeconds: 90, deadlineSeconds: 60 }),
    /one task takes 90 s, longer than the deadline of 60 s/,
  );
  assert.throws(() => coresForDeadline({ tasks: 0, taskSeconds: 1, deadlineSeconds: 60 }), EstimateError);
  assert.throws(() => estimateFromLine('125 70'), /type: tasks, seconds per task, deadline/);
  assert.throws(() => estimateFromLine('125 seventy 20m'), /seconds per task must be a number; got "seventy"/);
  assert.throws(() => estimateFromLine('125 70 soon'), /the deadline must be a duration .* got "soon"/);
  assert.equal(estimateFromLine(' 125 70 20m 0.05 ').cores, 8);
});

test('durations', () => {
  assert.equal(parseDuration('20m'), 1200);
  assert.equal(parseDuration('1h30m'), 5400);
  assert.equal(parseDuration('90s'), 90);
  assert.equal(parseDuration('1200'), 1200);
  assert.equal(parseDuration('2min'), 120);
  assert.equal(parseDuration(''), null);
  assert.equal(parseDuration('soon'), null);
});

test('a grid is every combination', () => {
  assert.equal(gridPoints([5, 5, 5]).length, 125);
  assert.deepEqual(gridPoints([2, 2]), [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ]);
});

test('the sweep knee: the first count no larger count beats by half a worker or more', () => {
  const points = (...rates: number[]) =>
    rates.map((unitsPerSecond, at) => ({
      workers: at + 1,
      unitsPerSecond,
      contextSwitchesPerSecond: null,
      coresUsed: null,
    }));
  assert.equal(kneeOf(points(100, 198, 201, 199)), 2);
  // Noise past the cores (a busy shared machine) does not move the knee out to 7.
  assert.equal(kneeOf(points(100, 195, 190, 205, 198, 192, 210, 200)), 2);
  assert.equal(kneeOf(points(100, 190, 280, 370, 372, 368)), 4);
  // Every count adds a worker's worth: the knee is the last one measured.
  assert.equal(kneeOf(points(100, 200, 300)), 3);
  assert.equal(kneeOf([]), null);
});

test('the other way round: what a number of cores should take and cost', () => {
  const estimate = estimateForCores({ tasks: 18, taskSeconds: 0.2, cores: 2, pricePerCoreHour: 3600 });
  assert.equal(estimate.rounds, 9);
  assert.ok(Math.abs(estimate.runtimeSeconds - 1.8) < 1e-9);
  assert.ok(Math.abs((estimate.cost ?? 0) - 3.6) < 1e-9);
  assert.equal(estimateForCores({ tasks: 125, taskSeconds: 70, cores: 8 }).rounds, 16);
  assert.throws(() => estimateForCores({ tasks: 1, taskSeconds: 1, cores: 0 }), /cores must be a whole number/);
});
