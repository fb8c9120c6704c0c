import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostSampleFrom } from '../../../src/model/host-rates.js';
import type { HostCounters, HostReading } from '../../../src/model/host-sample.js';
import type { CpuTimes } from '../../../src/model/types.js';

const times = (user: number, system: number, idle: number, iowait = 0): CpuTimes => ({
  user,
  nice: 0,
  system,
  idle,
  iowait,
  irq: 0,
  softirq: 0,
  steal: 0,
});

function reading(at: number, counters: Partial<HostCounters> | null, up = true): HostReading {
  return {
    host: 'node1:9100',
    name: 'node1',
    source: 'scrape',
    at,
    up,
    error: up ? null : 'node1:9100 refused the connection (nothing listens on that port).',
    scrapeMs: up ? 3 : null,
    figures: null,
    counters: counters && {
      cores: new Map(),
      memory: null,
      loadAverage: null,
      bootTime: 1000,
      processes: null,
      ...counters,
    },
  };
}

test('per-core load from two scrapes of counters in seconds', () => {
  const first = reading(0, {
    cores: new Map([
      [0, times(10, 5, 100)],
      [1, times(0, 0, 100)],
    ]),
  });
  const second = reading(2000, {
    cores: new Map([
      [0, times(11, 5.5, 100.5)],
      [1, times(0, 1, 101)],
    ]),
  });
  assert.equal(hostSampleFrom(null, first).cores, null, 'one scrape has no rates');
  const cores = hostSampleFrom(first, second).cores;
  assert.deepEqual(
    cores?.map((core) => core.id),
    [0, 1],
  );
  assert.equal(cores?.[0]?.user, 50);
  assert.equal(cores?.[0]?.system, 25);
  assert.equal(cores?.[0]?.total, 75);
  assert.equal(cores?.[1]?.total, 50);
});

test('one mode stepping back (iowait does) is no restart: that mode counts as 0', () => {
  const first = reading(0, { cores: new Map([[0, times(10, 0, 100, 5)]]) });
  const second = reading(1000, { cores: new Map([[0, times(11, 0, 101, 4.9)]]) });
  const core = hostSampleFrom(first, second).cores?.[0];
  assert.equal(core?.iowait, 0);
  assert.equal(core?.total, 50);
});

test('a host that restarted (counters back, or a new boot time) has no rates until its next scrape', () => {
  const first = reading(0, { cores: new Map([[0, times(5000, 100, 90000)]]) });
  const restarted = reading(1000, { cores: new Map([[0, times(1, 1, 10)]]) });
  assert.equal(hostSampleFrom(first, restarted).cores, null);
  const rebooted = reading(1000, { cores: new Map([[0, times(5001, 100, 90001)]]), bootTime: 2000 });
  assert.equal(hostSampleFrom(first, rebooted).cores, null);
  const after = reading(2000, { cores: new Map([[0, times(2, 1, 11)]]) });
  assert.equal(hostSampleFrom(restarted, after).cores?.[0]?.total, 50);
});

test('a core seen once (hot-plugged, or a host with more cores after a restart) waits for its second scrape', () => {
  const first = reading(0, { cores: new Map([[0, times(1, 0, 1)]]) });
  const second = reading(1000, {
    cores: new Map([
      [0, times(2, 0, 2)],
      [1, times(1, 0, 1)],
    ]),
  });
  assert.deepEqual(
    hostSampleFrom(first, second).cores?.map((core) => core.id),
    [0],
  );
});

test('process CPU % from counter deltas; a counter that went back is a new process, not a negative figure', () => {
  const process = (key: string, cpuSeconds: number) => ({
    key,
    pid: 1,
    name: key,
    user: null,
    cpuSeconds,
    rssBytes: 1,
    threads: 1,
    members: null,
  });
  const first = reading(0, { processes: [process('a', 10), process('b', 10)] });
  const second = reading(2000, { processes: [process('a', 12), process('b', 1), process('c', 5)] });
  const cpu = hostSampleFrom(first, second).processes?.map((one) => [one.name, one.cpu]);
  assert.deepEqual(cpu, [
    ['a', 100],
    ['b', null],
    ['c', null],
  ]);
  assert.ok(!('key' in (hostSampleFrom(first, second).processes?.[0] ?? {})));
});

test('a host that is down: up false, the sentence, no figures', () => {
  const sample = hostSampleFrom(null, reading(0, null, false));
  assert.equal(sample.up, false);
  assert.match(sample.error ?? '', /refused/);
  assert.equal(sample.cores, null);
  assert.equal(sample.memory, null);
});
