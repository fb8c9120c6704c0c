import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCpuinfoCaches } from '../../../src/sampler/caches/cpuinfo-caches.js';
import { parseGetconfCaches } from '../../../src/sampler/caches/getconf-caches.js';
import { mergeCaches } from '../../../src/sampler/caches/merge-caches.js';
import { type CacheSourcePaths, readCaches } from '../../../src/sampler/caches/read-caches.js';
import { parseSysctlCaches } from '../../../src/sampler/caches/sysctl-caches.js';
import { countCpuList, parseCacheSize, readSysfsCaches } from '../../../src/sampler/caches/sysfs-caches.js';
import { fixturesDir } from '../../helpers/fixtures.js';

const caches = (name: string): string => join(fixturesDir, 'caches', name);
const text = (name: string): string => readFileSync(caches(name), 'utf8');
const KIB = 1024;
const MIB = 1024 * 1024;

/** A machine made of fixtures: a sysfs folder, a cpuinfo file, and what getconf / sysctl print. */
function machine(
  platform: NodeJS.Platform,
  files: { sysfs?: string; cpuinfo?: string; getconf?: string; sysctl?: string },
): CacheSourcePaths & { ran: string[] } {
  const ran: string[] = [];
  return {
    platform,
    sysfsDir: files.sysfs ? caches(files.sysfs) : '/nonexistent/cache',
    cpuinfoFile: files.cpuinfo ? caches(files.cpuinfo) : '/nonexistent/cpuinfo',
    ran,
    run: (file, args) => {
      ran.push([file, ...args].join(' '));
      const fixture = file === 'getconf' ? files.getconf : file === 'sysctl' ? files.sysctl : undefined;
      return fixture ? text(fixture) : null;
    },
  };
}

test('cache sizes and CPU lists as sysfs writes them', () => {
  assert.equal(parseCacheSize('48K\n'), 48 * KIB);
  assert.equal(parseCacheSize('2M'), 2 * MIB);
  assert.equal(parseCacheSize('junk'), 0);
  assert.equal(countCpuList('0-1\n'), 2);
  assert.equal(countCpuList('0-3,8,10-11'), 7);
});

test('sysfs: per-core L1/L2 and a shared L3, with line sizes', () => {
  assert.deepEqual(readSysfsCaches(caches('sysfs-cpu0-cache')), [
    { name: 'L1d', bytes: 48 * KIB, sharedBy: 1, lineBytes: 64, source: 'sysfs' },
    { name: 'L1i', bytes: 32 * KIB, sharedBy: 1, lineBytes: 64, source: 'sysfs' },
    { name: 'L2', bytes: 2048 * KIB, sharedBy: 1, lineBytes: 64, source: 'sysfs' },
    { name: 'L3', bytes: 266240 * KIB, sharedBy: 2, lineBytes: 64, source: 'sysfs' },
  ]);
  assert.deepEqual(readSysfsCaches('/nonexistent'), []);
});

test('getconf: the CPUID sizes glibc reads, as on a VM with no sysfs cache folder', () => {
  assert.deepEqual(parseGetconfCaches(text('getconf-firecracker.txt')), [
    { name: 'L1d', bytes: 48 * KIB, sharedBy: null, lineBytes: 64, source: 'cpuid' },
    { name: 'L1i', bytes: 32 * KIB, sharedBy: null, lineBytes: 64, source: 'cpuid' },
    { name: 'L2', bytes: 1 * MIB, sharedBy: null, lineBytes: 64, source: 'cpuid' },
    // The hypervisor's odd answer is shown as the OS gives it.
    { name: 'L3', bytes: 508 * MIB, sharedBy: null, lineBytes: 64, source: 'cpuid' },
  ]);
  // glibc on arm64 answers 0 for every size: no cache, not a cache of 0 bytes.
  assert.deepEqual(parseGetconfCaches(text('getconf-arm64.txt')), []);
  assert.deepEqual(parseGetconfCaches(''), []);
});

