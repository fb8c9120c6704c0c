import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type LatencyPoint,
  cachesToShow,
  estimatedCaches,
  ladderSizes,
  ladderSummary,
  latencySteps,
  reportedLevelFor,
} from '../../../src/model/memory-ladder.js';
import type { CacheLevel } from '../../../src/model/types.js';

const K = 1024;
const M = 1024 * 1024;

/** Measured on the 2-core test VM (Xeon, L1d 48K, L2 2M, L3 480M per sysfs): size in KiB, ns per load. */
const VM_LADDER: [number, number][] = [
  [4, 1.28],
  [6, 1.36],
  [8, 1.33],
  [12, 1.3],
  [16, 1.83],
  [24, 1.79],
  [32, 1.87],
  [48, 2.03],
  [64, 4.7],
  [96, 4.49],
  [128, 4.79],
  [192, 4.63],
  [256, 4.59],
  [384, 4.61],
  [512, 4.59],
  [768, 4.68],
  [1024, 4.97],
  [1536, 5.05],
  [2048, 12.26],
  [3072, 19.69],
  [4096, 20.73],
  [6144, 20.95],
  [8192, 21.56],
  [12288, 22.08],
  [16384, 22.15],
  [24576, 69.15],
  [32768, 86.64],
  [49152, 87.03],
  [65536, 84.27],
  [98304, 85.58],
  [131072, 86.42],
  [196608, 88.22],
  [262144, 90.26],
  [393216, 90.35],
  [524288, 93.22],
  [1048576, 93.08],
  [2097152, 91.07],
];
const points = (ladder: [number, number][]): LatencyPoint[] =>
  ladder.map(([kib, ns]) => ({ bytes: kib * K, nsPerLoad: ns }));

test('working sets: 4K doubling with a point between, up to the first at least the goal, never past the cap', () => {
  assert.deepEqual(
    ladderSizes(64 * K, 1024 * M),
    [4, 6, 8, 12, 16, 24, 32, 48, 64].map((kib) => kib * K),
  );
  assert.deepEqual(ladderSizes(40 * K, 1024 * M).at(-1), 64 * K, 'at least the goal');
  assert.deepEqual(ladderSizes(1024 * M, 20 * K).at(-1), 16 * K, 'capped');
  // 4 x a 480M L3 is 1.875G: the ladder reaches 2G, doubling only past the L3.
  const past = ladderSizes(4 * 480 * M, 4096 * M, 480 * M)
    .filter((size) => size >= 256 * M)
    .map((size) => size / M);
  assert.deepEqual(past, [256, 384, 512, 1024, 2048]);
});

test('the steps of a real ladder: L1, L2, L3, RAM, with the transitions left out', () => {
  const steps = latencySteps(points(VM_LADDER), true);
  assert.deepEqual(
    steps.map((step) => [step.name, step.upToBytes / K, Math.round(step.nsPerLoad * 10) / 10]),
    [
      ['L1', 48, 1.6],
      ['L2', 1536, 4.7],
      ['L3', 16384, 21],
      ['RAM', 2097152, 87.6],
    ],
  );
  assert.equal(
    ladderSummary(steps),
    'L1 about 1.6 ns up to 48K, L2 about 4.7 ns up to 1.5M, L3 about 21 ns up to 16M, RAM about 88 ns.',
  );
});

test('a noisy point inside a level neither splits it nor starts a level of its own', () => {
  const noisy = VM_LADDER.map(([kib, ns]): [number, number] => (kib === 16 ? [kib, 5.9] : [kib, ns]));
  assert.deepEqual(
    latencySteps(points(noisy), true).map((step) => step.name),
    ['L1', 'L2', 'L3', 'RAM'],
  );
});

test('a ladder that stopped inside the caches has no RAM step; an empty one has no steps', () => {
  const short = VM_LADDER.filter(([kib]) => kib <= 1536);
  assert.deepEqual(
    latencySteps(points(short), false).map((step) => step.name),
    ['L1', 'L2'],
  );
  assert.deepEqual(latencySteps([], true), []);
  assert.equal(ladderSummary([]), 'No working set was timed.');
  // One flat stretch is one level, whatever it is called.
  assert.deepEqual(
    latencySteps(
      points([
        [4, 1],
        [8, 1],
        [16, 1.1],
      ]),
      true,
    ).map((step) => step.name),
    ['L1'],
  );
});

test('estimated caches for a machine whose OS reports none, and what the machine line shows', () => {
  const steps = latencySteps(points(VM_LADDER), true);
  const estimated = estimatedCaches(steps, 64);
  assert.deepEqual(
    estimated.map((cache) => [cache.name, cache.bytes / K, cache.source]),
    [
      ['L1d', 48, 'measured'],
      ['L2', 1536, 'measured'],
      ['L3', 16384, 'measured'],
    ],
  );
  const reported: CacheLevel[] = [{ name: 'L1d', bytes: 48 * K, sharedBy: 1, lineBytes: 64, source: 'sysfs' }];
  assert.deepEqual(cachesToShow(reported, estimated), reported, 'the OS wins');
  assert.deepEqual(cachesToShow([], estimated), estimated);
  assert.deepEqual(cachesToShow([], null), []);
});

test('which reported cache a working set fits in', () => {
  const reported: CacheLevel[] = [
    { name: 'L1d', bytes: 48 * K, sharedBy: 1, lineBytes: 64, source: 'sysfs' },
    { name: 'L1i', bytes: 64 * K, sharedBy: 1, lineBytes: 64, source: 'sysfs' },
    { name: 'L2', bytes: 2 * M, sharedBy: 1, lineBytes: 64, source: 'sysfs' },
  ];
  assert.equal(reportedLevelFor(32 * K, reported), 'L1d');
  assert.equal(reportedLevelFor(64 * K, reported), 'L2', 'the instruction cache holds no data');
  assert.equal(reportedLevelFor(4 * M, reported), 'RAM');
  assert.equal(reportedLevelFor(4 * M, []), '-');
});
