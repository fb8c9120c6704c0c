import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { readLinuxCpuLimits } from '../../../src/sampler/linux/cgroup-cpu-limits.js';
import {
  allowedCpusOf,
  parseCfsQuota,
  parseCpuMax,
  parseProcCgroup,
} from '../../../src/sampler/linux/parse-cpu-limits.js';
import { tasksetArgs, tasksetFailure } from '../../../src/sampler/linux/taskset-affinity.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/cpu-limits');
const limitsOf = (name: string, online = 64) =>
  readLinuxCpuLimits(online, { proc: join(FIXTURES, name, 'proc'), cgroup: join(FIXTURES, name, 'cgroup') });

test('Cpus_allowed_list is read from a status file; a kernel without it gives null', () => {
  assert.deepEqual(allowedCpusOf('Name:\tx\nCpus_allowed:\t5\nCpus_allowed_list:\t0,2\n'), [0, 2]);
  assert.equal(allowedCpusOf('Name:\tx\n'), null);
});

test('/proc/self/cgroup gives the v2 path and the v1 cpu controller', () => {
  const places = parseProcCgroup('12:memory:/a\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/x\n0::/user.slice\n');
  assert.deepEqual(places, { unified: '/user.slice', v1Cpu: { controllers: 'cpu,cpuacct', path: '/docker/abc' } });
  assert.deepEqual(parseProcCgroup('4:cpuset:/\n'), { unified: null, v1Cpu: null });
});

test('quota files: v2 "max" and v1 -1 mean no limit', () => {
  assert.deepEqual(parseCpuMax('200000 100000\n', 'f'), { quotaMicros: 200_000, periodMicros: 100_000, source: 'f' });
  assert.equal(parseCpuMax('max 100000\n', 'f'), null);
  assert.deepEqual(parseCfsQuota('50000\n', '100000\n', 'f'), {
    quotaMicros: 50_000,
    periodMicros: 100_000,
    source: 'f',
  });
  assert.equal(parseCfsQuota('-1\n', '100000\n', 'f'), null);
  assert.equal(parseCfsQuota('garbage', '100000', 'f'), null);
});

test('cgroup v2 with a quota: 8 allowed cores, 2 cores of time, 2 effective', () => {
  const limits = limitsOf('v2-quota');
  assert.deepEqual(limits.allowed, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(limits.quota?.quotaMicros, 200_000);
  assert.match(limits.quota?.source ?? '', /user\.slice\/app\.scope\/cpu\.max$/);
  assert.equal(limits.effective, 2);
});

test('cgroup v2 "max": the allowed cores decide', () => {
  const limits = limitsOf('v2-max');
  assert.equal(limits.quota, null);
  assert.equal(limits.effective, 4);
});

test("inside a cgroup namespace (path /) the hierarchy's root file is read", () => {
  const limits = limitsOf('v2-namespace');
  assert.equal(limits.effective, 2, '64 allowed cores, 1.5 cores of time, rounded up');
});

test('cgroup v1: cpu.cfs_quota_us over cpu.cfs_period_us in the cpu,cpuacct hierarchy', () => {
  const limits = limitsOf('v1-quota');
  assert.equal(limits.quota?.quotaMicros, 150_000);
  assert.equal(limits.effective, 2);
  const unlimited = limitsOf('v1-unlimited');
  assert.equal(unlimited.quota, null);
  assert.deepEqual(unlimited.allowed, [0, 2]);
  assert.equal(unlimited.effective, 2);
});

test('missing files: the online count stands', () => {
  const limits = limitsOf('missing', 6);
  assert.deepEqual(limits, { online: 6, allowed: null, quota: null, effective: 6 });
  assert.equal(limitsOf('no-such-tree', 3).effective, 3);
});

test("taskset's arguments and complaints", () => {
  assert.deepEqual(tasksetArgs(123, [0, 1, 2, 5], true), ['-a', '-p', '-c', '0-2,5', '123']);
  assert.deepEqual(tasksetArgs(124, [1], false), ['-p', '-c', '1', '124']);
  assert.equal(tasksetFailure("taskset: failed to set pid 1's affinity: Operation not permitted"), 'not-permitted');
  assert.equal(tasksetFailure("taskset: failed to get pid 99999's affinity: No such process"), 'gone');
  assert.equal(tasksetFailure("taskset: failed to set pid 5's affinity: Invalid argument"), 'invalid');
  assert.equal(tasksetFailure('something else'), 'other');
});