test('/proc/cpuinfo: one unnamed last-level cache, or nothing', () => {
  assert.deepEqual(parseCpuinfoCaches(text('cpuinfo-x86.txt')), [
    { name: 'LLC', bytes: 520192 * KIB, sharedBy: null, lineBytes: 64, source: 'cpuinfo' },
  ]);
  assert.deepEqual(parseCpuinfoCaches(text('cpuinfo-arm64.txt')), []);
});

test("sysctl: an Intel Mac (the lecture's i7) and Apple silicon, which has no L3", () => {
  assert.deepEqual(parseSysctlCaches(text('sysctl-intel-mac.txt')), [
    { name: 'L1d', bytes: 32 * KIB, sharedBy: 2, lineBytes: 64, source: 'sysctl' },
    { name: 'L1i', bytes: 32 * KIB, sharedBy: 2, lineBytes: 64, source: 'sysctl' },
    { name: 'L2', bytes: 256 * KIB, sharedBy: 2, lineBytes: 64, source: 'sysctl' },
    { name: 'L3', bytes: 8 * MIB, sharedBy: 8, lineBytes: 64, source: 'sysctl' },
  ]);
  assert.deepEqual(
    parseSysctlCaches(text('sysctl-apple-silicon.txt')).map(({ name, bytes, sharedBy }) => [name, bytes, sharedBy]),
    [
      ['L1d', 64 * KIB, 1],
      ['L1i', 128 * KIB, 1],
      ['L2', 4 * MIB, 4],
    ],
  );
});

test("merge: each level from the best source that has it; cpuinfo's LLC only when nothing else reaches past L1", () => {
  const sysfsWithoutL3 = readSysfsCaches(caches('sysfs-cpu0-cache')).filter((cache) => cache.name !== 'L3');
  const merged = mergeCaches([
    sysfsWithoutL3,
    parseGetconfCaches(text('getconf-firecracker.txt')),
    parseCpuinfoCaches(text('cpuinfo-x86.txt')),
  ]);
  assert.deepEqual(
    merged.map(({ name, bytes, source }) => [name, bytes, source]),
    [
      ['L1d', 48 * KIB, 'sysfs'],
      ['L1i', 32 * KIB, 'sysfs'],
      ['L2', 2048 * KIB, 'sysfs'],
      ['L3', 508 * MIB, 'cpuid'],
    ],
  );
  assert.deepEqual(
    mergeCaches([[], [], parseCpuinfoCaches(text('cpuinfo-x86.txt'))]).map((cache) => cache.name),
    ['LLC'],
  );
});

test('readCaches on each kind of machine, and on one that reports nothing', () => {
  const laptop = readCaches(
    machine('linux', { sysfs: 'sysfs-cpu0-cache', getconf: 'getconf-firecracker.txt', cpuinfo: 'cpuinfo-x86.txt' }),
  );
  assert.deepEqual(
    laptop.map((cache) => cache.source),
    ['sysfs', 'sysfs', 'sysfs', 'sysfs'],
  );

  const firecracker = machine('linux', { getconf: 'getconf-firecracker.txt', cpuinfo: 'cpuinfo-x86.txt' });
  assert.deepEqual(
    readCaches(firecracker).map((cache) => `${cache.name} ${cache.source}`),
    ['L1d cpuid', 'L1i cpuid', 'L2 cpuid', 'L3 cpuid'],
  );
  assert.deepEqual(firecracker.ran, ['getconf -a']);

  const noGetconf = readCaches(machine('linux', { cpuinfo: 'cpuinfo-x86.txt' }));
  assert.deepEqual(
    noGetconf.map((cache) => `${cache.name} ${cache.source}`),
    ['LLC cpuinfo'],
  );

  const mac = machine('darwin', { sysctl: 'sysctl-intel-mac.txt' });
  assert.deepEqual(
    readCaches(mac).map((cache) => `${cache.name} ${cache.source}`),
    ['L1d sysctl', 'L1i sysctl', 'L2 sysctl', 'L3 sysctl'],
  );
  assert.match(mac.ran[0] ?? '', /^sysctl hw\.l1dcachesize/);

  assert.deepEqual(readCaches(machine('linux', { getconf: 'getconf-arm64.txt', cpuinfo: 'cpuinfo-arm64.txt' })), []);
  assert.deepEqual(readCaches(machine('darwin', {})), []);
});
