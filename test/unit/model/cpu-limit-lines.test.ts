import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuLimits } from '../../../src/model/cpu-limits.js';
import { compactCoreSummary, coreSummary, cpuLimitLines } from '../../../src/model/machine-summary.js';
import { machineFacts } from '../../helpers/samples.js';

const container = cpuLimits(
  64,
  Array.from({ length: 64 }, (_, index) => index),
  {
    quotaMicros: 200_000,
    periodMicros: 100_000,
    source: '/sys/fs/cgroup/cpu.max',
  },
);

test('info: the CPU set, the quota and the usable count, each with where it came from', () => {
  const lines = new Map(cpuLimitLines(container));
  assert.equal(lines.get('CPU set'), '0-63 (64 of 64 cores)');
  assert.match(
    lines.get('Quota') ?? '',
    /200000 us per 100000 us = 2 cores, counted as 2 \(\/sys\/fs\/cgroup\/cpu\.max\)/,
  );
  assert.match(lines.get('Usable') ?? '', /^2 cores:/);
  const plain = new Map(cpuLimitLines(cpuLimits(4, null, null)));
  assert.match(plain.get('CPU set') ?? '', /not reported/);
  assert.match(plain.get('Quota') ?? '', /^none/);
});

test('the machine line says how many cores paratop may use only where that is fewer', () => {
  const host = machineFacts({ physicalCores: 32, logicalCores: 64 });
  assert.equal(
    coreSummary({ ...host, limits: container }),
    '32 physical cores, 64 logical (hyper-threads), paratop may use 2',
  );
  assert.equal(compactCoreSummary({ ...host, limits: container }), '32C/64T (2 usable)');
  assert.equal(compactCoreSummary({ ...host, limits: cpuLimits(64, null, null) }), '32C/64T');
  assert.equal(coreSummary(machineFacts()), '2 physical cores');
});
